/**
 * ONNX export checked by real tools: ONNX Runtime runs every exported model and must agree within 1e-4 with
 * PyTorch (the same layers built by torch.nn from raw weight files) and with our engine's forward pass. The
 * structural rules of the ONNX checker are checked on the decoded file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportOnnx, INPUT_SCALING, type OnnxExportOptions } from '../../src/engine/io/onnx/export-onnx';
import { exportPytorchScript } from '../../src/engine/io/pytorch-script';
import { Network, SpecError } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
import { conv, dense, flatten, network, relu } from '../spec/build-spec';
import {
  EXPORT_CASES,
  type ExportCase,
  type Parameters,
  scaledPixels,
  seededParameters,
  seededPixels,
} from './export-cases';
import { decodeModel, modelType, structureProblems } from './onnx-structure';
import { PYTHON_WITH_TORCH, runPython, stdoutOf, TRIED, writeFloat32 } from './python';

const TOLERANCE = 1e-4;
const SCRIPT_OPTIONS = { weightsFileName: 'weights.safetensors', training: DEFAULT_TRAINING_SETTINGS };
const BATCH = 5;

interface Variant {
  label: string;
  normalized: boolean;
  softmaxOutput: boolean;
}
const VARIANTS: Variant[] = [
  { label: 'logits', normalized: false, softmaxOutput: false },
  { label: 'normalized, logits', normalized: true, softmaxOutput: false },
  { label: 'softmax', normalized: false, softmaxOutput: true },
  { label: 'normalized, softmax', normalized: true, softmaxOutput: true },
];

interface Run {
  exportCase: ExportCase;
  variant: Variant;
  params: Parameters;
  inputShape: number[];
  input: Float32Array;
  options: OnnxExportOptions;
}

const runs: Run[] = EXPORT_CASES.flatMap((exportCase, caseIndex) =>
  VARIANTS.map((variant) => {
    const { shape, pixels } = seededPixels(exportCase.spec, BATCH, 100 + caseIndex);
    return {
      exportCase,
      variant,
      params: seededParameters(exportCase.spec, caseIndex + 1),
      inputShape: shape,
      input: scaledPixels(pixels),
      options: {
        softmaxOutput: variant.softmaxOutput,
        ...(variant.normalized ? { normalization: exportCase.normalization } : {}),
      },
    };
  }),
);

async function runOnnx(bytes: Uint8Array, input: Float32Array, shape: number[]) {
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run({ input: new ort.Tensor('float32', input, shape) });
  const name = session.outputNames[0];
  return { inputNames: session.inputNames, name, dims: results[name].dims, data: results[name].data as Float32Array };
}

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

const maxErrors = { pytorch: 0, engine: 0 };
afterAll(() => {
  console.log(
    `ONNX Runtime vs PyTorch max |error| ${maxErrors.pytorch.toExponential(2)}, vs engine ${maxErrors.engine.toExponential(2)}`,
  );
});

describe.skipIf(!PYTHON_WITH_TORCH)(`ONNX Runtime agrees with PyTorch (skipped without torch; tried ${TRIED})`, () => {
  let directory: string;
  let references: number[][];

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cnn-studio-onnx-reference-'));
    const jobs = runs.map((run, index) => {
      const runDirectory = join(directory, String(index));
      mkdirSync(runDirectory);
      const script = join(runDirectory, 'model.py');
      writeFileSync(script, exportPytorchScript(run.exportCase.spec, SCRIPT_OPTIONS));
      const shapes: Record<string, number[]> = {};
      for (const [name, { shape, data }] of run.params) {
        shapes[name] = shape;
        writeFloat32(join(runDirectory, `${name}.bin`), data);
      }
      writeFloat32(join(runDirectory, 'input.bin'), run.input);
      return {
        script,
        directory: runDirectory,
        shapes,
        input: join(runDirectory, 'input.bin'),
        inputShape: run.inputShape,
        normalization: run.options.normalization ?? null,
        softmax: run.variant.softmaxOutput,
      };
    });
    writeFileSync(join(directory, 'jobs.json'), JSON.stringify(jobs));
    const output = stdoutOf(
      runPython(PYTHON_WITH_TORCH!, [join(import.meta.dirname, 'reference_forward.py'), 'jobs.json'], directory),
    );
    references = JSON.parse(output);
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  runs.forEach((run, index) => {
    test(`${run.exportCase.name}: ${run.variant.label}`, async () => {
      const bytes = exportOnnx(run.exportCase.spec, run.params, run.options);
      const result = await runOnnx(bytes, run.input, run.inputShape);
      const error = maxAbsDifference(result.data, references[index]);
      maxErrors.pytorch = Math.max(maxErrors.pytorch, error);
      expect(error).toBeLessThan(TOLERANCE);
    });
  });
});

describe('ONNX Runtime agrees with the engine forward', () => {
  EXPORT_CASES.forEach((exportCase, caseIndex) => {
    test(exportCase.name, async () => {
      const params = seededParameters(exportCase.spec, caseIndex + 1);
      const { shape, pixels } = seededPixels(exportCase.spec, BATCH, 100 + caseIndex);
      const input = scaledPixels(pixels);
      const engine = new Network(exportCase.spec, new Rng(1));
      engine.setParameters(params);
      const expected = engine.forward(tensor(shape, input), 'eval');
      const result = await runOnnx(exportOnnx(exportCase.spec, params), input, shape);
      expect(result.dims).toEqual(expected.shape);
      const error = maxAbsDifference(result.data, expected.data);
      maxErrors.engine = Math.max(maxErrors.engine, error);
      expect(error).toBeLessThan(TOLERANCE);
    });
  });
});

describe('ONNX file structure', () => {
  runs.forEach((run) => {
    test(`${run.exportCase.name}: ${run.variant.label} follows the checker's rules`, () => {
      expect(structureProblems(decodeModel(exportOnnx(run.exportCase.spec, run.params, run.options)))).toEqual([]);
    });
  });

  test('the structure check itself catches nodes out of order', () => {
    const { spec, normalization } = EXPORT_CASES[1];
    const bytes = exportOnnx(spec, seededParameters(spec, 2), { normalization });
    const message = modelType.decode(bytes) as unknown as { graph: { node: unknown[] } };
    message.graph.node.reverse();
    const problems = structureProblems(decodeModel(modelType.encode(message).finish()));
    expect(problems.some((problem) => problem.includes('before anything defines it'))).toBe(true);
  });

  test('x=[3,12,12] interface: "input" [batch,3,12,12], output, opset 17, IR 8, PyTorch names', async () => {
    const { spec, normalization } = EXPORT_CASES[1];
    const params = seededParameters(spec, 2);
    const model = decodeModel(
      exportOnnx(spec, params, { normalization, softmaxOutput: true, producerVersion: '9.9.9' }),
    );
    expect(model.ir_version).toBe(8);
    expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(model.producer_name).toBe('CNN Studio');
    expect(model.graph.input.map((input) => input.name)).toEqual(['input']);
    expect(model.graph.input[0].type.tensor_type.shape.dim).toEqual([
      { dim_param: 'batch' },
      { dim_value: 3 },
      { dim_value: 12 },
      { dim_value: 12 },
    ]);
    expect(model.graph.output.map((output) => output.name)).toEqual(['probabilities']);
    expect(model.graph.initializer.map((tensor) => tensor.name)).toEqual([
      'normalization.mean',
      'normalization.std',
      ...params.keys(),
    ]);
    expect(model.graph.node.map((node) => node.op_type)).toEqual([
      'Sub',
      'Div',
      'Conv',
      'Tanh',
      'AveragePool',
      'Conv',
      'Sigmoid',
      'Flatten',
      'Gemm',
      'Softmax',
    ]);
    const metadata = Object.fromEntries(model.metadata_props.map(({ key, value }) => [key, value]));
    expect(metadata.input_scaling).toBe(INPUT_SCALING);
    expect(metadata.normalization).toContain('mean [0.5,0.4,0.3], std [0.25,0.2,0.3]');
    expect(JSON.parse(metadata['cnn_studio.network'])).toEqual(spec);
  });

  test('weights are stored as little-endian float32 under their PyTorch keys', () => {
    const { spec } = EXPORT_CASES[0];
    const params = seededParameters(spec, 1);
    const stored = decodeModel(exportOnnx(spec, params)).graph.initializer.find(
      (tensor) => tensor.name === '0.weight',
    )!;
    const view = new DataView(stored.raw_data.buffer, stored.raw_data.byteOffset, stored.raw_data.byteLength);
    const values = Float32Array.from({ length: stored.raw_data.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
    expect(stored.dims).toEqual([6, 1, 5, 5]);
    expect(values).toEqual(params.get('0.weight')!.data);
  });

  test('lenet runs batches of 1 and 7 with the same per-sample outputs', async () => {
    const { spec } = EXPORT_CASES[0];
    const bytes = exportOnnx(spec, seededParameters(spec, 1));
    const { shape, pixels } = seededPixels(spec, 7, 9);
    const input = scaledPixels(pixels);
    const batch = await runOnnx(bytes, input, shape);
    const single = await runOnnx(bytes, input.subarray(0, 784), [1, 1, 28, 28]);
    expect(batch.dims).toEqual([7, 10]);
    expect(maxAbsDifference(single.data, batch.data.subarray(0, 10))).toBeLessThan(1e-6);
  });
});

describe('ONNX export refuses what it cannot write', () => {
  const spec = network('1x6x6', [conv(2, 3), relu, flatten, dense(3)]);
  const params = seededParameters(spec, 1);

  test('a spec with errors, naming the layer', () => {
    const broken = network('1x6x6', [conv(2, 3), dense(3)]);
    expect(() => exportOnnx(broken, params)).toThrow(SpecError);
    expect(() => exportOnnx(broken, params)).toThrow(/layer 1 \(dense\)/);
  });

  test('missing and misshapen weights', () => {
    const missing = new Map(params);
    missing.delete('3.bias');
    expect(() => exportOnnx(spec, missing)).toThrow(/3\.bias: missing/);
    const misshapen = new Map(params).set('0.weight', { shape: [2, 1, 3, 2], data: new Float32Array(12) });
    expect(() => exportOnnx(spec, misshapen)).toThrow(/0\.weight: the file has shape \[2,1,3,2\]/);
    const short = new Map(params).set('3.bias', { shape: [3], data: new Float32Array(2) });
    expect(() => exportOnnx(spec, short)).toThrow(/3\.bias: shape \[3\] holds 3 values but the data has 2/);
  });

  test('a normalization that does not fit the channels', () => {
    expect(() => exportOnnx(spec, params, { normalization: { mean: [0.5, 0.5], std: [1, 1] } })).toThrow(
      /2 means and 2 standard deviations but the input has 1 channel/,
    );
    expect(() => exportOnnx(spec, params, { normalization: { mean: [0.5], std: [0] } })).toThrow(/above 0/);
  });
});
