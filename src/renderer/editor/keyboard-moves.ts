/** Where Alt+arrow moves a layer card, at any depth (see use-nested-keys.ts and use-card-keys.ts). */
import type { LayerSpec } from '../../engine/spec/types';
import { layersOf, moveLayerTo, pathIn, splitLayerPath } from '../store/path-commands';
import type { StudioDocument } from '../store/studio-document';

/** A keyboard move for the layer at `path`: the edit and where the layer ends up, or null when it cannot move so. */
export function keyboardMove(
  layers: readonly LayerSpec[],
  path: string,
  key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight',
): { edit: (doc: StudioDocument) => StudioDocument; landsAt: string } | null {
  const { list, position } = splitLayerPath(path);
  const siblings = layersOf(layers, list);
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const to = key === 'ArrowUp' ? position - 1 : position + 1;
    if (to < 0 || to >= siblings.length) return null;
    return { edit: (doc) => moveLayerTo(doc, path, list, to), landsAt: pathIn(list, to) };
  }
  if (key === 'ArrowLeft') {
    if (list === '') return null;
    const block = splitLayerPath(list.slice(0, list.lastIndexOf('.')));
    return {
      edit: (doc) => moveLayerTo(doc, path, block.list, block.position + 1),
      landsAt: pathIn(block.list, block.position + 1),
    };
  }
  const above = siblings[position - 1];
  if (above?.type !== 'residual') return null;
  const body = `${pathIn(list, position - 1)}.body`;
  return { edit: (doc) => moveLayerTo(doc, path, body, above.body.length), landsAt: pathIn(body, above.body.length) };
}
