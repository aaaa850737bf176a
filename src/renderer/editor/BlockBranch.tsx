/**
 * One branch of a residual block (its body or its shortcut) as a sortable list of cards, with a zone after the
 * last card that appends (and, for an empty shortcut, says that it is the identity).
 */
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { Branch } from '../../engine/spec/paths';
import type { LayerSpec } from '../../engine/spec/types';
import { pathIn } from '../store/path-commands';
import type { DropSpot } from './drag-items';
import { useDropBefore } from './drop-hint';
import { NestedLayerCard } from './NestedLayerCard';
import { useLayerKeys } from './use-layer-keys';

interface BlockBranchProps {
  /** The block's own sortable id, which makes the ids of the cards inside unique in the editor. */
  blockId: string;
  blockPath: string;
  branch: Branch;
  layers: readonly LayerSpec[];
}

export function BlockBranch({ blockId, blockPath, branch, layers }: BlockBranchProps) {
  const list = `${blockPath}.${branch}`;
  const keys = useLayerKeys(layers).map((key) => `${blockId}/${branch}/${key}`);
  const area: DropSpot = { kind: 'branch', list };
  const end: DropSpot = { kind: 'branch-end', list };
  const areaDrop = useDroppable({ id: `${blockId}/${branch}`, data: area });
  const endDrop = useDroppable({ id: `${blockId}/${branch}/end`, data: end });
  const endActive = useDropBefore(list, layers.length);
  const identity = branch === 'shortcut' && layers.length === 0;
  const label = branch === 'body' ? 'Body' : 'Shortcut';

  return (
    <section
      className={`block-branch block-branch--${branch}`}
      ref={areaDrop.setNodeRef}
      aria-label={`${label} of layer ${blockPath}`}
    >
      <h4 className="block-branch__title">{identity ? 'Shortcut: identity' : label}</h4>
      <SortableContext items={keys} strategy={verticalListSortingStrategy}>
        <ol className="block-branch__layers">
          {layers.map((layer, position) => (
            <NestedLayerCard key={keys[position]} id={keys[position]} path={pathIn(list, position)} layer={layer} />
          ))}
        </ol>
      </SortableContext>
      <div
        ref={endDrop.setNodeRef}
        className={`block-branch__end${endActive ? ' block-branch__end--active' : ''}`}
        data-testid={`branch-end-${list}`}
      >
        {identity
          ? 'The input is added unchanged. Drop layers here for a projection.'
          : `Drop here to add to the ${branch}`}
      </div>
    </section>
  );
}
