/** The small rules behind the data and training panels: upload naming, split sizes, labels, Space, readiness. */
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../src/engine/data/summary';
import { templateSpec } from '../../src/engine/spec/templates';
import { invokeRequestSchemas } from '../../src/main/ipc-schemas';
import { openDataRequest } from '../../src/renderer/data-panel/open-data-request';
import { LOOSE_FILES_FOLDER, uploadOf } from '../../src/renderer/data-panel/read-upload';
import { sourceLabel } from '../../src/renderer/data-panel/source-label';
import { splitSizes } from '../../src/renderer/data-panel/split-sizes';
import { reduceRun } from '../../src/renderer/run/reduce-run';
import { initialRunView } from '../../src/renderer/run/run-state';
import { editorReport } from '../../src/renderer/store/editor-report';
import { formatDuration, formatRate } from '../../src/renderer/training/run-format';
import { readiness } from '../../src/renderer/training/run-readiness';
import { spaceBelongsTo } from '../../src/renderer/training/space-key';

const bytes = () => new ArrayBuffer(1);

describe('uploadOf', () => {
  it('loads a single dropped file or folder by its own name', () => {
    expect(uploadOf([{ path: 'digits.npz', data: bytes() }]).source).toBe('digits.npz');
    const folder = [
      { path: 'pets/cat/1.png', data: bytes() },
      { path: 'pets/dog/1.png', data: bytes() },
    ];
    expect(uploadOf(folder)).toEqual({ source: 'pets', files: folder });
  });

  it('puts several loose files in one folder the engine reads as a whole (an IDX pair, CIFAR batches)', () => {
    const upload = uploadOf([
      { path: 'train-images-idx3-ubyte.gz', data: bytes() },
      { path: 'train-labels-idx1-ubyte.gz', data: bytes() },
    ]);
    expect(upload.source).toBe(LOOSE_FILES_FOLDER);
    expect(upload.files.map((f) => f.path)).toEqual([
      'dropped/train-images-idx3-ubyte.gz',
      'dropped/train-labels-idx1-ubyte.gz',
    ]);
  });

  it('refuses an empty drop', () => {
    expect(() => uploadOf([])).toThrow('nothing was dropped');
  });
});

describe('splitSizes', () => {
  const summary = (parts: { name: string; count: number }[]) =>
    ({ parts: parts.map((p) => ({ ...p, classCounts: [] })) }) as unknown as DatasetSummary;

  it('holds out round(count × split) training samples, as the engine does', () => {
    expect(splitSizes(summary([{ name: 'train', count: 10_000 }]), 0.1)).toEqual({
      train: 9000,
      validation: 1000,
      test: 0,
      testValidates: false,
    });
    expect(splitSizes(summary([{ name: 'train', count: 95 }]), 0.25).validation).toBe(24);
  });

  it('validates on the dataset’s own test part when the split is 0', () => {
    const sizes = splitSizes(
      summary([
        { name: 'train', count: 50_000 },
        { name: 'test', count: 10_000 },
      ]),
      0,
    );
    expect(sizes).toEqual({ train: 50_000, validation: 0, test: 10_000, testValidates: true });
  });
});

describe('labels and formats', () => {
  it('names sources by their last part', () => {
    expect(sourceLabel('builtin:mnist')).toBe('Built-in MNIST digits');
    expect(sourceLabel('/home/ana/data/digits.npz')).toBe('digits.npz');
    expect(sourceLabel('C:\\data\\cifar\\')).toBe('cifar');
    expect(sourceLabel('a/images.idx,a/labels.idx')).toBe('images.idx + labels.idx');
  });

  it('reads durations and rates at a glance', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3 h 07 min');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatRate(250.4)).toBe('250/s');
    expect(formatRate(6340)).toBe('6.3k/s');
  });
});

describe('Space', () => {
  it('belongs to fields and buttons, and toggles training elsewhere', () => {
    const element = (nodeName: string, extra: object = {}) => ({
      nodeName,
      isContentEditable: false,
      getAttribute: () => null,
      ...extra,
    });
    expect(spaceBelongsTo(element('INPUT'))).toBe(true);
    expect(spaceBelongsTo(element('TEXTAREA'))).toBe(true);
    expect(spaceBelongsTo(element('SELECT'))).toBe(true);
    expect(spaceBelongsTo(element('BUTTON'))).toBe(true);
    expect(spaceBelongsTo(element('DIV', { isContentEditable: true }))).toBe(true);
    expect(spaceBelongsTo(element('BODY'))).toBe(false);
    expect(spaceBelongsTo(null)).toBe(false);
  });
});

describe('readiness', () => {
  const lenet = templateSpec('lenet');
  const mnistSummary = {
    count: 10_000,
    shape: { channels: 1, height: 28, width: 28 },
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
  } as DatasetSummary;
  const ready = reduceRun(initialRunView(), {
    type: 'dataset',
    requestId: 1,
    source: 'builtin:mnist',
    format: 'builtin',
    summary: mnistSummary,
    warnings: [],
    mismatches: [],
  });

  it('is ready on the first start: LeNet on the loaded MNIST', () => {
    expect(readiness(ready, lenet, editorReport(lenet))).toEqual({
      ready: true,
      summary: '10,000 samples, 10 classes',
    });
  });

  it('names the one thing to do first otherwise', () => {
    const loading = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'x.npz', requestId: 1 });
    expect(readiness(loading, lenet, editorReport(lenet))).toEqual({ ready: false, reason: 'Loading the data…' });
    const broken = { ...lenet, layers: [{ type: 'dense' as const, units: 10 }] };
    expect(readiness(ready, broken, editorReport(broken))).toEqual({
      ready: false,
      reason: 'Fix the network first: layer 0 is marked in red.',
    });
    const cifarShaped = { ...lenet, input: { channels: 3, height: 32, width: 32 } };
    const mismatch = readiness(ready, cifarShaped, editorReport(cifarShaped));
    expect(mismatch.ready).toBe(false);
    expect(!mismatch.ready && mismatch.reason).toMatch(/^The network does not fit the data: .*3×32×32/);
  });
});

describe('the native open dialog for data', () => {
  it('asks in a form main accepts, for files and for a folder', () => {
    const schema = invokeRequestSchemas['dialog:open'];
    expect(schema.parse(openDataRequest(false))).toEqual(openDataRequest(false));
    expect(schema.parse(openDataRequest(true))).toMatchObject({ directory: true, multiple: false });
  });
});
