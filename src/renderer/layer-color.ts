/**
 * One colour per layer index, shared by the editor's cards and the per-layer charts so a layer looks the
 * same everywhere. Mid-tone hues that read on both the light and the dark surface; pure red is left out
 * because red marks errors.
 */
const LAYER_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#6b8fd6',
  '#8cd17d',
] as const;

export function layerColor(index: number): string {
  const slot = ((index % LAYER_PALETTE.length) + LAYER_PALETTE.length) % LAYER_PALETTE.length;
  return LAYER_PALETTE[slot];
}
