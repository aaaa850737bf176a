/**
 * A residual block on the GPU, as src/engine/layers/residual.ts: y = body(x) + shortcut(x). Each branch is a
 * sequence of GPU layers with their own buffers (nested blocks included); the block adds the two branch outputs
 * (x itself for an empty, identity shortcut) into its own output. Backward feeds the same dy to both branches
 * and adds their input gradients, body first, into its own dx (kernels/elementwise.ts addTensors).
 */
import type { Layer, Mode } from '../../layers/layer';
import type { Residual } from '../../layers/residual';
import { type LayerSpec, type ResidualSpec, shortcutOf } from '../../spec/types';
import type { Dispatch, GpuContext } from '../gpu-context';
import { addTensors } from '../kernels/elementwise';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export type GpuLayerFactory = (spec: LayerSpec, inputs: GpuLayerInputs) => GpuLayer;

export class ResidualGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  readonly body: readonly GpuLayer[];
  readonly shortcut: readonly GpuLayer[];
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly outSize: number;
  private readonly inSize: number;

  constructor(inputs: GpuLayerInputs, spec: ResidualSpec, create: GpuLayerFactory) {
    const { ctx, layer, maxBatch } = inputs;
    const block = layer as Residual;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    const branch = (specs: readonly LayerSpec[], layers: readonly Layer[]): GpuLayer[] => {
      let input = inputs.input;
      return specs.map((inner, i) => {
        const gpuLayer = create(inner, { ...inputs, layer: layers[i], input });
        input = gpuLayer.output;
        return gpuLayer;
      });
    };
    this.body = branch(spec.body, block.body);
    this.shortcut = branch(shortcutOf(spec), block.shortcut);
    this.outSize = sampleSize(layer.outShape);
    this.inSize = sampleSize(layer.inShape);
    this.output = ctx.storage(maxBatch * this.outSize, `${layer.path} residual y`);
    this.dx = ctx.storage(maxBatch * this.inSize, `${layer.path} residual dx`);
  }

  private branchOutput(layers: readonly GpuLayer[]): GPUBuffer {
    return layers.length === 0 ? this.input : layers[layers.length - 1].output;
  }

  forward(batch: number, mode: Mode): Dispatch[] {
    return [
      ...this.body.flatMap((layer) => layer.forward(batch, mode)),
      ...this.shortcut.flatMap((layer) => layer.forward(batch, mode)),
      addTensors(
        this.ctx,
        batch * this.outSize,
        this.branchOutput(this.body),
        this.branchOutput(this.shortcut),
        this.output,
      ),
    ];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean, mode: Mode): Dispatch[] {
    const body = backwardBranch(this.body, batch, dy, needInputGrad, mode);
    const shortcut = backwardBranch(this.shortcut, batch, dy, needInputGrad, mode);
    const dispatches = [...body.dispatches, ...shortcut.dispatches];
    if (needInputGrad) dispatches.push(addTensors(this.ctx, batch * this.inSize, body.dx, shortcut.dx, this.dx));
    return dispatches;
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}

/** Backpropagates dy through a branch, last layer first; dx is dy itself for an empty (identity) branch. */
function backwardBranch(
  layers: readonly GpuLayer[],
  batch: number,
  dy: GPUBuffer,
  needInputGrad: boolean,
  mode: Mode,
): { dispatches: Dispatch[]; dx: GPUBuffer } {
  const dispatches: Dispatch[] = [];
  let delta = dy;
  for (let i = layers.length - 1; i >= 0; i--) {
    dispatches.push(...layers[i].backward(batch, delta, i > 0 || needInputGrad, mode));
    delta = layers[i].inputGrad(delta);
  }
  return { dispatches, dx: delta };
}
