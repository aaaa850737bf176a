/** The fashion-resnet bench line's parsing of `cnn-studio train --json` and of the PyTorch peer, and its printed table. */
import { describe, expect, it } from 'vitest';
import {
  formatFashionResnet,
  parseCliEpochs,
  parseCliTrainLines,
  parsePeerLines,
  type StampedLine,
  secondsPerEpoch,
} from '../../bench/fashion-resnet-report';

const epochEvent = (epoch: number, trainAccuracy: number, validation: number | null) =>
  JSON.stringify({
    type: 'epoch',
    runId: 1,
    report: { epoch, lr: 0.002, trainLoss: 0.5, trainAccuracy, validation: validation && { accuracy: validation } },
  });

const CLI_LINES: StampedLine[] = [
  { atMs: 0, text: '{"type":"threads","threads":{"active":2,"defaultCount":2,"cores":2,"limitation":null}}' },
  { atMs: 500, text: '{"type":"run-state","runId":1,"state":"running","epoch":0,"step":0,"totalSteps":10}' },
  { atMs: 600, text: '{"type":"progress","epoch":1}' },
  { atMs: 10_500, text: epochEvent(1, 0.8, 0.85) },
  { atMs: 11_000, text: '{"type":"run-state","runId":1,"state":"running","epoch":1,"step":5,"totalSteps":10}' },
  { atMs: 22_500, text: epochEvent(2, 0.9, 0.91) },
  { atMs: 23_000, text: '' },
  {
    atMs: 24_000,
    text: JSON.stringify({ type: 'summary', state: 'done', test: { accuracy: 0.9234, epoch: 2 }, error: null }),
  },
];

describe('fashion-resnet report', () => {
  it('times each epoch from the run start and the previous epoch event', () => {
    const figures = parseCliTrainLines(CLI_LINES);
    expect(figures.epochs).toEqual([
      { epoch: 1, seconds: 10, trainAccuracy: 0.8, validationAccuracy: 0.85 },
      { epoch: 2, seconds: 12, trainAccuracy: 0.9, validationAccuracy: 0.91 },
    ]);
    expect(figures).toMatchObject({ testAccuracy: 0.9234, testedEpoch: 2, threads: 2 });
    expect(secondsPerEpoch(figures)).toBe(11);
    expect(parseCliEpochs(CLI_LINES.slice(0, 4))).toHaveLength(1);
  });

  it('says what is missing or failed', () => {
    expect(() => parseCliTrainLines(CLI_LINES.slice(0, 6))).toThrow('no summary line');
    const failed = { atMs: 1, text: JSON.stringify({ type: 'summary', test: null, error: 'layer 3 diverged' }) };
    expect(() => parseCliTrainLines([failed])).toThrow('cnn-studio train failed: layer 3 diverged');
    const untested = { atMs: 1, text: JSON.stringify({ type: 'summary', test: null, error: null }) };
    expect(() => parseCliTrainLines([untested])).toThrow('run with --test');
    expect(() => parseCliEpochs([{ atMs: 0, text: epochEvent(1, 0.5, null) }])).toThrow('before the run started');
    expect(() => parseCliTrainLines([{ atMs: 0, text: 'Error: oops' }])).toThrow('not a JSON line: Error: oops');
  });

  it('reads the PyTorch peer and prints both with the time ratio', () => {
    const peer = parsePeerLines(
      [
        '{"type": "epoch", "epoch": 1, "trainAccuracy": 0.7, "validationAccuracy": 0.8, "seconds": 40.0}',
        '{"type": "epoch", "epoch": 2, "trainAccuracy": 0.9, "validationAccuracy": 0.9, "seconds": 48.0}',
        '{"type": "test", "accuracy": 0.925, "epoch": 2, "threads": 2, "version": "1.13.0"}',
        '',
      ].join('\n'),
    );
    expect(secondsPerEpoch(peer)).toBe(44);
    expect(() => parsePeerLines('{"type": "epoch", "epoch": 1}\n')).toThrow('no "test" line');
    const text = formatFashionResnet({
      settings: '--epochs 2',
      trainSamples: 60000,
      ours: parseCliTrainLines(CLI_LINES),
      pytorch: peer,
    });
    const rows = text.split('\n');
    expect(rows[3]).toBe('| cnn-studio train | 2 | 92.34% (meets the 92.00% target) | 2 | 11.0 | 1.00× |');
    // 11 s against 44 s per epoch
    expect(rows[4]).toBe('| PyTorch 1.13.0 (exported model.py) | 2 | 92.50% | 2 | 44.0 | 0.25× |');
  });

  it('flags an accuracy below the target and says why PyTorch is missing', () => {
    const ours = { ...parseCliTrainLines(CLI_LINES), testAccuracy: 0.9 };
    const text = formatFashionResnet({
      settings: '',
      trainSamples: 6400,
      ours,
      pytorch: null,
      pytorchMissing: 'no torch',
    });
    expect(text).toContain('90.00% (BELOW the 92.00% target)');
    expect(text).toContain('(no PyTorch figure: no torch)');
  });
});
