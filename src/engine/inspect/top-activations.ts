/** The k largest values of one sample's layer output, with their map position when the output is [C,H,W]. */
import type { TopActivation } from './inspection';

export function topActivations(output: Float32Array, shape: readonly number[], k: number): TopActivation[] {
  const [, height = 1, width = 1] = shape;
  const plane = height * width;
  const best: number[] = [];
  for (let unit = 0; unit < output.length; unit++) {
    if (Number.isNaN(output[unit])) continue;
    if (best.length === k && output[unit] <= output[best[k - 1]]) continue;
    // insertion keeps `best` sorted, largest first; k is small, so this stays linear in the output size
    let at = Math.min(best.length, k - 1);
    best[at] = unit;
    while (at > 0 && output[best[at - 1]] < output[unit]) {
      best[at] = best[at - 1];
      best[at - 1] = unit;
      at--;
    }
  }
  return best.map((unit) => ({
    unit,
    channel: shape.length === 3 ? Math.floor(unit / plane) : unit,
    h: shape.length === 3 ? Math.floor((unit % plane) / width) : 0,
    w: shape.length === 3 ? unit % width : 0,
    value: output[unit],
  }));
}
