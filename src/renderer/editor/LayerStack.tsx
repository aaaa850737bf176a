/** The scrolling column of the network: input, the layers in order, the end drop zone, the loss, network-wide issues. */
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { selectLayers, selectReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { type DropSpot, STACK_AREA_ID } from './drag-items';
import { InputCard } from './InputCard';
import { IssueList } from './IssueList';
import { LayerCard } from './LayerCard';
import { LossCard } from './LossCard';
import { StackEnd } from './StackEnd';
import { useLayerKeys } from './use-layer-keys';

const AREA: DropSpot = { kind: 'area' };

export function LayerStack() {
  const layers = useStudio(selectLayers);
  const { networkIssues } = useStudio(selectReport);
  const keys = useLayerKeys(layers);
  const { setNodeRef } = useDroppable({ id: STACK_AREA_ID, data: AREA });

  return (
    <div className="stack" ref={setNodeRef}>
      <InputCard />
      <SortableContext items={keys as string[]} strategy={verticalListSortingStrategy}>
        <ol className="stack__layers" aria-label="Layers">
          {layers.map((layer, index) => (
            <LayerCard key={keys[index]} id={keys[index]} index={index} count={layers.length} layer={layer} />
          ))}
        </ol>
      </SortableContext>
      <StackEnd count={layers.length} />
      <LossCard />
      {networkIssues.length > 0 ? (
        <section className="network-issues" aria-label="Network problems">
          <IssueList issues={networkIssues} layer={null} />
        </section>
      ) : null}
    </div>
  );
}
