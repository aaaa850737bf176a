/** The map entries a layer's sections draw, cut out of one sample's tensors. */

import type { LayerInspection } from '../../engine/inspect/inspection';
import { planesOf } from '../../engine/inspect/map-images';
import type { MapEntry } from './MapGrid';

/** One entry per channel of a [C,H,W] tensor, or one for a vector [F] (wrapped into rows). */
export function tensorMaps(data: Float32Array, shape: readonly number[], caption = 'c'): MapEntry[] {
  const { width, height, planes } = planesOf(data, shape);
  if (shape.length !== 3) return [{ caption: `${shape[0]} units`, values: planes[0], width, height }];
  return planes.map((values, c) => ({ caption: `${caption}${c}`, values, width, height }));
}

/** One entry per (output channel o, input channel c) kernel of a conv weight [O,C,K,K]. */
export function kernelMaps(data: Float32Array, shape: readonly number[]): MapEntry[] {
  const [outChannels, inChannels, kernel] = shape;
  const size = kernel * kernel;
  const maps: MapEntry[] = [];
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < inChannels; c++) {
      const start = (o * inChannels + c) * size;
      maps.push({ caption: `o${o}·c${c}`, values: data.subarray(start, start + size), width: kernel, height: kernel });
    }
  }
  return maps;
}

/** The pool input maps with the cell that won each window outlined. */
export function poolWinnerMaps(layer: LayerInspection, input: Float32Array): MapEntry[] {
  const winners = layer.poolWinners ?? new Int32Array(0);
  const outPlane = layer.outShape[1] * layer.outShape[2];
  return tensorMaps(input, layer.inShape).map((map, c) => ({
    ...map,
    marks: [{ cells: Array.from(winners.subarray(c * outPlane, (c + 1) * outPlane)), tone: 'mark' as const }],
  }));
}

export function countDead(layer: LayerInspection): number {
  return layer.deadUnits?.reduce((sum, dead) => sum + dead, 0) ?? 0;
}
