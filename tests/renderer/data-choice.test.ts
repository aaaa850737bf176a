/**
 * Choosing data, against a real engine session in-process: a load that fails keeps the data loaded before (in
 * the engine, on screen and in the document, so Undo never reloads the broken files); the document names what
 * was uploaded (file names and sizes), and a reopened project whose uploaded data is gone asks for those files
 * again instead of blaming their format.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeFileSource } from '../../src/node/node-files';
import { describeUpload } from '../../src/renderer/data-panel/upload-source';
import { UploadRegistry } from '../../src/renderer/data-panel/uploads';
import { fetchFileSource } from '../../src/renderer/engine-client/fetch-files';
import { EngineSync } from '../../src/renderer/run/engine-sync';
import { RunController } from '../../src/renderer/run/run-controller';
import type { RunView } from '../../src/renderer/run/run-state';
import { createRunStore, type RunStore } from '../../src/renderer/run/run-store';
import { setClassName } from '../../src/renderer/store/commands';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';
import { InProcessClient } from './in-process-client';

let sync: EngineSync | null = null;
afterEach(() => sync?.stop());

/** The web build: the page reads no paths, only files the user gave it. */
function setUp(dataSource = 'builtin:mnist') {
  const engine = new InProcessClient(createNodeFileSource());
  const studio = createStudioStore({
    ...createStudioStore().getState().history.present,
    spec: TOY_NETWORK,
    dataSource,
  });
  const run = createRunStore();
  const uploads = new UploadRegistry({ readsPaths: false });
  sync = new EngineSync(engine, studio, run, uploads, 5);
  const controller = new RunController(engine, sync, studio, run, uploads);
  sync.start();
  engine.connect();
  return { engine, studio, run, controller, doc: (): StudioDocument => studio.getState().history.present };
}

function until(run: RunStore, predicate: (view: RunView) => boolean): Promise<RunView> {
  return new Promise((resolve) => {
    if (predicate(run.getState().view)) return resolve(run.getState().view);
    const stop = run.subscribe((state) => {
      if (predicate(state.view)) {
        stop();
        resolve(state.view);
      }
    });
  });
}

const file = (path: string, bytes: Uint8Array) => ({ path, data: bytes.slice().buffer });

describe('choosing data', () => {
  it('names uploaded files and their sizes in the document, not "dropped"', async () => {
    const { run, controller, doc } = setUp();
    await until(run, (v) => v.dataset.state === 'ready');
    const images = file('train-images-idx3-ubyte', new Uint8Array(10));
    const labels = file('train-labels-idx1-ubyte', new Uint8Array(3));
    controller.chooseSource('dropped', [
      { ...images, path: `dropped/${images.path}` },
      { ...labels, path: `dropped/${labels.path}` },
    ]);
    await until(run, (v) => v.dataset.state === 'failed');
    const good = toyNpz(40);
    controller.chooseSource('digits.npz', [file('digits.npz', good)]);
    await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.count === 40);
    expect(doc().dataSource).not.toBe('digits.npz');
    expect(describeUpload(doc().dataSource)).toEqual({
      files: [{ name: 'digits.npz', size: good.byteLength }],
      count: 1,
      bytes: good.byteLength,
    });
  });

  it('a failed load keeps the previous data in the engine, on screen and in the document; Undo skips it', async () => {
    const { engine, run, controller, doc, studio } = setUp();
    await until(run, (v) => v.dataset.state === 'ready');
    controller.chooseSource('good.npz', [file('good.npz', toyNpz(40))]);
    await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.count === 40);
    const goodSource = doc().dataSource;
    controller.chooseSource('broken.npz', [file('broken.npz', new TextEncoder().encode('not a dataset'))]);
    const failed = await until(run, (v) => v.dataset.state === 'failed');
    expect(failed.dataset.state === 'failed' && failed.dataset.previous?.summary.count).toBe(40);
    expect(doc().dataSource).toBe(goodSource);
    // the engine still trains on the good data
    controller.step();
    const stepped = await until(run, (v) => v.progress !== null);
    const { batchSize, validationSplit } = doc().training;
    expect(stepped.progress?.batchesPerEpoch).toBe(Math.ceil((40 - Math.round(40 * validationSplit)) / batchSize));
    controller.stop();
    await until(run, (v) => v.run.phase === 'stopped');
    studio.getState().undo();
    await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.count === 10_000);
    expect(loadsSent(engine)).toEqual(['builtin:mnist', 'good.npz', 'broken.npz', 'builtin:mnist']);
  });

  it('a reopened project whose uploaded data is gone asks for those files, naming them, and sends nothing', async () => {
    const { controller, run: first, doc } = setUp();
    await until(first, (v) => v.dataset.state === 'ready');
    const shirts = toyNpz(30);
    controller.chooseSource('shirts.npz', [file('shirts.npz', shirts)]);
    await until(first, (v) => v.dataset.state === 'ready' && v.dataset.summary.count === 30);
    sync?.stop();
    const { engine, run } = setUp(doc().dataSource);
    const view = await until(run, (v) => v.dataset.state === 'missing');
    expect(view.dataset.state === 'missing' && view.dataset.files).toEqual([
      { name: 'shirts.npz', size: shirts.byteLength },
    ]);
    expect(loadsSent(engine)).toEqual([]);
  });

  it('in the web build, a path from a project saved before (or on the desktop) is asked for, not read', async () => {
    const { engine, run } = setUp('dropped');
    const view = await until(run, (v) => v.dataset.state === 'missing');
    expect(view.dataset.state === 'missing' && view.dataset.files).toEqual([{ name: 'dropped', size: null }]);
    expect(loadsSent(engine)).toEqual([]);
  });
});

