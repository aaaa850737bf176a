/** The "Network" panel's body: palette, the layer stack and its totals, inside one drag-and-drop context. */
import { DndContext, DragOverlay } from '@dnd-kit/core';
import { announcements, screenReaderInstructions } from './drag-announcements';
import { DropHintContext } from './drop-hint';
import { LayerStack } from './LayerStack';
import { Palette } from './Palette';
import { PaletteChipPreview } from './PaletteChipPreview';
import { stackCollisions } from './stack-collisions';
import { TotalsBar } from './TotalsBar';
import { useLayerDnd } from './use-layer-dnd';

export function NetworkEditor() {
  const { dragged, hint, sensors, onDragStart, onDragMove, onDragEnd, onDragCancel } = useLayerDnd();
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={stackCollisions}
      // Scroll the stack only when the pointer is close to its edge, so aiming at a card near the edge works.
      autoScroll={{ threshold: { x: 0, y: 0.1 } }}
      accessibility={{ announcements, screenReaderInstructions }}
      onDragStart={onDragStart}
      onDragMove={onDragMove}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
    >
      <DropHintContext.Provider value={hint}>
        <div className={`editor${dragged?.kind === 'palette' ? ' editor--adding' : ''}`}>
          <Palette />
          <LayerStack />
          <TotalsBar />
        </div>
      </DropHintContext.Provider>
      {/* No drop animation: the chip does not fly back to the palette, the new card appears in place. */}
      <DragOverlay dropAnimation={null}>
        {dragged?.kind === 'palette' ? <PaletteChipPreview type={dragged.type} /> : null}
      </DragOverlay>
    </DndContext>
  );
}
