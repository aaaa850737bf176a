/**
 * The program a data-parallel training step runs (assembly/train-step.ts): one record of OP_WORDS i32 per pass,
 * the forward passes in layer order, the fused softmax cross-entropy, then the backward passes in reverse, and
 * after the records each convolution's shape block. Every address is that of sample 0 in the plan's regions
 * (train-step-wasm.ts lays them out).
 */
import type { Param } from '../../params';
import type { Conv2dDims, Pool2dDims } from '../dims';
import type { ScratchRegion } from './scratch-layout';

/** i32 per program record (assembly/train-step.ts). */
export const OP_WORDS = 16;
/** i32 per convolution shape block (nine used) after the records. */
export const SHAPE_WORDS = 12;
const OP = {
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
} as const;

/**
 * One layer of the stack, as the plan needs it. flatten (also a dropout of rate 0) only renames its input; a
 * dropout multiplies by a mask that the host draws for each step (see run's drawMask).
 */
export type StepLayer =
  | { type: 'conv2d'; dims: Conv2dDims; weight: Param; bias: Param | null }
  | { type: 'relu'; size: number }
  | { type: 'dropout'; size: number }
  | { type: 'maxpool2d'; dims: Pool2dDims }
  | { type: 'flatten' }
  | { type: 'dense'; inFeatures: number; outFeatures: number; weight: Param; bias: Param };

/** A dense layer whose weight gradient is one product over the whole batch, after the chunks. */
export interface BatchLevelDense {
  features: number;
  units: number;
  x: number;
  dy: number;
  dWeight: ScratchRegion;
  dBias: ScratchRegion;
}

/** What the program is written from: the plan's layers and where it put their operands. */
export interface ProgramLayout {
  layers: readonly StepLayer[];
  /** Per layer: the region holding its output (flatten names its input's). */
  outputRegion: readonly string[];
  /** Per convolution (by layer), its shape block's offset in i32 after the records. */
  shapeAt: ReadonlyMap<number, number>;
  /** Records there is room for. */
  maxOps: number;
  classes: number;
  /** Dense layers (by index) whose weight gradients are summed over the whole batch after the chunks. */
  batchLevelLayers: readonly number[];
  /** A parameter region's float offset in a gradient slab, or −1 for a batch-level gradient. */
  slabOffset(region: string): number;
}

export interface WrittenProgram {
  /** The records and shape blocks, to copy into the program region at every step. */
  words: Int32Array<ArrayBuffer>;
  ops: number;
  /** The batch-level dense gradients to compute after the chunks, with their operands. */
  batchLevel: BatchLevelDense[];
}

