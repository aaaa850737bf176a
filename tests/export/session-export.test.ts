/**
 * Exports through the engine session and `cnn-studio export`, checked by the tools that read them: ONNX Runtime
 * runs the session's model.onnx, PyTorch runs the CLI's model.py with the weights.safetensors written beside it,
 * and a state_dict saved from PyTorch imports through `import-weights` and evaluates as PyTorch does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { cli, workspace } from '../cli/run-cli';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK, TOY_SIDE, toyNpz } from '../protocol/toy-data';
import { tempFolder } from '../temp-folder';
import { PYTHON_WITH_TORCH, runPython, stdoutOf, TRIED, writeNpy } from './python';

const TOLERANCE = 1e-4;
const BATCH = 6;

/** The first BATCH toy images as uint8 [N,1,8,8] (the same generator as toy.npz). */
function toyImages(): Uint8Array {
  const pixels = new Uint8Array(BATCH * TOY_SIDE * TOY_SIDE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + 11) % 256;
  return pixels;
}

/** Our engine's logits for uint8 images with the weights of a safetensors file (eval mode, pixels ÷ 255). */
function engineLogits(spec: NetworkSpec, weights: Uint8Array, pixels: Uint8Array): Float32Array {
  const network = new Network(spec, new Rng(0));
  network.setParameters(readSafetensors(weights).tensors);
  const x = tensor([BATCH, 1, TOY_SIDE, TOY_SIDE]);
  for (let i = 0; i < pixels.length; i++) x.data[i] = pixels[i] / 255;
  return network.forward(x, 'eval').data.slice();
}

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

/** The first run of a fresh session is run 1. */
const FIRST_RUN = { runId: 1, which: 'latest' } as const;

async function trainedSession(): Promise<SessionHarness> {
  const h = new SessionHarness();
  await h.ready();
  h.send({ type: 'train', settings: settings({ epochs: 1, normalize: true }) });
  await h.waitFor('run-state', (e) => e.state === 'done');
  return h;
}

describe('session export: ONNX', () => {
  test('model.onnx with the run normalization runs in ONNX Runtime like the engine, logits and softmax', async () => {
    const h = await trainedSession();
    h.send({ type: 'export', ...FIRST_RUN, format: 'safetensors' });
    const weights = new Uint8Array((await h.waitFor('exported', (e) => e.format === 'safetensors')).data);
    h.send({ type: 'export', ...FIRST_RUN, format: 'onnx' });
    const logitsModel = await h.waitFor('exported', (e) => e.format === 'onnx');
    expect(logitsModel.fileName).toBe('model.onnx');
    h.send({ type: 'export', ...FIRST_RUN, format: 'onnx', softmaxOutput: true });
    const softmaxModel = await h.waitFor('exported', (e) => e.format === 'onnx' && e !== logitsModel);

    // The run's normalization travels in the weights' metadata; the ONNX graph must apply it to its input.
    const normalization = JSON.parse(readSafetensors(weights).metadata['cnn-studio.normalization']);
    const pixels = toyImages();
    const scaled = Float32Array.from(pixels, (value) => value / 255);
    const normalized = scaled.map((value) => (value - normalization.mean[0]) / normalization.std[0]);
    const network = new Network(TOY_NETWORK, new Rng(0));
    network.setParameters(readSafetensors(weights).tensors);
    const reference = network.forward(tensor([BATCH, 1, TOY_SIDE, TOY_SIDE], normalized), 'eval').data.slice();
    expect(maxAbsDifference(engineLogits(TOY_NETWORK, weights, pixels), reference)).toBeGreaterThan(1e-3);

    const shape = [BATCH, 1, TOY_SIDE, TOY_SIDE];
    const run = async (data: ArrayBuffer) => {
      const session = await ort.InferenceSession.create(new Uint8Array(data));
      const results = await session.run({ input: new ort.Tensor('float32', scaled, shape) });
      return { name: session.outputNames[0], data: results[session.outputNames[0]].data as Float32Array };
    };
    const logits = await run(logitsModel.data);
    expect(logits.name).toBe('logits');
    expect(maxAbsDifference(logits.data, reference)).toBeLessThan(TOLERANCE);
    const probabilities = await run(softmaxModel.data);
    expect(probabilities.name).toBe('probabilities');
    for (let n = 0; n < BATCH; n++) {
      const row = reference.slice(n * 2, n * 2 + 2);
      const top = Math.max(...row);
      const sum = row.reduce((total, value) => total + Math.exp(value - top), 0);
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(probabilities.data[n * 2 + k] - Math.exp(row[k] - top) / sum)).toBeLessThan(TOLERANCE);
      }
    }
  });

  test('without a trained or imported run the export is refused with what to do', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'export', ...FIRST_RUN, format: 'onnx' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('not-ready');
    expect(error.hint).toBe('There is no run 1. Train a run first.');
  });
});

