import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { ENGINE_VERSION } from '../../src/engine/version';
import { type EnginePort, type ParentPort, serveEngine } from '../../src/main/engine-process/serve';

/**
 * Electron's MessagePortMain emits `{data}` events; Node's worker_threads port emits the value itself.
 * This adapter is the only difference, so the engine side is exercised over a real message channel.
 */
function asPortMain(port: MessagePort): EnginePort {
  return {
    on: (_event, listener) => port.on('message', (data) => listener({ data })),
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  };
}

class FakeParentPort extends EventEmitter implements ParentPort {
  deliverPort(port: MessagePort): void {
    this.emit('message', { data: { type: 'engine-port' }, ports: [asPortMain(port)] });
  }
}

/** The builtin datasets are not used here; the session only needs a place to look for them. */
const RESOURCES_DIR = 'resources';

function nextEvent(port: MessagePort): Promise<EngineEvent> {
  return new Promise((resolve) => port.once('message', resolve));
}

const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

function channel(): [MessagePort, MessagePort] {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  return [port1, port2];
}

describe('engine utility-process entry', () => {
  it('answers a ping over the port main hands it', async () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    rendererSide.postMessage({ type: 'ping', id: 7 });
    await expect(nextEvent(rendererSide)).resolves.toEqual({ type: 'pong', id: 7, engineVersion: ENGINE_VERSION });
  });

  it('answers a malformed message with an error event and keeps serving', async () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    rendererSide.postMessage({ type: 'launch-missiles' });
    const error = await nextEvent(rendererSide);
    expect(error).toMatchObject({ type: 'error', code: 'bad-message' });
    rendererSide.postMessage({ type: 'ping', id: 8 });
    await expect(nextEvent(rendererSide)).resolves.toMatchObject({ type: 'pong', id: 8 });
  });

  it('moves to a new port when the renderer reconnects', async () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    const [firstEngineSide] = channel();
    parent.deliverPort(firstEngineSide);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    rendererSide.postMessage({ type: 'ping', id: 9 });
    await expect(nextEvent(rendererSide)).resolves.toMatchObject({ type: 'pong', id: 9 });
  });

  it('ignores parent messages that are not a port hand-over', () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    expect(() => parent.emit('message', { data: 'hello', ports: [] })).not.toThrow();
  });
});
