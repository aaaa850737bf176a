/**
 * The generated model.py checked by Python itself: it compiles for every variant, `predict` agrees with ONNX
 * Runtime on the exported ONNX model within 1e-4, `train` runs on .npz and IDX data (also as two distributed
 * processes) and writes weights that load both in PyTorch and in CNN Studio, and its loss follows DESIGN.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportOnnx } from '../../src/engine/io/onnx/export-onnx';
import { exportPytorchScript, type PytorchScriptOptions } from '../../src/engine/io/pytorch-script';
import { checkWeightsAgainst, readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { learningRateAt } from '../../src/engine/optim/schedule';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
import { EXPORT_CASES, type ExportCase, scaledPixels, seededParameters, seededPixels } from './export-cases';
import { PYTHON, PYTHON_WITH_TORCH, runPython, runPythonAsync, stdoutOf, TRIED, writeNpy } from './python';

const TOLERANCE = 1e-4;

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'pytorch-script-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function writeScript(name: string, spec: NetworkSpec, options: Partial<PytorchScriptOptions> = {}): string {
  const path = join(directory, name);
  writeFileSync(
    path,
    exportPytorchScript(spec, {
      weightsFileName: 'weights.safetensors',
      training: DEFAULT_TRAINING_SETTINGS,
      ...options,
    }),
  );
  return path;
}

/** Every setting that changes the generated text, crossed with every test network. */
const SCRIPT_VARIANTS: Partial<PytorchScriptOptions>[] = [
  {},
  {
    training: { ...DEFAULT_TRAINING_SETTINGS, optimizer: 'adam', schedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
    dataSource: String.raw`C:\Users\me\"data"\train.npz`,
    weightsFileName: String.raw`we"ird\name.safetensors`,
  },
  {
    training: {
      ...DEFAULT_TRAINING_SETTINGS,
      nesterov: true,
      learningRate: 1,
      eps: 1e-10,
      schedule: { type: 'cosine', minLr: 0 },
      shuffle: false,
      validationSplit: 0,
    },
    dataSource: 'builtin:mnist',
  },
  {
    training: {
      ...DEFAULT_TRAINING_SETTINGS,
      optimizer: 'adamw',
      weightDecay: 0.01,
      warmupEpochs: 2,
      schedule: { type: 'cosine', minLr: 0.001 },
      augment: { hflip: true, cropPadding: 2 },
    },
  },
];

describe.skipIf(!PYTHON)(`generated model.py compiles (skipped without python3; tried ${TRIED})`, () => {
  test('every network × settings variant, with and without normalization', () => {
    const paths = EXPORT_CASES.flatMap((exportCase, caseIndex) =>
      SCRIPT_VARIANTS.flatMap((variant, variantIndex) => [
        writeScript(`compile_${caseIndex}_${variantIndex}.py`, exportCase.spec, variant),
        writeScript(`compile_${caseIndex}_${variantIndex}_normalized.py`, exportCase.spec, {
          ...variant,
          normalization: exportCase.normalization,
        }),
      ]),
    );
    stdoutOf(runPython(PYTHON!, ['-m', 'py_compile', ...paths], directory));
  });

  test('build_model has one module per layer, in spec order', () => {
    const { spec } = EXPORT_CASES[2];
    const script = exportPytorchScript(spec, { weightsFileName: 'w.safetensors', training: DEFAULT_TRAINING_SETTINGS });
    const modules = [...script.matchAll(/^ {8}nn\.(\w+)\(.*# (\d+): /gm)].map((match) => [match[1], Number(match[2])]);
    expect(modules).toEqual([
      ['Conv2d', 0],
      ['ReLU', 1],
      ['MaxPool2d', 2],
      ['Conv2d', 3],
      ['Tanh', 4],
      ['AvgPool2d', 5],
      ['Flatten', 6],
      ['Linear', 7],
      ['Dropout', 8],
    ]);
  });
});

describe('exportPytorchScript refuses what it cannot write', () => {
  test('a class count that differs from the network outputs', () => {
    const { spec } = EXPORT_CASES[0];
    expect(() =>
      exportPytorchScript(spec, { weightsFileName: 'w', training: DEFAULT_TRAINING_SETTINGS, numClasses: 7 }),
    ).toThrow(/10 outputs but the data has 7 classes/);
  });
});

/** ONNX Runtime's outputs for the same weights and pixels, the reference for `predict`. */
async function onnxOutputs(
  exportCase: ExportCase,
  weights: Map<string, { shape: number[]; data: Float32Array }>,
  pixels: Uint8Array,
  shape: number[],
  softmaxOutput: boolean,
) {
  const bytes = exportOnnx(exportCase.spec, weights, { normalization: exportCase.normalization, softmaxOutput });
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run({ input: new ort.Tensor('float32', scaledPixels(pixels), shape) });
  return results[session.outputNames[0]].data as Float32Array;
}

interface Prediction {
  classes: number[];
  outputs: number[][];
  probabilities?: number[][];
}

function maxAbsDifference(actual: number[], expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  return actual.reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
}

const maxErrors = { predict: 0 };
afterAll(() => console.log(`model.py predict vs ONNX Runtime max |error| ${maxErrors.predict.toExponential(2)}`));

describe.skipIf(!PYTHON_WITH_TORCH)(`model.py runs in PyTorch (skipped without torch; tried ${TRIED})`, () => {
  const python = PYTHON_WITH_TORCH!;

  EXPORT_CASES.forEach((exportCase, caseIndex) => {
    test(`predict on uint8 [N,C,H,W] matches ONNX Runtime: ${exportCase.name}`, async () => {
      const weights = seededParameters(exportCase.spec, caseIndex + 1);
      const { shape, pixels } = seededPixels(exportCase.spec, 6, 200 + caseIndex);
      const script = writeScript(`predict_${caseIndex}.py`, exportCase.spec, {
        normalization: exportCase.normalization,
      });
      writeFileSync(join(directory, `weights_${caseIndex}.safetensors`), writeSafetensors(weights));
      writeNpy(join(directory, `images_${caseIndex}.npy`), shape, pixels);
      const prediction: Prediction = JSON.parse(
        stdoutOf(
          runPython(
            python,
            [
              script,
              'predict',
              '--weights',
              `weights_${caseIndex}.safetensors`,
              '--input',
              `images_${caseIndex}.npy`,
              '--json',
              '--device',
              'cpu',
            ],
            directory,
          ),
        ),
      );
      const logits = await onnxOutputs(exportCase, weights, pixels, shape, false);
      const error = maxAbsDifference(prediction.outputs.flat(), logits);
      maxErrors.predict = Math.max(maxErrors.predict, error);
      expect(error).toBeLessThan(TOLERANCE);
      const classes = prediction.outputs[0].length;
      expect(prediction.classes).toEqual(
        prediction.outputs.map((_, n) => {
          const row = logits.subarray(n * classes, (n + 1) * classes);
          return row.indexOf(Math.max(...row));
        }),
      );
      if (exportCase.spec.loss === 'softmax-cross-entropy') {
        const probabilities = await onnxOutputs(exportCase, weights, pixels, shape, true);
        expect(maxAbsDifference(prediction.probabilities!.flat(), probabilities)).toBeLessThan(TOLERANCE);
      } else {
        expect(prediction.probabilities).toBeUndefined();
      }
    });
  });

  test('predict reads float32 [N,H,W] and a single [H,W] image as CNN Studio would: lenet', async () => {
    const exportCase = EXPORT_CASES[0];
    const weights = seededParameters(exportCase.spec, 1);
    const { shape, pixels } = seededPixels(exportCase.spec, 3, 300);
    const script = writeScript('predict_float.py', exportCase.spec, { normalization: exportCase.normalization });
    writeFileSync(join(directory, 'weights_float.safetensors'), writeSafetensors(weights));
    writeNpy(join(directory, 'images_float.npy'), [3, 28, 28], scaledPixels(pixels));
    writeNpy(join(directory, 'image_single.npy'), [28, 28], pixels.subarray(0, 784));
    const predict = (input: string): Prediction =>
      JSON.parse(
        stdoutOf(
          runPython(
            python,
            [script, 'predict', '--weights', 'weights_float.safetensors', '--input', input, '--json'],
            directory,
          ),
        ),
      );
    const logits = await onnxOutputs(exportCase, weights, pixels, shape, false);
    expect(maxAbsDifference(predict('images_float.npy').outputs.flat(), logits)).toBeLessThan(TOLERANCE);
    expect(maxAbsDifference(predict('image_single.npy').outputs.flat(), logits.subarray(0, 10))).toBeLessThan(
      TOLERANCE,
    );
  });

  test('train on .npz (2 epochs, CPU) writes weights that load in PyTorch and CNN Studio', async () => {
    const exportCase = EXPORT_CASES[1];
    const initial = seededParameters(exportCase.spec, 2);
    const script = writeScript('train_npz.py', exportCase.spec, { normalization: exportCase.normalization });
    writeFileSync(join(directory, 'initial.safetensors'), writeSafetensors(initial));
    writeTinyNpz(python, 'tiny.npz', exportCase.spec, 40);
    const run = runPython(
      python,
      [
        script,
        'train',
        '--data',
        'tiny.npz',
        '--epochs',
        '2',
        '--batch-size',
        '8',
        '--init-weights',
        'initial.safetensors',
        '--out',
        'trained.safetensors',
        '--device',
        'cpu',
      ],
      directory,
    );
    const stdout = stdoutOf(run);
    expect(stdout).toMatch(/epoch 1\/2 {2}loss \d+\.\d{4} {2}accuracy [\d.]+% {2}validation loss/);
    expect(stdout).toMatch(/epoch 2\/2/);

    const trained = readSafetensors(readFileSync(join(directory, 'trained.safetensors'))).tensors;
    expect(checkWeightsAgainst(parameterShapesOf(analyzeSpec(exportCase.spec)), trained)).toEqual([]);
    expect(trained.get('0.weight')!.data).not.toEqual(initial.get('0.weight')!.data);

    // The trained weights round-trip: PyTorch's load_state_dict takes them, and the ONNX export agrees with it.
    const { shape, pixels } = seededPixels(exportCase.spec, 4, 400);
    writeNpy(join(directory, 'check.npy'), shape, pixels);
    const prediction: Prediction = JSON.parse(
      stdoutOf(
        runPython(
          python,
          [script, 'predict', '--weights', 'trained.safetensors', '--input', 'check.npy', '--json'],
          directory,
        ),
      ),
    );
    const logits = await onnxOutputs(exportCase, new Map(trained), pixels, shape, false);
    expect(maxAbsDifference(prediction.outputs.flat(), logits)).toBeLessThan(TOLERANCE);
  });

  test('train on IDX files paired by the MNIST naming rule (gzipped images), with MSE, Adam and a step schedule', () => {
    const exportCase = EXPORT_CASES[3];
    const training = {
      ...DEFAULT_TRAINING_SETTINGS,
      optimizer: 'adam' as const,
      learningRate: 0.01,
      schedule: { type: 'step' as const, stepSize: 1, gamma: 0.5 },
    };
    const script = writeScript('train_idx.py', exportCase.spec, { training });
    const count = 30;
    const { pixels } = seededPixels(exportCase.spec, count, 500);
    writeFileSync(join(directory, 'tiny-images-idx3-ubyte.gz'), gzipSync(idxFile([count, 8, 8], pixels)));
    writeFileSync(
      join(directory, 'tiny-labels-idx1-ubyte'),
      idxFile(
        [count],
        Uint8Array.from({ length: count }, (_, i) => i % 3),
      ),
    );
    const stdout = stdoutOf(
      runPython(
        python,
        [
          script,
          'train',
          '--data',
          'tiny-images-idx3-ubyte.gz',
          '--epochs',
          '2',
          '--val-split',
          '0',
          '--out',
          'idx.safetensors',
          '--device',
          'cpu',
        ],
        directory,
      ),
    );
    expect(stdout).toMatch(/epoch 2\/2 {2}loss \d+\.\d{4} {2}accuracy [\d.]+%\n/);
    const trained = readSafetensors(readFileSync(join(directory, 'idx.safetensors'))).tensors;
    expect(checkWeightsAgainst(parameterShapesOf(analyzeSpec(exportCase.spec)), trained)).toEqual([]);
  });

  test('train the blocks network with AdamW, warmup, cosine and augmentation; the saved state_dict has its buffers', () => {
    const exportCase = EXPORT_CASES[4];
    const training = {
      ...DEFAULT_TRAINING_SETTINGS,
      optimizer: 'adamw' as const,
      learningRate: 0.01,
      weightDecay: 0.01,
      warmupEpochs: 2,
      epochs: 5,
      batchSize: 8,
      schedule: { type: 'cosine' as const, minLr: 0.001 },
      augment: { hflip: true, cropPadding: 2 },
      normalize: true,
    };
    const script = writeScript('train_blocks.py', exportCase.spec, {
      training,
      normalization: exportCase.normalization,
    });
    writeTinyNpz(python, 'blocks.npz', exportCase.spec, 20);
    const args = [script, 'train', '--data', 'blocks.npz', '--val-split', '0', '--out', 'blocks.safetensors'];
    const stdout = stdoutOf(runPython(python, [...args, '--device', 'cpu'], directory));
    expect(stdout).toMatch(/epoch 5\/5 {2}loss \d+\.\d{4} {2}accuracy [\d.]+%\n/);
    const trained = readSafetensors(readFileSync(join(directory, 'blocks.safetensors'))).tensors;
    const report = analyzeSpec(exportCase.spec);
    const state = new Map([...parameterShapesOf(report), ...bufferShapesOf(report)]);
    expect(checkWeightsAgainst(state, trained)).toEqual([]);
    // five epochs of three batches (8, 8 and 4 of the 20 samples)
    expect(trained.get('1.num_batches_tracked')?.data[0]).toBe(15);
    // the script's warmup and cosine rates are the engine's
    const code = `import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("m", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print(json.dumps([m.TRAINING["learning_rate"] * m.warmup_factor(e, 5) for e in range(5)]))`;
    const rates: number[] = JSON.parse(stdoutOf(runPython(python, ['-c', code, script], directory)));
    const expected = Array.from({ length: 5 }, (_, e) => learningRateAt(training.schedule, 0.01, e, 5, 2));
    for (const [e, rate] of rates.entries()) expect(rate).toBeCloseTo(expected[e], 12);
  });

  test('train names the formats it reads when given another one, and when given builtin:mnist', () => {
    const script = writeScript('train_other.py', EXPORT_CASES[3].spec, { dataSource: 'builtin:mnist' });
    const csv = runPython(python, [script, 'train', '--data', 'train.csv'], directory);
    expect(csv.status).toBe(1);
    expect(csv.stderr).toContain('train.csv: this script reads .npz archives and IDX files');
    const builtin = runPython(python, [script, 'train'], directory);
    expect(builtin.stderr).toContain(
      "give the training data with --data (CNN Studio's builtin:mnist is not available here",
    );
  });

  test('train as two processes with DistributedDataParallel (gloo), as torchrun starts them; rank 0 saves', async () => {
    const exportCase = EXPORT_CASES[1];
    const script = writeScript('train_ddp.py', exportCase.spec);
    writeTinyNpz(python, 'ddp.npz', exportCase.spec, 24);
    // The variables torchrun sets for each process it starts.
    const port = await freePort();
    const processEnv = (rank: number) => ({
      MASTER_ADDR: '127.0.0.1',
      MASTER_PORT: String(port),
      WORLD_SIZE: '2',
      RANK: String(rank),
      LOCAL_RANK: String(rank),
      LOCAL_WORLD_SIZE: '2',
      OMP_NUM_THREADS: '1',
    });
    const args = [
      script,
      'train',
      '--data',
      'ddp.npz',
      '--epochs',
      '2',
      '--batch-size',
      '8',
      '--out',
      'ddp.safetensors',
      '--device',
      'cpu',
    ];
    const [rank0, rank1] = await Promise.all(
      [0, 1].map((rank) => runPythonAsync(python, args, directory, processEnv(rank))),
    );
    expect(stdoutOf(rank0)).toMatch(/epoch 2\/2.*\nsaved the trained weights to ddp\.safetensors/);
    expect(stdoutOf(rank1)).toBe('');
    const trained = readSafetensors(readFileSync(join(directory, 'ddp.safetensors'))).tensors;
    expect(checkWeightsAgainst(parameterShapesOf(analyzeSpec(exportCase.spec)), trained)).toEqual([]);
  });

  test('compute_loss follows DESIGN.md: MSE is the batch mean of ½·Σ(t−y)², cross-entropy of −log softmax', () => {
    const mse = writeScript('loss_mse.py', EXPORT_CASES[3].spec);
    const crossEntropy = writeScript('loss_ce.py', EXPORT_CASES[2].spec);
    const code = `
import importlib.util, json, sys, torch
def load(path):
    spec = importlib.util.spec_from_file_location(path.replace(".", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
outputs = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]])
labels = torch.tensor([2, 0])
ce_outputs = torch.tensor([[1.0, 2.0, 3.0, 0.0], [0.5, -1.0, 0.0, 2.0]])
print(json.dumps([load(sys.argv[1]).compute_loss(outputs, labels).item(), load(sys.argv[2]).compute_loss(ce_outputs, labels).item()]))
`;
    const [mseLoss, crossEntropyLoss] = JSON.parse(
      stdoutOf(runPython(python, ['-c', code, mse, crossEntropy], directory)),
    );
    // Sample 1: ½·(1² + 2² + 2²) = 4.5; sample 2 (target [1,0,0]): ½·(0.5² + 1² + 0²) = 0.625.
    expect(mseLoss).toBeCloseTo((4.5 + 0.625) / 2, 6);
    const negativeLogSoftmax = (row: number[], label: number) =>
      Math.log(row.reduce((sum, value) => sum + Math.exp(value), 0)) - row[label];
    expect(crossEntropyLoss).toBeCloseTo(
      (negativeLogSoftmax([1, 2, 3, 0], 2) + negativeLogSoftmax([0.5, -1, 0, 2], 0)) / 2,
      6,
    );
  });
});

/** x uint8 [n,C,H,W] and y int64 [n] cycling through the classes, saved with numpy.savez. */
function writeTinyNpz(python: string, name: string, spec: NetworkSpec, n: number): void {
  const classes = analyzeSpec(spec).outputShape![0];
  const { shape, pixels } = seededPixels(spec, n, 600);
  writeNpy(join(directory, `${name}.x.npy`), shape, pixels);
  const code = `import numpy as np, sys; np.savez(sys.argv[1], x=np.load(sys.argv[2]), y=np.arange(${n}) % ${classes})`;
  stdoutOf(runPython(python, ['-c', code, name, `${name}.x.npy`], directory));
}

/** An IDX file of unsigned bytes: magic 0x0000080D (D dimensions), big-endian sizes, the values. */
function idxFile(dims: number[], values: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  for (const [axis, size] of dims.entries()) view.setUint32(4 + 4 * axis, size);
  return Uint8Array.from([...header, ...values]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
