/**
 * The memory limit through the engine session: a network whose training would not fit, or a dataset larger
 * than the limit, is refused before anything is allocated or read, with needed and available in the message.
 */
import { describe, expect, it } from 'vitest';
import type { FileSource } from '../../src/engine/data/source/files';
import type { EngineEvent } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session/session';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { idxBytes, memoryFiles } from '../data/writers';
import { RESOURCES_DIR, settings } from '../protocol/session-harness';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';

type ErrorEvent = Extract<EngineEvent, { type: 'error' }>;

/** A session with the given memory limit over memory files; `reads` counts the files actually read. */
function sessionWith(memoryLimitBytes: number | undefined, files: FileSource = memoryFiles({ 'toy.npz': toyNpz(96) })) {
  const events: EngineEvent[] = [];
  const reads: string[] = [];
  const session = new EngineSession({
    post: (event) => events.push(event),
    files: {
      stat: (path) => files.stat(path),
      list: (dir) => files.list(dir),
      readFile: (path) => {
        reads.push(path);
        return files.readFile(path);
      },
    },
    resourcesDir: RESOURCES_DIR,
    yieldToMessages: () => new Promise((done) => setImmediate(done)),
    now: () => 0,
    memoryLimitBytes,
  });
  /** Sends a command and resolves with the first event of `type` (or the first error) it causes. */
  let requestId = 0;
  const send = async (command: object, type: EngineEvent['type']): Promise<EngineEvent> => {
    const seen = events.length;
    requestId += 1;
    session.handle({ ...command, requestId });
    for (;;) {
      const found = events.slice(seen).find((event) => event.type === type || event.type === 'error');
      if (found) return found;
      await new Promise((done) => setImmediate(done));
    }
  };
  return { send, reads, events };
}

/** 512 filters over 8×8 keep 32,768 values per sample per layer: big activations, few parameters. */
const WIDE: NetworkSpec = {
  input: { channels: 1, height: 8, width: 8 },
  layers: [
    { type: 'conv2d', filters: 512, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};

describe('memory limit', () => {
  it('refuses training whose activations for the batch size exceed the limit, with the numbers', async () => {
    const { send } = sessionWith(32 * 2 ** 20);
    await send({ type: 'set-network', spec: WIDE }, 'network');
    await send({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    // Parameters: conv 512·9 + 512, dense 2·32,768 + 2 = 70,658 floats, ×3 (weight, gradient, momentum) ×4 bytes
    // = 847,896 bytes. Activations: 64 input values + 2·(32,768 + 32,768 + 32,768 + 2) per sample, ×64 ×4 bytes
    // = 50,349,056 bytes. Dataset: 96 × 64 uint8 = 6,144 bytes. Total 51,203,096 bytes → 49 MB (rounded up).
    const refused = (await send({ type: 'train', settings: settings({ batchSize: 64 }) }, 'run-state')) as ErrorEvent;
    expect(refused).toMatchObject({ type: 'error', code: 'too-large' });
    expect(refused.message).toBe(
      'Training this network (parameters with gradients and optimizer state 829 KB, activations for a batch of 64 ' +
        '49 MB, dataset 6 KB) needs about 49 MB but the memory limit is 32 MB. Lower the batch size, or shrink the ' +
        'layers with the largest outputs (fewer filters, a stride or pooling earlier).',
    );
    expect(refused.hint).toMatch(/^Lower the batch size/);
    // A batch of 8 needs 6.3 MB: the same network trains.
    const started = await send({ type: 'train', settings: settings({ batchSize: 8, epochs: 1 }) }, 'run-state');
    expect(started).toMatchObject({ type: 'run-state', state: 'running' });
  });

  it('refuses, under the default 4 GiB limit, a network whose parameters alone could not be allocated', async () => {
    const { send, events } = sessionWith(undefined);
    const huge: NetworkSpec = {
      ...TOY_NETWORK,
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 65536 },
        { type: 'dense', units: 65536 },
        { type: 'dense', units: 2 },
      ],
    };
    await send({ type: 'set-network', spec: huge }, 'network');
    await send({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    const refused = (await send({ type: 'train', settings: settings() }, 'run-state')) as ErrorEvent;
    // (64 + 1)·65,536 + (65,536 + 1)·65,536 + (65,536 + 1)·2 = 4,299,423,746 floats, ×3 ×4 bytes = 49,203.00002 MB.
    expect(refused.code).toBe('too-large');
    expect(refused.message).toMatch(
      /^Training this network \(parameters with gradients and optimizer state 49,204 MB, activations for a batch of 8 9 MB, dataset 6 KB\) needs about 49,212 MB but the memory limit is 4,096 MB\. Use fewer filters or units/,
    );
    expect(events.some((event) => event.type === 'run-state')).toBe(false);
  });

  it('Adam keeps two slots per weight, so it needs more than SGD', async () => {
    const { send } = sessionWith(undefined);
    const huge: NetworkSpec = {
      ...TOY_NETWORK,
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 65536 },
        { type: 'dense', units: 65536 },
        { type: 'dense', units: 2 },
      ],
    };
    await send({ type: 'set-network', spec: huge }, 'network');
    await send({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    const refused = (await send(
      { type: 'train', settings: settings({ optimizer: 'adam' }) },
      'run-state',
    )) as ErrorEvent;
    // The same 4,299,423,746 floats, ×4 (weight, gradient, two moments) ×4 bytes = 65,604.00003 MB.
    expect(refused.message).toMatch(/optimizer state 65,605 MB/);
  });

  it('refuses a dataset file larger than the limit before reading it', async () => {
    const npz = toyNpz(96);
    const { send, reads } = sessionWith(4096, memoryFiles({ 'toy.npz': npz }));
    const refused = (await send({ type: 'load-dataset', source: 'toy.npz' }, 'dataset')) as ErrorEvent;
    expect(refused).toMatchObject({ type: 'error', code: 'too-large' });
    expect(refused.message).toBe(
      `Loading this dataset (toy.npz: ${Math.ceil(npz.length / 1024)} KB) needs about ${Math.ceil(npz.length / 1024)} KB but the memory limit is 4 KB. Use a subset of the data, or smaller images.`,
    );
    expect(reads).toEqual([]);
  });

  it('counts every file of a dataset against the limit: images fit, images and labels do not', async () => {
    const images = idxBytes([10, 10, 10], new Uint8Array(1000));
    const labels = idxBytes([10], new Uint8Array(10));
    const files = memoryFiles({ 'train-images-idx3-ubyte': images, 'train-labels-idx1-ubyte': labels });
    const { send, reads } = sessionWith(images.length + 8, files);
    const refused = (await send({ type: 'load-dataset', source: 'train-images-idx3-ubyte' }, 'dataset')) as ErrorEvent;
    expect(refused.message).toBe(
      'Loading this dataset (train-labels-idx1-ubyte: 1 KB, after 1 KB already read) needs about 2 KB but the memory limit is 1 KB. Use a subset of the data, or smaller images.',
    );
    expect(reads).toEqual(['train-images-idx3-ubyte']);
  });
});
