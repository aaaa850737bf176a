/**
 * Every 2-D picture of an inspection, as the CLI writes them and the app draws them: per layer the output maps
 * and delta maps (one per channel), conv kernels and kernel gradients (one per output × input channel),
 * max-pool winners and ReLU dead units (as 0/1 maps). A flat vector [F] is laid out as rows of VECTOR_ROW values.
 * Pictures of one kind in one layer share one colour scale (heat-colors.ts).
 */
import { symmetricScale } from './heat-colors';
import type { Inspection, LayerInspection } from './inspection';

export const VECTOR_ROW = 32;

export type MapKind = 'input' | 'output' | 'delta' | 'kernel' | 'kernel-grad' | 'pool-winners' | 'dead-units';

export interface MapImage {
  /** File name without extension, unique within the inspection: "layer-00-conv2d/output-c3". */
  name: string;
  kind: MapKind;
  /** Layer index, or null for the network input. */
  layer: number | null;
  channel: number;
  /** Kernels only: the input channel. */
  inChannel?: number;
  width: number;
  height: number;
  /** width·height values, row-major; a vector's last row is padded with NaN (drawn as background). */
  values: Float32Array;
  /** The shared colour scale: ±scale are the full colours. */
  scale: number;
}

/** The planes of a tensor of per-sample shape [C,H,W] or [F], as [height, width, plane] triples. */
export function planesOf(
  data: Float32Array,
  shape: readonly number[],
): { height: number; width: number; planes: Float32Array[] } {
  if (shape.length === 3) {
    const [channels, height, width] = shape;
    const size = height * width;
    return {
      height,
      width,
      planes: Array.from({ length: channels }, (_, c) => data.subarray(c * size, (c + 1) * size)),
    };
  }
  const width = Math.min(VECTOR_ROW, data.length);
  const height = Math.ceil(data.length / width);
  const padded = new Float32Array(width * height).fill(Number.NaN);
  padded.set(data);
  return { height, width, planes: [padded] };
}

export function mapImages(inspection: Inspection): MapImage[] {
  return [
    ...tensorImages('input', 'input', null, inspection.input.data, inspection.input.shape),
    ...inspection.layers.flatMap(layerImages),
  ];
}

function layerFolder(layer: LayerInspection): string {
  return `layer-${String(layer.index).padStart(2, '0')}-${layer.type}`;
}

function tensorImages(
  prefix: string,
  kind: MapKind,
  layer: number | null,
  data: Float32Array,
  shape: readonly number[],
): MapImage[] {
  const { height, width, planes } = planesOf(data, shape);
  const scale = symmetricScale([data]);
  return planes.map((values, channel) => ({
    name: `${prefix}-c${channel}`,
    kind,
    layer,
    channel,
    width,
    height,
    values,
    scale,
  }));
}

function layerImages(layer: LayerInspection): MapImage[] {
  const folder = layerFolder(layer);
  const images = [
    ...tensorImages(`${folder}/output`, 'output', layer.index, layer.output.data, layer.outShape),
    ...tensorImages(`${folder}/delta`, 'delta', layer.index, layer.delta.data, layer.outShape),
  ];
  if (layer.type === 'conv2d' && layer.weight && layer.weightGrad) {
    images.push(...kernelImages(`${folder}/kernel`, 'kernel', layer.index, layer.weight.data, layer.weight.shape));
    images.push(
      ...kernelImages(`${folder}/kernel-grad`, 'kernel-grad', layer.index, layer.weightGrad.data, layer.weight.shape),
    );
  }
  if (layer.poolWinners) {
    const [channels, height, width] = layer.inShape;
    const marks = new Float32Array(channels * height * width);
    layer.poolWinners.forEach((position, out) => {
      const channel = Math.floor(out / (layer.outShape[1] * layer.outShape[2]));
      marks[channel * height * width + position] = 1;
    });
    images.push(...tensorImages(`${folder}/pool-winners`, 'pool-winners', layer.index, marks, layer.inShape));
  }
  if (layer.deadUnits) {
    images.push(
      ...tensorImages(
        `${folder}/dead-units`,
        'dead-units',
        layer.index,
        Float32Array.from(layer.deadUnits),
        layer.inShape,
      ),
    );
  }
  return images;
}

function kernelImages(
  prefix: string,
  kind: MapKind,
  layer: number,
  data: Float32Array,
  shape: readonly number[],
): MapImage[] {
  const [outChannels, inChannels, kernel] = shape;
  const size = kernel * kernel;
  const scale = symmetricScale([data]);
  const images: MapImage[] = [];
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < inChannels; c++) {
      const start = (o * inChannels + c) * size;
      images.push({
        name: `${prefix}-o${o}-c${c}`,
        kind,
        layer,
        channel: o,
        inChannel: c,
        width: kernel,
        height: kernel,
        values: data.subarray(start, start + size),
        scale,
      });
    }
  }
  return images;
}