describe('session export: PyTorch', () => {
  test('the exported event carries model.py with the run settings and weights.safetensors as a companion', async () => {
    const h = await trainedSession();
    h.send({ type: 'export', ...FIRST_RUN, format: 'pytorch' });
    const exported = await h.waitFor('exported', (e) => e.format === 'pytorch');
    expect(exported.fileName).toBe('model.py');
    const script = new TextDecoder().decode(exported.data);
    expect(script).toContain('WEIGHTS_FILE = "weights.safetensors"');
    expect(script).toContain('DATA_SOURCE = "toy.npz"');
    expect(script).toMatch(/"batch_size": 8,/);
    expect(script).toMatch(/"learning_rate": 0\.1,/);
    expect(script).toMatch(/NORMALIZATION = \{"mean": \[/);
    expect(exported.companions?.map((file) => file.fileName)).toEqual(['weights.safetensors']);
    const companion = readSafetensors(new Uint8Array(exported.companions![0].data)).tensors;
    expect([...companion.keys()].sort()).toEqual(['0.bias', '0.weight', '4.bias', '4.weight']);
  });
});

describe('session export: PyTorch, refused', () => {
  test('a network whose outputs do not match the loaded classes is refused with what to change', async () => {
    const threeOutputs: NetworkSpec = {
      ...TOY_NETWORK,
      layers: TOY_NETWORK.layers.map((layer) => (layer.type === 'dense' ? { ...layer, units: 3 } : layer)),
    };
    const h = new SessionHarness();
    await h.ready(threeOutputs);
    const weights = writeSafetensors(new Network(threeOutputs, new Rng(2)).getParameters());
    h.send({ type: 'import-weights', fileName: 'three.safetensors', data: weights.slice().buffer });
    const { run } = await h.waitFor('weights-imported');
    h.send({ type: 'export', runId: run.runId, which: 'latest', format: 'pytorch' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('not-ready');
    expect(error.hint).toMatch(/3 outputs but the data has 2 classes; set the units of the last dense layer to 2/);
  });
});

describe.skipIf(!PYTHON_WITH_TORCH)(
  `CLI and session exports in PyTorch (skipped without torch; tried ${TRIED})`,
  () => {
    const python = PYTHON_WITH_TORCH!;

    test('cnn-studio export --format pytorch --out DIR writes model.py and weights.safetensors that predict like us', async () => {
      const { dir, npz, net } = workspace();
      const trained = join(dir, 'run');
      const train = await cli(
        'train',
        '--network',
        net,
        '--data',
        npz,
        '--epochs',
        '1',
        '--batch-size',
        '8',
        '--out',
        trained,
      );
      expect(train.code, train.stderr).toBe(0);
      const weightsPath = join(trained, 'weights.safetensors');
      const outDir = join(dir, 'pytorch-export');
      const exported = await cli(
        'export',
        '--network',
        net,
        '--weights',
        weightsPath,
        '--format',
        'pytorch',
        '--out',
        outDir,
        '--data',
        npz,
      );
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain(join(outDir, 'model.py'));
      expect(exported.stdout).toContain(join(outDir, 'weights.safetensors'));
      expect(readFileSync(join(outDir, 'weights.safetensors'))).toEqual(readFileSync(weightsPath));

      const pixels = toyImages();
      writeNpy(join(outDir, 'images.npy'), [BATCH, 1, TOY_SIDE, TOY_SIDE], pixels);
      const prediction = JSON.parse(
        stdoutOf(
          runPython(python, ['model.py', 'predict', '--input', 'images.npy', '--json', '--device', 'cpu'], outDir),
        ),
      );
      const ours = engineLogits(TOY_NETWORK, new Uint8Array(readFileSync(weightsPath)), pixels);
      expect(maxAbsDifference(prediction.outputs.flat(), ours)).toBeLessThan(TOLERANCE);

      const single = join(dir, 'single', 'net.py');
      const asFile = await cli(
        'export',
        '--network',
        net,
        '--weights',
        weightsPath,
        '--format',
        'pytorch',
        '--out',
        single,
      );
      expect(asFile.code, asFile.stderr).toBe(0);
      expect(existsSync(single) && existsSync(join(dir, 'single', 'weights.safetensors'))).toBe(true);
    });

    test('a state_dict saved from PyTorch imports through import-weights and evaluates as PyTorch evaluates it', async () => {
      const h = await trainedSession();
      h.send({ type: 'export', ...FIRST_RUN, format: 'pytorch' });
      const exported = await h.waitFor('exported', (e) => e.format === 'pytorch');
      const dir = tempFolder('torch-saved');
      writeFileSync(join(dir, 'model.py'), new Uint8Array(exported.data));
      writeFileSync(join(dir, 'toy.npz'), toyNpz(96));
      // PyTorch's own initialization, saved with safetensors.torch.save_file when that package is installed and
      // otherwise with model.py's save_weights fallback (Python code, not our TypeScript writer).
      const reference = JSON.parse(
        stdoutOf(
          runPython(
            python,
            [
              '-c',
              [
                'import json, numpy as np, torch, torch.nn.functional as F, model',
                'torch.manual_seed(3)',
                'net = model.build_model().eval()',
                'model.save_weights(net.state_dict(), "torch.safetensors")',
                'data = np.load("toy.npz")',
                'x = torch.from_numpy(data["x"].astype(np.float32) / 255)',
                'y = torch.from_numpy(data["y"].astype(np.int64))',
                'with torch.no_grad(): out = net(x)',
                'print(json.dumps({"loss": F.cross_entropy(out, y).item(), "accuracy": (out.argmax(1) == y).float().mean().item(),',
                '  "writer": "safetensors" if __import__("importlib").util.find_spec("safetensors") else "model.py"}))',
              ].join('\n'),
            ],
            dir,
          ),
        ),
      );
      const bytes = readFileSync(join(dir, 'torch.safetensors'));
      const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const fresh = new SessionHarness();
      await fresh.ready();
      fresh.send({ type: 'import-weights', fileName: 'torch.safetensors', data });
      const imported = await fresh.waitFor('weights-imported');
      expect(imported.tensors).toBe(4);
      fresh.send({ type: 'evaluate', runId: imported.run.runId, part: 'train' });
      const { evaluation } = await fresh.waitFor('evaluation');
      console.log(`torch-saved weights written by ${reference.writer}`);
      expect(evaluation.count).toBe(96);
      expect(Math.abs(evaluation.loss - reference.loss)).toBeLessThan(1e-5);
      expect(evaluation.accuracy).toBeCloseTo(reference.accuracy, 6);
    });
  },
);
