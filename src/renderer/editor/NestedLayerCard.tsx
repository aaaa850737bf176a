/**
 * A layer inside a residual block's branch: like a top-level card (handle, output shape, fields, cost, problems)
 * but addressed by its path ("3.body.1"). It is sortable within its branch and can be dragged out of the block
 * or into another; a nested residual block shows its own branches inside it.
 */
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { CSSProperties, KeyboardEvent } from 'react';
import type { LayerSpec } from '../../engine/spec/types';
import { Icon } from '../frame/Icon';
import { issuesAtPath, layerReportAt } from '../store/editor-report';
import { duplicateLayerAt, removeLayerAt, splitLayerPath } from '../store/path-commands';
import { selectEdit, selectReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import type { DragItem } from './drag-items';
import { useDropBefore } from './drop-hint';
import { formatOutput } from './format';
import { IssueList } from './IssueList';
import { LayerFields } from './LayerFields';
import { LayerStats } from './LayerStats';
import { LAYER_CATALOG, layerTitle } from './layer-catalog';
import { blockFixes } from './projection-fix';
import { ResidualBlock } from './ResidualBlock';
import { useNestedKeys } from './use-nested-keys';

export function NestedLayerCard({ id, path, layer }: { id: string; path: string; layer: LayerSpec }) {
  const edit = useStudio(selectEdit);
  const report = useStudio(selectReport);
  const issues = issuesAtPath(report, path);
  const analysis = layerReportAt(report, path);
  const severity = issues.some((issue) => issue.severity === 'error') ? 'error' : issues.length > 0 ? 'warning' : null;
  const data: DragItem = { kind: 'nested', path };
  const sortable = useSortable({ id, data });
  const onKeys = useNestedKeys(path, sortable.active !== null);
  const { list, position } = splitLayerPath(path);
  const dropBefore = useDropBefore(list, position);
  const title = layerTitle(layer.type);
  const output = analysis?.outputShape ?? null;

  const onHandleKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    sortable.listeners?.onKeyDown?.(event);
    if (!event.defaultPrevented) onKeys(event);
  };
  const classes = [
    'layer-card',
    'layer-card--nested',
    layer.type === 'residual' && 'layer-card--block',
    severity && `layer-card--${severity}`,
    sortable.isDragging && 'layer-card--dragging',
    dropBefore && 'layer-card--drop-before',
  ].filter(Boolean);
  const style = {
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
  } as CSSProperties;

  return (
    <li ref={sortable.setNodeRef} className={classes.join(' ')} style={style} data-testid={`layer-${path}`}>
      <div className="layer-card__row">
        <button
          type="button"
          ref={sortable.setActivatorNodeRef}
          className="layer-card__handle"
          {...sortable.attributes}
          {...sortable.listeners}
          onKeyDown={onHandleKeyDown}
          aria-label={`Layer ${path}, ${title}, output ${formatOutput(output)}`}
          title={`${LAYER_CATALOG[layer.type]?.summary ?? ''} (Alt+← moves it out of the block)`}
          data-layer-path={path}
        >
          <Icon name="grip" className="layer-card__grip" />
          {/* The position in its branch; the full path is in the label and the tooltip. */}
          <span className="layer-card__index" title={`Layer ${path}`}>
            {position}
          </span>
          <span className="layer-card__title">{title}</span>
          {severity ? <Icon name={severity} className={`layer-card__marker layer-card__marker--${severity}`} /> : null}
        </button>
        <span className="shape-badge" title="Output shape of one sample">
          {formatOutput(output)}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={`Duplicate layer ${path}`}
          title="Duplicate (Ctrl+D)"
          onClick={() => edit((doc) => duplicateLayerAt(doc, path))}
        >
          <Icon name="copy" />
        </button>
        <button
          type="button"
          className="icon-button icon-button--danger"
          aria-label={`Remove layer ${path}`}
          title="Remove (Delete)"
          onClick={() => edit((doc) => removeLayerAt(doc, path))}
        >
          <Icon name="trash" />
        </button>
      </div>
      {layer.type === 'residual' ? (
        <ResidualBlock path={path} layer={layer} />
      ) : (
        <LayerFields path={path} layer={layer} />
      )}
      <LayerStats layer={analysis} />
      <IssueList
        issues={issues}
        layer={{ index: path, type: layer.type }}
        moreFixes={(issue) => blockFixes(path, analysis, issue)}
      />
    </li>
  );
}
