/**
 * The program a data-parallel training step runs (assembly/train-step.ts), compiled from the layer tree: one
 * record of OP_WORDS i32 per pass, the forward passes in layer order (a residual block's body, then its
 * shortcut, then their sum), the fused softmax cross-entropy, then the backward passes in reverse (a block feeds
 * its output gradient to both branches and sums their input gradients), and after the records each
 * convolution's shape block. The records are cut into phases: each batch norm ends one after its per-chunk
 * statistics and one after its per-chunk gradient sums, where the host combines them over the whole batch.
 * A relu directly followed by a 2×2 max-pool with stride 2 is one record each way (assembly/relu-maxpool.ts):
 * forward still writes the relu's output, backward goes straight to the relu's input gradient.
 * Words that are addresses are written as region names here; train-step-wasm.ts lays the regions out and
 * resolves them to the byte address of sample 0.
 */
import type { Param } from '../../params';
import type { Conv2dDims, Pool2dDims } from '../dims';
import { alignedFloats } from './scratch-layout';

/** i32 per program record (assembly/train-step.ts). */
export const OP_WORDS = 16;
/** i32 per convolution shape block (nine used) after the records. */
export const SHAPE_WORDS = 12;
/** A shape block's word: the prefix, then the block's number. */
export const SHAPE_PREFIX = '#shape';
/** Each record's first word: the pass it runs (the constants of the same names in assembly/train-step.ts). */
export const OP = {
  convForward: 1,
  reluForward: 2,
  maxPoolForward: 3,
  denseForward: 4,
  softmaxCrossEntropy: 5,
  denseBackward: 6,
  reluBackward: 7,
  maxPoolBackward: 8,
  convBackward: 9,
  multiply: 10,
  clearSlab: 11,
  leakyReluForward: 12,
  leakyReluBackward: 13,
  globalAvgPoolForward: 14,
  globalAvgPoolBackward: 15,
  add: 16,
  batchNormStatistics: 17,
  batchNormNormalize: 18,
  batchNormGradientSums: 19,
  batchNormBackwardData: 20,
  reluMaxPoolForward: 21,
  reluMaxPoolBackward: 22,
} as const;

/** Floats of a batch norm's coefficient region per channel: five float64 (mean, invStd, scale, meanDy, meanDyXHat). */
const BATCH_NORM_COEFFICIENT_FLOATS = 10;

