/**
 * Class names the user gives (the document's, under undo in the app) reach the loaded dataset, and through it
 * the summary (charts, confusion matrix), the ONNX metadata and model.py; the wrong number is refused.
 */
import { describe, expect, it } from 'vitest';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK } from './toy-data';

const textOf = (data: ArrayBuffer) => new TextDecoder().decode(new Uint8Array(data));

describe('set-class-names', () => {
  it('renames the classes of the loaded data, for the summary and the exports', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.events.length = 0;
    h.send({ type: 'set-class-names', names: ['left bright', 'right bright'] });
    const renamed = await h.waitFor('dataset');
    expect(renamed.summary.classNames).toEqual(['left bright', 'right bright']);
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    h.send({ type: 'export', runId: 1, which: 'latest', format: 'onnx' });
    const onnx = await h.waitFor('exported', (e) => e.format === 'onnx');
    expect(textOf(onnx.data)).toContain('class_names');
    expect(textOf(onnx.data)).toContain('["left bright","right bright"]');
    h.send({ type: 'export', runId: 1, which: 'latest', format: 'pytorch' });
    const script = await h.waitFor('exported', (e) => e.format === 'pytorch');
    expect(textOf(script.data)).toContain('CLASS_NAMES = ["left bright", "right bright"]');
  });

  it('goes back to the data’s own names with null, and refuses a list of the wrong length', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.events.length = 0;
    h.send({ type: 'set-class-names', names: ['a', 'b'] });
    await h.waitFor('dataset');
    h.events.length = 0;
    h.send({ type: 'set-class-names', names: null });
    expect((await h.waitFor('dataset')).summary.classNames).toEqual(['0', '1']);
    h.send({ type: 'set-class-names', names: ['a', 'b', 'c'] });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-data');
    expect(error.message).toBe('class names: 3 names for 2 classes: the loaded data has labels 0 to 1.');
  });

  it('keeps the document’s class names in the project file', async () => {
    const h = new SessionHarness();
    await h.ready();
    const document = {
      network: TOY_NETWORK,
      dataSource: 'toy.npz',
      training: settings(),
      classNames: ['left bright', 'right bright'],
    };
    h.send({ type: 'save-project', document });
    const { data } = await h.waitFor('project-saved');
    h.send({ type: 'open-project', fileName: 'p.cnnstudio', data });
    expect((await h.waitFor('project-opened')).document.classNames).toEqual(['left bright', 'right bright']);
  });
});