export function writeTrainStepProgram(plan: ProgramLayout, r: Record<string, ScratchRegion>): WrittenProgram {
  const program = new Int32Array(r.program.ints.length);
  const shapes = plan.maxOps * OP_WORDS;
  const shapeAddress = (i: number) => r.program.address + 4 * (shapes + (plan.shapeAt.get(i) ?? 0));
  let op = 0;
  const record = (...words: number[]) => {
    program.set(words, op * OP_WORDS);
    op++;
  };
  // byte offset in a slab, or −1 for a batch-level gradient, which the chunks leave alone
  const slabAddress = (region: string) => {
    const offset = plan.slabOffset(region);
    return offset < 0 ? -1 : 4 * offset;
  };
  const batchLevel: BatchLevelDense[] = [];
  const inputOf = (i: number) => (i === 0 ? 'x' : plan.outputRegion[i - 1]);
  const last = plan.layers.length - 1;
  // the input gradient of layer i is the output gradient of the layer before (through a flatten)
  const gradOf = (i: number): string => {
    if (i < 0) return '';
    return plan.layers[i].type === 'flatten' ? gradOf(i - 1) : `dy${i}`;
  };
  plan.layers.forEach((layer, i) => {
    const x = r[inputOf(i)].address;
    const y = r[plan.outputRegion[i]].address;
    if (layer.type === 'conv2d') {
      const d = layer.dims;
      program.set(
        [d.inChannels, d.inHeight, d.inWidth, d.outChannels, d.kernel, d.stride, d.pad, d.outHeight, d.outWidth],
        shapes + (plan.shapeAt.get(i) ?? 0),
      );
      const inSample = d.inChannels * d.inHeight * d.inWidth;
      const outSample = d.outChannels * d.outHeight * d.outWidth;
      record(
        OP.convForward,
        shapeAddress(i),
        x,
        inSample,
        r[`weight${i}`].address,
        r[`bias${i}`].address,
        y,
        outSample,
      );
    } else if (layer.type === 'relu') {
      record(OP.reluForward, x, y, layer.size);
    } else if (layer.type === 'dropout') {
      record(OP.multiply, x, r[`mask${i}`].address, y, layer.size);
    } else if (layer.type === 'maxpool2d') {
      const d = layer.dims;
      record(
        OP.maxPoolForward,
        d.channels,
        d.inHeight,
        d.inWidth,
        d.pool,
        d.stride,
        d.outHeight,
        d.outWidth,
        x,
        y,
        r[`argmax${i}`].address,
      );
    } else if (layer.type === 'dense') {
      record(
        OP.denseForward,
        layer.inFeatures,
        layer.outFeatures,
        x,
        r[`weight${i}`].address,
        r[`bias${i}`].address,
        y,
      );
    }
  });
  const logits = r[plan.outputRegion[last]].address;
  record(OP.softmaxCrossEntropy, plan.classes, logits, r.labels.address, r[gradOf(last)].address, r.losses.address);
  for (let i = last; i >= 0; i--) {
    const layer = plan.layers[i];
    if (layer.type === 'flatten') continue;
    const x = r[inputOf(i)].address;
    const dy = r[gradOf(i)].address;
    // 0: the network input's gradient, which training never needs
    const dx = gradOf(i - 1) === '' ? 0 : r[gradOf(i - 1)].address;
    if (layer.type === 'conv2d') {
      const d = layer.dims;
      const inSample = d.inChannels * d.inHeight * d.inWidth;
      const outSample = d.outChannels * d.outHeight * d.outWidth;
      record(
        OP.convBackward,
        shapeAddress(i),
        x,
        inSample,
        dy,
        outSample,
        r[`weight${i}`].address,
        slabAddress(`weight${i}`),
        slabAddress(`bias${i}`),
        dx,
        d.inChannels * d.kernel * d.kernel,
        d.outChannels,
      );
    } else if (layer.type === 'relu') {
      if (dx !== 0) record(OP.reluBackward, x, dy, dx, layer.size);
    } else if (layer.type === 'dropout') {
      if (dx !== 0) record(OP.multiply, dy, r[`mask${i}`].address, dx, layer.size);
    } else if (layer.type === 'maxpool2d') {
      const d = layer.dims;
      if (dx !== 0) {
        record(
          OP.maxPoolBackward,
          d.channels,
          d.inHeight,
          d.inWidth,
          d.pool,
          d.stride,
          d.outHeight,
          d.outWidth,
          dy,
          r[`argmax${i}`].address,
          dx,
        );
      }
    } else if (layer.type === 'dense') {
      record(
        OP.denseBackward,
        layer.inFeatures,
        layer.outFeatures,
        x,
        dy,
        r[`weight${i}`].address,
        slabAddress(`weight${i}`),
        slabAddress(`bias${i}`),
        dx,
      );
      if (plan.batchLevelLayers.includes(i)) {
        const dWeight = r[`dweight${i}`];
        const dBias = r[`dbias${i}`];
        batchLevel.push({ features: layer.inFeatures, units: layer.outFeatures, x, dy, dWeight, dBias });
      }
    }
  }
  if (op > plan.maxOps) throw new Error(`train step program: ${op} records, room for ${plan.maxOps}`);
  return { words: program, ops: op, batchLevel };
}