/** A batch norm in training: the layer's parameters and the statistics the step writes for it. */
export interface StepBatchNorm {
  type: 'batchnorm';
  channels: number;
  /** H·W for images, 1 for flat features. */
  plane: number;
  weight: Param;
  bias: Param;
  eps: number;
  /** Moves the running statistics towards `mean` and `variance` over `count` values per channel, as the layer does. */
  updateRunningStatistics: (count: number) => void;
  /** The layer's statistics of the last forward (the batch's), which it keeps for inspection. */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * One layer of the network, as the plan needs it. flatten (also a dropout of rate 0) only renames its input; a
 * dropout multiplies by a mask that the host draws for each step (see TrainStepWasm.run's drawMask).
 */
export type StepLayer =
  | { type: 'conv2d'; dims: Conv2dDims; weight: Param; bias: Param | null }
  | { type: 'relu'; size: number }
  | { type: 'leakyrelu'; size: number; slope: number }
  | { type: 'dropout'; size: number; rate: number }
  | { type: 'maxpool2d'; dims: Pool2dDims }
  | { type: 'globalavgpool'; channels: number; plane: number }
  | { type: 'flatten' }
  | { type: 'dense'; inFeatures: number; outFeatures: number; weight: Param; bias: Param }
  | StepBatchNorm
  | { type: 'residual'; body: StepLayer[]; shortcut: StepLayer[] };

/** A record's word: a number, or the name of a region (or shape block) whose byte address it becomes; '' is 0. */
export type Word = number | string;

/** A parameter (or a bias-free convolution's zero bias) with its place in the memory and in a gradient slab. */
export interface ParamSlot {
  values: Float32Array;
  /** Where its gradient goes, or null for a bias-free convolution's bias. */
  grad: Float32Array | null;
  region: string;
  /** Float offset of its gradient inside a slab, or −1 when it is computed over the whole batch (region d…). */
  slabOffset: number;
}

/** A dense layer whose weight gradient is one product over the whole batch, after the chunks. */
export interface BatchLevelDense {
  features: number;
  units: number;
  x: string;
  dy: string;
  dWeight: string;
  dBias: string;
}

/**
 * A dense weight W [rows = units, cols = features] the host transposes into Wᵀ once per step, after copying the
 * parameters in: every chunk's forward product then reads Wᵀ in place rather than packing W itself.
 */
export interface WeightTranspose {
  weight: string;
  weightT: string;
  rows: number;
  cols: number;
}

/** What the host does at the end of a phase: combine a batch norm's per-chunk partial sums over the batch. */
export interface Barrier {
  kind: 'statistics' | 'gradients';
  norm: StepBatchNorm;
  /** Its coefficient region (BATCH_NORM_COEFFICIENT_FLOATS per channel). */
  coefficients: string;
  /** Its γ and β gradient regions. */
  dWeight: string;
  dBias: string;
}

/** Records [start, end) run chunk by chunk in one fork-join; then the barrier, if any. */
export interface Phase {
  start: number;
  end: number;
  barrier: Barrier | null;
}

export interface StepProgram {
  records: Word[][];
  /** The convolutions' shape blocks, after the records. */
  shapes: number[][];
  phases: Phase[];
  /** Floats per region for this batch size, in layout order. */
  sizes: Record<string, number>;
  params: ParamSlot[];
  slabFloats: number;
  /** The regions of the dropout masks and their rates, in the order Network.forward draws them. */
  dropouts: { mask: string; rate: number }[];
  batchLevel: BatchLevelDense[];
  transposes: WeightTranspose[];
  /** Per top-level layer, the region holding its output (a flatten names its input's). */
  outputs: string[];
  /** Per-thread scratch, floats: one sample's im2col matrix, gemm's packing buffer, a conv's dWᵀ. */
  colsFloats: number;
  packFloats: number;
  weightsTFloats: number;
}

/**
 * Dense layers with at least this many weights get their weight gradient over the whole batch after the chunks
 * (one product with the batch as its inner dimension, split over the threads by columns as in dense-wasm.ts)
 * rather than per chunk: a slab per chunk of a large matrix costs more memory traffic than the product itself.
 * It depends on the shapes only, never on the thread count.
 */
const BATCH_LEVEL_WEIGHTS = 65536;

/**
 * Most floats of im2col matrices that a step keeps from forward passes for weight gradients, over all layers:
 * 64 MiB. Convolutions keep theirs in layer order while the total stays within it; the rest build their columns
 * again in the weight gradient, as the layer path does (the same bits: im2col is an exact copy). Decided by the
 * shapes and the batch size alone, never by the thread count.
 */
export const KEPT_COLUMNS_BUDGET_FLOATS = 16 << 20;

/** The regions a layer's forward wrote that its backward reads. */
interface Node {
  layer: StepLayer;
  x: string;
  y: string;
  inSize: number;
  /** A convolution's shape block, maxpool2d's winners, dropout's mask, batch norm's x̂. */
  kept: string;
  /** A convolution's im2col matrices, kept by its forward pass for its weight gradient ('' when it rebuilds them). */
  keptCols: string;
  weight: string;
  bias: string;
  barrier: Barrier | null;
  body: Node[];
  shortcut: Node[];
}

/** A 2×2 max-pool with stride 2, which runs fused with a relu just before it (assembly/relu-maxpool.ts). */
function fusablePool(layer: StepLayer): layer is { type: 'maxpool2d'; dims: Pool2dDims } {
  return layer.type === 'maxpool2d' && layer.dims.pool === 2 && layer.dims.stride === 2;
}

/** Values per sample of a layer's output, given its input's. */
function outputSize(layer: StepLayer, inSize: number): number {
  switch (layer.type) {
    case 'conv2d':
      return layer.dims.outChannels * layer.dims.outHeight * layer.dims.outWidth;
    case 'maxpool2d':
      return layer.dims.channels * layer.dims.outHeight * layer.dims.outWidth;
    case 'dense':
      return layer.outFeatures;
    case 'globalavgpool':
      return layer.channels;
    case 'residual':
      return layer.body.reduce((size, inner) => outputSize(inner, size), inSize);
    default:
      return inSize;
  }
}

/** Scratch the kernels need per thread, in floats. */
export interface KernelScratchSizes {
  /** gemm's packing of a product `columns` wide. */
  packSize: (columns: number) => number;
  /** A convolution's own scratch (im2col columns or Winograd tiles) for a chunk of samples. */
  convScratch: (dims: Conv2dDims) => number;
  /** Floats of one sample's im2col matrix that a convolution may keep for its weight gradient, 0 if it has none. */
  columns: (dims: Conv2dDims) => number;
}

/** The two i32 words of a float64, little endian as the kernels read it. */
function float64Words(value: number): [number, number] {
  const words = new Int32Array(new Float64Array([value]).buffer);
  return [words[0], words[1]];
}

class Compiler {
  readonly records: Word[][] = [];
  readonly shapes: number[][] = [];
  readonly phases: Phase[] = [];
  readonly sizes: Record<string, number> = {};
  readonly params: ParamSlot[] = [];
  readonly dropouts: { mask: string; rate: number }[] = [];
  readonly batchLevel: BatchLevelDense[] = [];
  readonly transposes: WeightTranspose[] = [];
  slabFloats = 0;
  cols = 0;
  pack = 0;
  weightsT = 0;
  partialsFloats = 0;
  keptColumnsFloats = 0;
  private phaseStart = 0;
  private regionCount = 0;

  constructor(
    private readonly batch: number,
    private readonly chunks: number,
    private readonly kernelSizes: KernelScratchSizes,
  ) {}

  /** A new region of `floats` floats named after `prefix`. */
  region(prefix: string, floats: number): string {
    const name = `${prefix}${this.regionCount++}`;
    this.sizes[name] = floats;
    return name;
  }

  record(...words: Word[]): void {
    if (words.length > OP_WORDS) throw new Error(`train step record of ${words.length} words`);
    this.records.push(words);
  }

  endPhase(barrier: Barrier | null): void {
    this.phases.push({ start: this.phaseStart, end: this.records.length, barrier });
    this.phaseStart = this.records.length;
  }

  /** A parameter's region; its gradient goes to the slabs, or to its own region d… when `batchLevel`. */
  param(values: Float32Array, grad: Float32Array | null, batchLevel: boolean): string {
    const region = this.region('param', values.length);
    if (batchLevel) {
      this.sizes[`d${region}`] = values.length;
      this.params.push({ values, grad, region, slabOffset: -1 });
    } else {
      this.params.push({ values, grad, region, slabOffset: this.slabFloats });
      this.slabFloats += alignedFloats(values.length);
    }
    return region;
  }

  /** Byte offset of a parameter's gradient in a slab, or −1. */
  slabBytes(region: string): number {
    const slot = this.params.find((p) => p.region === region) as ParamSlot;
    return slot.slabOffset < 0 ? -1 : 4 * slot.slabOffset;
  }

  /** Clears a layer's weight and bias (adjacent in the slab) before its backward pass adds into them. */
  clearSlab(weight: string, bias: string): void {
    const start = this.slabBytes(weight);
    if (start < 0) return;
    const biasSlot = this.params.find((p) => p.region === bias) as ParamSlot;
    const end = 4 * (biasSlot.slabOffset + alignedFloats(biasSlot.values.length));
    this.record(OP.clearSlab, start, end - start);
  }

  forwardSequence(layers: readonly StepLayer[], x: string, inSize: number): { nodes: Node[]; y: string } {
    const nodes: Node[] = [];
    let y = x;
    let size = inSize;
    for (const layer of layers) {
      const node = this.forward(layer, y, size);
      nodes.push(node);
      y = node.y;
      size = outputSize(layer, size);
    }
    return { nodes, y };
  }

  forward(layer: StepLayer, x: string, inSize: number): Node {
    const node: Node = {
      layer,
      x,
      y: x,
      inSize,
      kept: '',
      keptCols: '',
      weight: '',
      bias: '',
      barrier: null,
      body: [],
      shortcut: [],
    };
    if (layer.type === 'flatten') return node;
    const size = outputSize(layer, inSize);
    const y = this.region('y', this.batch * size);
    node.y = y;
    if (layer.type === 'conv2d') {
      const d = layer.dims;
      const outPlane = d.outHeight * d.outWidth;
      const patch = d.inChannels * d.kernel * d.kernel;
      node.weight = this.param(layer.weight.data, layer.weight.grad, false);
      node.bias = this.param(layer.bias?.data ?? new Float32Array(d.outChannels), layer.bias?.grad ?? null, false);
      this.cols = Math.max(this.cols, this.kernelSizes.convScratch(d));
      this.pack = Math.max(this.pack, this.kernelSizes.packSize(Math.max(outPlane, d.outChannels)));
      this.weightsT = Math.max(this.weightsT, patch * d.outChannels);
      const shape = `${SHAPE_PREFIX}${this.shapes.length}`;
      this.shapes.push([
        d.inChannels,
        d.inHeight,
        d.inWidth,
        d.outChannels,
        d.kernel,
        d.stride,
        d.pad,
        d.outHeight,
        d.outWidth,
      ]);
      node.kept = shape;
      const keptFloats = this.batch * this.kernelSizes.columns(d);
      if (keptFloats > 0 && this.keptColumnsFloats + keptFloats <= KEPT_COLUMNS_BUDGET_FLOATS) {
        node.keptCols = this.region('cols', keptFloats);
        this.keptColumnsFloats += keptFloats;
      }
      const colsSample = node.keptCols === '' ? 0 : patch * outPlane;
      this.record(OP.convForward, shape, x, inSize, node.weight, node.bias, y, size, node.keptCols, colsSample);
    } else if (layer.type === 'relu') {
      this.record(OP.reluForward, x, y, size);
    } else if (layer.type === 'leakyrelu') {
      this.record(OP.leakyReluForward, x, y, size, ...float64Words(layer.slope));
    } else if (layer.type === 'dropout') {
      node.kept = this.region('mask', this.batch * size);
      this.dropouts.push({ mask: node.kept, rate: layer.rate });
      this.record(OP.multiply, x, node.kept, y, size);
    } else if (layer.type === 'maxpool2d') {
      const d = layer.dims;
      node.kept = this.region('argmax', this.batch * size);
      const last = this.records.length - 1;
      const relu = last >= this.phaseStart ? this.records[last] : [];
      if (fusablePool(layer) && relu[0] === OP.reluForward && relu[2] === x) {
        // the relu that wrote this input: one pass reads its input, writes its output, the pool's and the winners
        const planes = [d.channels, d.inHeight, d.inWidth, d.outHeight, d.outWidth];
        this.records[last] = [OP.reluMaxPoolForward, ...planes, relu[1], x, y, node.kept];
      } else {
        const window = [d.channels, d.inHeight, d.inWidth, d.pool, d.stride, d.outHeight, d.outWidth];
        this.record(OP.maxPoolForward, ...window, x, y, node.kept);
      }
    } else if (layer.type === 'globalavgpool') {
      this.record(OP.globalAvgPoolForward, layer.channels, layer.plane, x, y);
    } else if (layer.type === 'dense') {
      const batchLevel = layer.inFeatures * layer.outFeatures >= BATCH_LEVEL_WEIGHTS;
      node.weight = this.param(layer.weight.data, layer.weight.grad, batchLevel);
      node.bias = this.param(layer.bias.data, layer.bias.grad, batchLevel);
      this.pack = Math.max(this.pack, this.kernelSizes.packSize(Math.max(layer.inFeatures, layer.outFeatures)));
      const weightT = this.region('weightT', layer.inFeatures * layer.outFeatures);
      this.transposes.push({ weight: node.weight, weightT, rows: layer.outFeatures, cols: layer.inFeatures });
      this.record(OP.denseForward, layer.inFeatures, layer.outFeatures, x, weightT, node.bias, y);
    } else if (layer.type === 'batchnorm') {
      this.forwardBatchNorm(layer, node);
    } else {
      const body = this.forwardSequence(layer.body, x, inSize);
      const shortcut = this.forwardSequence(layer.shortcut, x, inSize);
      node.body = body.nodes;
      node.shortcut = shortcut.nodes;
      this.record(OP.add, body.y, shortcut.y, y, size);
    }
    return node;
  }

  /** Per-chunk statistics, the host's barrier, then the normalization with the batch's statistics. */
  private forwardBatchNorm(norm: StepBatchNorm, node: Node): void {
    const { channels, plane } = norm;
    node.weight = this.param(norm.weight.data, norm.weight.grad, true);
    node.bias = this.param(norm.bias.data, norm.bias.grad, true);
    node.kept = this.region('xhat', this.batch * channels * plane);
    const coefficients = this.region('coefficients', BATCH_NORM_COEFFICIENT_FLOATS * channels);
    this.partialsFloats = Math.max(this.partialsFloats, this.chunks * channels * 4);
    node.barrier = {
      kind: 'statistics',
      norm,
      coefficients,
      dWeight: `d${node.weight}`,
      dBias: `d${node.bias}`,
    };
    this.record(OP.batchNormStatistics, channels, plane, node.x, 'partials');
    this.endPhase(node.barrier);
    const { x, kept: xHat, y, weight, bias } = node;
    this.record(OP.batchNormNormalize, channels, plane, x, xHat, y, weight, bias, coefficients);
  }

  /** Backpropagates dy through a sequence; returns the region of its input gradient ('' when not needed). */
  backwardSequence(nodes: readonly Node[], dy: string, needDx: boolean): string {
    let gradient = dy;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const layer = nodes[i].layer;
      if (i > 0 && nodes[i - 1].layer.type === 'relu' && fusablePool(layer)) {
        i--;
        gradient = this.backwardReluPool(nodes[i], nodes[i + 1], layer.dims, gradient, i > 0 || needDx);
      } else {
        gradient = this.backward(nodes[i], gradient, i > 0 || needDx);
      }
    }
    return needDx ? gradient : '';
  }

  /**
   * A relu then a 2×2 max-pool, backward in one pass from the pool's winners and output to the relu's input
   * gradient; the pool's own input gradient is never written. Without an input gradient there is nothing to do.
   */
  private backwardReluPool(relu: Node, pool: Node, d: Pool2dDims, dy: string, needDx: boolean): string {
    if (!needDx) return '';
    const dx = this.region('dx', this.batch * relu.inSize);
    const planes = [d.channels, d.inHeight, d.inWidth, d.outHeight, d.outWidth];
    this.record(OP.reluMaxPoolBackward, ...planes, dy, pool.kept, pool.y, dx);
    return dx;
  }

  backward(node: Node, dy: string, needDx: boolean): string {
    const layer = node.layer;
    if (layer.type === 'flatten') return dy;
    const dx = needDx ? this.region('dx', this.batch * node.inSize) : '';
    const size = outputSize(layer, node.inSize);
    if (layer.type === 'conv2d') {
      const d = layer.dims;
      this.clearSlab(node.weight, node.bias);
      this.record(
        OP.convBackward,
        node.kept,
        node.x,
        node.inSize,
        dy,
        size,
        node.weight,
        this.slabBytes(node.weight),
        this.slabBytes(node.bias),
        dx,
        d.inChannels * d.kernel * d.kernel,
        d.outChannels,
        node.keptCols,
        node.keptCols === '' ? 0 : d.inChannels * d.kernel * d.kernel * d.outHeight * d.outWidth,
      );
    } else if (layer.type === 'dense') {
      this.clearSlab(node.weight, node.bias);
      this.record(
        OP.denseBackward,
        layer.inFeatures,
        layer.outFeatures,
        node.x,
        dy,
        node.weight,
        this.slabBytes(node.weight),
        this.slabBytes(node.bias),
        dx,
      );
      if (this.slabBytes(node.weight) < 0) {
        const { inFeatures: features, outFeatures: units } = layer;
        const dWeight = `d${node.weight}`;
        this.batchLevel.push({ features, units, x: node.x, dy, dWeight, dBias: `d${node.bias}` });
      }
    } else if (layer.type === 'batchnorm') {
      const barrier = node.barrier as Barrier;
      this.record(OP.batchNormGradientSums, layer.channels, layer.plane, dy, node.kept, 'partials');
      this.endPhase({ ...barrier, kind: 'gradients' });
      if (needDx) {
        this.record(OP.batchNormBackwardData, layer.channels, layer.plane, dy, node.kept, dx, barrier.coefficients);
      }
    } else if (layer.type === 'residual') {
      const body = this.backwardSequence(node.body, dy, needDx);
      const shortcut = this.backwardSequence(node.shortcut, dy, needDx);
      if (needDx) this.record(OP.add, body, shortcut, dx, node.inSize);
    } else if (needDx) {
      // the layers left have no parameters: without an input gradient there is nothing to do
      this.backwardData(node, dy, dx, size);
    }
    return dx;
  }

  /** dx of a layer without parameters. */
  private backwardData(node: Node, dy: string, dx: string, size: number): void {
    const layer = node.layer;
    if (layer.type === 'relu') {
      this.record(OP.reluBackward, node.x, dy, dx, size);
    } else if (layer.type === 'leakyrelu') {
      this.record(OP.leakyReluBackward, node.x, dy, dx, size, ...float64Words(layer.slope));
    } else if (layer.type === 'dropout') {
      this.record(OP.multiply, dy, node.kept, dx, size);
    } else if (layer.type === 'maxpool2d') {
      const d = layer.dims;
      const window = [d.channels, d.inHeight, d.inWidth, d.pool, d.stride, d.outHeight, d.outWidth];
      this.record(OP.maxPoolBackward, ...window, dy, node.kept, dx);
    } else if (layer.type === 'globalavgpool') {
      this.record(OP.globalAvgPoolBackward, layer.channels, layer.plane, dy, dx);
    }
  }
}

/**
 * Compiles the step of `layers` (the network's, in order) for batches of `batch` samples in `chunks` chunks,
 * inputs of `inSize` values and `classes` outputs, with the kernels' scratch sizes.
 */
export function compileTrainStep(
  layers: readonly StepLayer[],
  inSize: number,
  classes: number,
  batch: number,
  chunks: number,
  kernelSizes: KernelScratchSizes,
): StepProgram {
  const c = new Compiler(batch, chunks, kernelSizes);
  c.sizes.x = batch * inSize;
  const { nodes, y } = c.forwardSequence(layers, 'x', inSize);
  const size = layers.reduce((values, layer) => outputSize(layer, values), inSize);
  if (size !== classes) throw new Error(`the last layer gives ${size} values per sample, not ${classes} classes`);
  const dLogits = c.region('dy', batch * classes);
  c.record(OP.softmaxCrossEntropy, classes, y, 'labels', dLogits, 'losses');
  c.backwardSequence(nodes, dLogits, false);
  c.endPhase(null);
  c.sizes.labels = batch;
  c.sizes.losses = 2 * batch;
  c.sizes.partials = c.partialsFloats;
  c.sizes.program = c.records.length * OP_WORDS + SHAPE_WORDS * c.shapes.length;
  return {
    records: c.records,
    shapes: c.shapes,
    phases: c.phases,
    sizes: c.sizes,
    params: c.params,
    slabFloats: c.slabFloats,
    dropouts: c.dropouts,
    batchLevel: c.batchLevel,
    transposes: c.transposes,
    outputs: nodes.map((node) => node.y),
    colsFloats: alignedFloats(c.cols),
    packFloats: alignedFloats(c.pack),
    weightsTFloats: alignedFloats(c.weightsT),
  };
}
