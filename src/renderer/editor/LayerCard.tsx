/**
 * One layer of the stack: its type, its numbers as fields, and what analyzeSpec says about it (output
 * shape, parameters, FLOPs, problems with their fixes). The header is the drag handle and the keyboard
 * target; the colour stripe is the layer's colour everywhere in the app.
 */
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { type CSSProperties, type KeyboardEvent, useEffect, useRef } from 'react';
import type { LayerSpec } from '../../engine/spec/types';
import { Icon } from '../frame/Icon';
import { layerColor } from '../layer-color';
import { duplicateLayer, removeLayer } from '../store/commands';
import { issuesAtPath, issuesOfLayer } from '../store/editor-report';
import { selectEdit, selectReport, selectSelect, selectSelection } from '../store/selectors';
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
import { useCardKeys } from './use-card-keys';

interface LayerCardProps {
  id: string;
  index: number;
  count: number;
  layer: LayerSpec;
}

export function LayerCard({ id, index, count, layer }: LayerCardProps) {
  const edit = useStudio(selectEdit);
  const select = useStudio(selectSelect);
  const selected = useStudio(selectSelection) === index;
  const report = useStudio(selectReport);
  const path = String(index);
  const issues = issuesAtPath(report, path);
  // The marker also tells of problems inside a block, which its inner cards list.
  const marked = issuesOfLayer(report, index);
  const severity = marked.some((issue) => issue.severity === 'error') ? 'error' : marked.length > 0 ? 'warning' : null;
  const data: DragItem = { kind: 'layer', index };
  const sortable = useSortable({ id, data });
  const onKeys = useCardKeys(index, count, sortable.active !== null);
  const cardRef = useRef<HTMLLIElement | null>(null);
  const dropBefore = useDropBefore('', index);

  useEffect(() => {
    if (selected) cardRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onHandleKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    sortable.listeners?.onKeyDown?.(event);
    if (!event.defaultPrevented) onKeys(event);
  };

  const title = layerTitle(layer.type);
  const output = report.report.layers[index]?.outputShape ?? null;
  const style = {
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
    '--layer-color': layerColor(index),
  } as CSSProperties;
  const classes = [
    'layer-card',
    layer.type === 'residual' && 'layer-card--block',
    selected && 'layer-card--selected',
    severity && `layer-card--${severity}`,
    sortable.isDragging && 'layer-card--dragging',
    dropBefore && 'layer-card--drop-before',
  ].filter(Boolean);

  return (
    <li
      ref={(node) => {
        sortable.setNodeRef(node);
        cardRef.current = node;
      }}
      className={classes.join(' ')}
      style={style}
      onFocus={() => select(index)}
    >
      <div className="layer-card__row">
        <button
          type="button"
          ref={sortable.setActivatorNodeRef}
          className="layer-card__handle"
          {...sortable.attributes}
          {...sortable.listeners}
          onKeyDown={onHandleKeyDown}
          aria-label={`Layer ${index}, ${title}, output ${formatOutput(output)}`}
          title={LAYER_CATALOG[layer.type]?.summary}
          data-layer-handle={index}
          data-layer-path={path}
        >
          <Icon name="grip" className="layer-card__grip" />
          <span className="layer-card__index">{index}</span>
          <span className="layer-card__title">{title}</span>
          {severity ? <Icon name={severity} className={`layer-card__marker layer-card__marker--${severity}`} /> : null}
        </button>
        <span className="shape-badge" title="Output shape of one sample">
          {formatOutput(output)}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={`Duplicate layer ${index}`}
          title="Duplicate (Ctrl+D)"
          onClick={() => edit((doc) => duplicateLayer(doc, index), { select: index + 1 })}
        >
          <Icon name="copy" />
        </button>
        <button
          type="button"
          className="icon-button icon-button--danger"
          aria-label={`Remove layer ${index}`}
          title="Remove (Delete)"
          onClick={() => edit((doc) => removeLayer(doc, index))}
        >
          <Icon name="trash" />
        </button>
      </div>
      {layer.type === 'residual' ? (
        <ResidualBlock path={path} layer={layer} blockId={id} />
      ) : (
        <LayerFields path={path} layer={layer} />
      )}
      <LayerStats layer={report.report.layers[index]} />
      <IssueList
        issues={issues}
        layer={{ index, type: layer.type }}
        moreFixes={(issue) => blockFixes(path, report.report.layers[index], issue)}
      />
    </li>
  );
}
