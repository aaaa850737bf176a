import { EditorToolbar } from './editor/EditorToolbar';
import { NetworkEditor } from './editor/NetworkEditor';
import type { EngineClient } from './engine-client/engine-client';
import { useConnectionStatus } from './engine-client/use-connection-status';
import { ConnectionBadge } from './frame/ConnectionBadge';
import { Panel } from './frame/Panel';
import { StepsHint } from './frame/StepsHint';
import { useHistoryShortcuts } from './shortcuts/use-history-shortcuts';

export function App({ engine }: { engine: EngineClient }) {
  const status = useConnectionStatus(engine);
  useHistoryShortcuts();
  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__name">CNN Studio</h1>
        <StepsHint />
        <ConnectionBadge status={status} />
      </header>
      <main className="app__workspace">
        <Panel title="Network" area="editor" actions={<EditorToolbar />}>
          <NetworkEditor />
        </Panel>
        <Panel title="Data & training" area="controls">
          <p className="empty">Choose a dataset and the training settings here.</p>
        </Panel>
        <Panel title="Charts" area="charts">
          <p className="empty">Loss, accuracy and per-layer gradients appear here while training.</p>
        </Panel>
      </main>
    </div>
  );
}
