/**
 * The inside of a residual block's card: y = body(x) + shortcut(x). The body is a stack of its own; the skip
 * connection is drawn beside it as a rail from the fork to the sum, carrying the shortcut's stack (empty: the
 * identity). Collapsed, one line sums it up.
 *
 * Decision: collapsed or expanded is how the card is viewed, not part of the network, so it is the card's own
 * state (kept while the card exists, like a scroll position), outside the document, undo and the project file.
 */
import { useState } from 'react';
import type { ResidualSpec } from '../../engine/spec/types';
import { shortcutOf } from '../../engine/spec/types';
import { Icon } from '../frame/Icon';
import { layerReportAt } from '../store/editor-report';
import { selectReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { BlockBranch } from './BlockBranch';
import { formatOutput } from './format';
import { layerTitle } from './layer-catalog';

export function ResidualBlock({
  path,
  layer,
  blockId = path,
}: {
  path: string;
  layer: ResidualSpec;
  blockId?: string;
}) {
  const [collapsed, setCollapsed] = useState(false);
  const report = useStudio(selectReport);
  const analysis = layerReportAt(report, path);
  const shortcut = shortcutOf(layer);
  const bodyOut = analysis?.body?.at(-1)?.outputShape ?? null;
  const shortcutOut =
    shortcut.length > 0 ? (analysis?.shortcut?.at(-1)?.outputShape ?? null) : (analysis?.inputShape ?? null);

  return (
    <div className={`residual${collapsed ? ' residual--collapsed' : ''}`}>
      <button
        type="button"
        className="residual__toggle"
        aria-expanded={!collapsed}
        aria-label={`${collapsed ? 'Expand' : 'Collapse'} block ${path}`}
        onClick={() => setCollapsed(!collapsed)}
      >
        <Icon name="chevron" className="residual__chevron" />
        {collapsed ? summary(layer) : 'body(x) + shortcut(x)'}
      </button>
      {collapsed ? null : (
        <div className="residual__lanes">
          <BlockBranch blockId={blockId} blockPath={path} branch="body" layers={layer.body} />
          <div className="residual__skip" aria-hidden="true" title="The skip connection: x goes around the body">
            <span className="residual__fork" />
            <span className="residual__rail" />
            <span className="residual__label">skip</span>
          </div>
          <BlockBranch blockId={blockId} blockPath={path} branch="shortcut" layers={shortcut} />
        </div>
      )}
      <p className="residual__sum" data-testid={`sum-${path}`}>
        <span className="residual__plus">+</span>
        <span>
          body <span className="shape-badge">{formatOutput(bodyOut)}</span> + shortcut{' '}
          <span className="shape-badge">{formatOutput(shortcutOut)}</span>
        </span>
      </p>
    </div>
  );
}

/** "Conv2d, BatchNorm, ReLU · identity shortcut" */
function summary(layer: ResidualSpec): string {
  const body = layer.body.map((inner) => layerTitle(inner.type)).join(', ');
  const shortcut = shortcutOf(layer);
  const skip =
    shortcut.length === 0
      ? 'identity shortcut'
      : `shortcut ${shortcut.map((inner) => layerTitle(inner.type)).join(', ')}`;
  return `${body} · ${skip}`;
}