describe('the web worker reads only the app’s resources', () => {
  it('answers "not there" for a user path instead of the page the server sends for any address', async () => {
    const page = '<!doctype html><title>CNN Studio</title>';
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async () => new Response(page, { status: 200 })) as typeof fetch;
    try {
      const files = fetchFileSource('http://127.0.0.1:5173/resources');
      expect(await files.stat('fashion.npz')).toBeNull();
      await expect(files.readFile('dropped')).rejects.toThrow(/not one of the app's resources/);
      expect(await files.stat('http://127.0.0.1:5173/resources/mnist/images.idx.gz')).toEqual({
        isDirectory: false,
        size: 0,
      });
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe('naming classes', () => {
  it('is a document edit under undo that renames the loaded data’s classes in the engine', async () => {
    const { run, studio, doc, engine } = setUp();
    const loaded = await until(run, (v) => v.dataset.state === 'ready');
    const own = loaded.dataset.state === 'ready' ? loaded.dataset.ownClassNames : [];
    expect(own[3]).toBe('3');
    studio.getState().edit((d) => setClassName(d, own, 3, ' three '));
    expect(doc().classNames?.[3]).toBe('three');
    await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.classNames[3] === 'three');
    studio.getState().undo();
    const back = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.classNames[3] === '3');
    expect(doc().classNames ?? null).toBeNull();
    expect(back.dataset.state === 'ready' && back.dataset.ownClassNames[3]).toBe('3');
    expect(
      engine.sent.filter((c) => c.type === 'set-class-names').map((c) => c.type === 'set-class-names' && c.names?.[3]),
    ).toEqual(['three', undefined]);
  });

  it('a rename undone before the engine answers leaves the engine with the data’s own names', async () => {
    const { engine, studio, run, doc } = setUp();
    const loaded = await until(run, (v) => v.dataset.state === 'ready');
    const own = loaded.dataset.state === 'ready' ? loaded.dataset.ownClassNames : [];
    // the undo comes while the panel still shows the data's own names: the rename's answer is on its way
    studio.getState().edit((d) => setClassName(d, own, 0, 'zero'));
    studio.getState().undo();
    expect(doc().classNames ?? null).toBeNull();
    const sent = engine.sent.filter((c) => c.type === 'set-class-names');
    expect(sent.map((c) => c.type === 'set-class-names' && (c.names?.[0] ?? null))).toEqual(['zero', null]);
    const settled = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.summary.classNames[0] === '0');
    expect(settled.dataset.state === 'ready' && settled.dataset.summary.classNames[0]).toBe('0');
  });

  it('an empty name goes back to the data’s own, and all-own names leave none in the document', () => {
    const base = { ...createStudioStore().getState().history.present, classNames: null };
    const own = ['0', '1'];
    const named = setClassName(base, own, 1, 'dog');
    expect(named.classNames).toEqual(['0', 'dog']);
    expect(setClassName(named, own, 1, '  ').classNames).toBeNull();
    expect(setClassName(base, own, 0, '0')).toBe(base);
  });
});

/** The sources of the load-dataset commands the page sent, in order. */
function loadsSent(engine: InProcessClient): string[] {
  return engine.sent.flatMap((command) => (command.type === 'load-dataset' ? [command.source] : []));
}
