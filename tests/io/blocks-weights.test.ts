/** Weights files of networks with blocks: buffers travel with the parameters; missing running statistics are refused. */
import { describe, expect, it } from 'vitest';
import { checkWeightsAgainst, readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { readWeightsJson, writeWeightsJson } from '../../src/engine/io/weights-json';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import { tensor } from '../../src/engine/tensor';

const SPEC = { ...templateSpec('small-resnet'), input: { channels: 1, height: 8, width: 8 } };

function trainedNetwork() {
  const rng = new Rng(4);
  const network = buildNetwork(SPEC, rng);
  const x = tensor([3, 1, 8, 8]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.nextFloat();
  network.forward(x, 'train');
  network.forward(x, 'train');
  return network;
}

function headerOf(bytes: Uint8Array): Record<string, { dtype: string; shape: number[] }> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
}

describe('weights files with batch norm buffers', () => {
  it('safetensors: num_batches_tracked is I64 of shape [], the rest F32; everything reads back exactly', () => {
    const network = trainedNetwork();
    const bytes = writeSafetensors(network.getState());
    const header = headerOf(bytes);
    expect(header['1.num_batches_tracked']).toMatchObject({ dtype: 'I64', shape: [] });
    expect(header['3.body.1.running_var']).toMatchObject({ dtype: 'F32', shape: [16] });
    const { tensors } = readSafetensors(bytes);
    expect(tensors.get('1.num_batches_tracked')?.data).toEqual(new Float32Array([2]));
    const copy = buildNetwork(SPEC, new Rng(9));
    copy.setState(tensors);
    expect(copy.getState()).toEqual(network.getState());
  });

  it('weights JSON carries the buffers too', () => {
    const network = trainedNetwork();
    const document = readWeightsJson(writeWeightsJson(SPEC, network.getState()));
    expect([...document.tensors.keys()].sort()).toEqual(Object.keys(network.getState()).sort());
    expect(document.tensors.get('7.shortcut.1.running_mean')?.data).toEqual(
      network.getState()['7.shortcut.1.running_mean'].data,
    );
  });

  it('bad input: a file without the running statistics is refused naming the tensor and the batch norm layer', () => {
    const network = trainedNetwork();
    const report = analyzeSpec(SPEC);
    const expected = new Map([...parameterShapesOf(report), ...bufferShapesOf(report)]);
    const { tensors } = readSafetensors(writeSafetensors(network.getState()));
    tensors.delete('5.body.1.running_mean');
    expect(checkWeightsAgainst(expected, tensors)).toEqual([
      '5.body.1.running_mean: missing from the file (the network expects shape [16]); the running statistics of layer 5.body.1 (batchnorm) are not there, so export the weights again with its buffers (PyTorch: save model.state_dict())',
    ]);
    const state = network.getState();
    delete state['5.body.1.running_mean'];
    expect(() => writeWeightsJson(SPEC, state)).toThrow(
      /5\.body\.1\.running_mean: missing from the file.*layer 5\.body\.1 \(batchnorm\)/,
    );
    expect(() => buildNetwork(SPEC, new Rng(1)).setState(state)).toThrow(/missing buffer "5\.body\.1\.running_mean"/);
  });

  it('bad input: an I64 value beyond what float32 holds exactly is refused', () => {
    const bytes = writeSafetensors({ '0.num_batches_tracked': { shape: [], data: new Float32Array([1]) } });
    const view = new DataView(bytes.buffer);
    view.setBigInt64(bytes.length - 8, 2n ** 40n, true);
    expect(() => readSafetensors(bytes, 'w.safetensors')).toThrow(
      'w.safetensors, tensor "0.num_batches_tracked": an I64 value is beyond ±16777216',
    );
  });
});
