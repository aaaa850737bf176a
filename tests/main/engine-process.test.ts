import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { ENGINE_VERSION } from '../../src/engine/version';
import { type EnginePort, type ParentPort, serveEngine } from '../../src/main/engine-process/serve';
import { toyNpz } from '../protocol/toy-data';

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
  readonly sent: unknown[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message);
  }

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
    rendererSide.postMessage({ type: 'ping', requestId: 7 });
    await expect(nextEvent(rendererSide)).resolves.toEqual({
      type: 'pong',
      requestId: 7,
      engineVersion: ENGINE_VERSION,
    });
  });

  it('answers a malformed message with an error event and keeps serving', async () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    rendererSide.postMessage({ type: 'launch-missiles' });
    const error = await nextEvent(rendererSide);
    expect(error).toMatchObject({ type: 'error', code: 'bad-message' });
    rendererSide.postMessage({ type: 'ping', requestId: 8 });
    await expect(nextEvent(rendererSide)).resolves.toMatchObject({ type: 'pong', requestId: 8 });
  });

  it('moves to a new port when the renderer reconnects', async () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    const [firstEngineSide] = channel();
    parent.deliverPort(firstEngineSide);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    rendererSide.postMessage({ type: 'ping', requestId: 9 });
    await expect(nextEvent(rendererSide)).resolves.toMatchObject({ type: 'pong', requestId: 9 });
  });

  it('ignores parent messages that are not a port hand-over', () => {
    const parent = new FakeParentPort();
    serveEngine(parent, RESOURCES_DIR);
    expect(() => parent.emit('message', { data: 'hello', ports: [] })).not.toThrow();
  });
});

describe('engine utility-process data access', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cnn-studio-serve-'));
  const chosen = join(folder, 'chosen', 'toy.npz');
  const other = join(folder, 'other', 'toy.npz');
  for (const path of [chosen, other]) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, toyNpz(24));
  }
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** Sends load-dataset and returns the answer that settles it (dataset or error). */
  async function load(rendererSide: MessagePort, source: string): Promise<EngineEvent> {
    rendererSide.postMessage({ type: 'load-dataset', requestId: 1, source });
    for (;;) {
      const event = await nextEvent(rendererSide);
      if (event.type === 'dataset' || event.type === 'error') return event;
    }
  }

  function served(resourcesDir = RESOURCES_DIR) {
    const parent = new FakeParentPort();
    serveEngine(parent, resourcesDir);
    const [engineSide, rendererSide] = channel();
    parent.deliverPort(engineSide);
    return { parent, rendererSide };
  }

  it('refuses a path main has not granted, naming it and saying how to choose it', async () => {
    const { rendererSide } = served();
    const answer = await load(rendererSide, chosen);
    expect(answer).toMatchObject({ type: 'error', code: 'bad-data' });
    expect(answer.type === 'error' && answer.message).toContain(`${chosen}: not chosen in this session.`);
  });

  it('reads a granted file, and only within the rules, after main sends allow-paths', async () => {
    const { parent, rendererSide } = served();
    const grants = [{ path: chosen, kind: 'file' }];
    parent.emit('message', { data: { type: 'allow-paths', id: 4, grants }, ports: [] });
    expect(parent.sent).toEqual([{ type: 'paths-allowed', id: 4 }]);
    const answer = await load(rendererSide, chosen);
    expect(answer.type === 'dataset' && answer.summary.count).toBe(24);
    expect(await load(rendererSide, join(folder, 'chosen', '..', 'other', 'toy.npz'))).toMatchObject({
      type: 'error',
      code: 'bad-data',
    });
  });

  it('ignores malformed grants', async () => {
    const { parent, rendererSide } = served();
    parent.emit('message', { data: { type: 'allow-paths', grants: [{ path: other, kind: 'everything' }] }, ports: [] });
    parent.emit('message', { data: { type: 'allow-paths', grants: other }, ports: [] });
    expect(await load(rendererSide, other)).toMatchObject({ type: 'error', code: 'bad-data' });
  });

  it('always reads the builtin resources', async () => {
    const { rendererSide } = served(resolve(import.meta.dirname, '../../resources'));
    const answer = await load(rendererSide, 'builtin:mnist');
    expect(answer.type === 'dataset' && answer.summary.count).toBe(10_000);
  });
});
