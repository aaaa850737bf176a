/**
 * The third panel: its views, Charts, Runs, Inspector and Try, as tabs in its title bar (arrow keys move between them). Asking to
 * inspect a sample anywhere switches to the Inspector. Both stay mounted so the charts keep their history
 * and chart.js its canvases.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { Panel } from '../frame/Panel';
import { InspectorView } from '../inspector/InspectorView';
import { useInspectTarget } from '../inspector/inspect-target';
import type { RunController } from '../run/run-controller';
import { lostReason, selectedRun } from '../run/run-state';
import { useRun } from '../run/run-store';
import { RunsView } from '../runs/RunsView';
import { TryView } from '../try/TryView';
import { useWeightsImportRequest } from '../try/weights-import-request';
import { ChartsView } from './ChartsView';

const TABS = [
  { id: 'charts', label: 'Charts' },
  { id: 'runs', label: 'Runs' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'try', label: 'Try' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function ResultsPanel({ engine, controller }: { engine: EngineClient; controller: RunController }) {
  const [tab, setTab] = useState<TabId>('charts');
  const target = useInspectTarget((state) => state.target);
  const buttons = useRef(new Map<TabId, HTMLButtonElement>());
  // The tabs that need the selected run's weights say on hover when an engine restart lost them; open, they
  // say why (LostRunNote).
  const lostRun = useRun((view) => (lostReason(view, view.selectedRunId) ? (selectedRun(view)?.name ?? null) : null));
  const needsWeights = (id: TabId) => id === 'inspector' || id === 'try';

  useEffect(() => {
    if (target) setTab('inspector');
  }, [target]);
  const weightsImports = useWeightsImportRequest((state) => state.requests);
  useEffect(() => {
    if (weightsImports > 0) setTab('try');
  }, [weightsImports]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
    const next = TABS[(TABS.findIndex((t) => t.id === tab) + step) % TABS.length].id;
    setTab(next);
    buttons.current.get(next)?.focus();
  };

  const tabs = (
    <div className="tabs" role="tablist" aria-label="Results" onKeyDown={onKeyDown}>
      {TABS.map(({ id, label }) => (
        <button
          key={id}
          ref={(node) => {
            if (node) buttons.current.set(id, node);
          }}
          type="button"
          role="tab"
          id={`tab-${id}`}
          aria-selected={tab === id}
          aria-controls={`tabpanel-${id}`}
          tabIndex={tab === id ? 0 : -1}
          className="tabs__tab"
          title={
            lostRun && needsWeights(id) ? `${lostRun} has no weights: they were lost in an engine restart` : undefined
          }
          data-lost-run={lostRun && needsWeights(id) ? '' : undefined}
          onClick={() => setTab(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
  return (
    <Panel title="Results" area="charts" actions={tabs}>
      <div
        id="tabpanel-charts"
        role="tabpanel"
        aria-labelledby="tab-charts"
        className="results__view"
        hidden={tab !== 'charts'}
      >
        <ChartsView controller={controller} />
      </div>
      <div
        id="tabpanel-runs"
        role="tabpanel"
        aria-labelledby="tab-runs"
        className="results__view"
        hidden={tab !== 'runs'}
      >
        <RunsView controller={controller} />
      </div>
      <div
        id="tabpanel-inspector"
        role="tabpanel"
        aria-labelledby="tab-inspector"
        className="results__view"
        hidden={tab !== 'inspector'}
      >
        <InspectorView engine={engine} />
      </div>
      <div id="tabpanel-try" role="tabpanel" aria-labelledby="tab-try" className="results__view" hidden={tab !== 'try'}>
        <TryView engine={engine} active={tab === 'try'} />
      </div>
    </Panel>
  );
}
