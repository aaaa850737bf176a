import { useEffect, useState } from 'react';
import { ResultsPanel } from './charts/ResultsPanel';
import { DropHint } from './data-panel/DropHint';
import { useFileDrop } from './data-panel/use-file-drop';
import { EditorToolbar } from './editor/EditorToolbar';
import { NetworkEditor } from './editor/NetworkEditor';
import type { EngineClient } from './engine-client/engine-client';
import { useConnectionStatus } from './engine-client/use-connection-status';
import { ConnectionBadge } from './frame/ConnectionBadge';
import { Panel } from './frame/Panel';
import { type SidePanel, SidePanelTabs } from './frame/SidePanelTabs';
import { StepsHint } from './frame/StepsHint';
import { useInspectTarget } from './inspector/inspect-target';
import { ProjectFrame } from './project/ProjectFrame';
import { CrashRecoveryNote } from './recovery/CrashRecoveryNote';
import { useCrashRecovery } from './recovery/use-crash-recovery';
import { useRunController } from './run/use-run-controller';
import { useHistoryShortcuts } from './shortcuts/use-history-shortcuts';
import { DataTrainingPanel } from './training/DataTrainingPanel';
import { useComputeSync } from './training/use-compute';
import { useSpaceToggle } from './training/use-space-toggle';
import { useThreadsSync } from './training/use-threads-sync';

export function App({ engine }: { engine: EngineClient }) {
  const status = useConnectionStatus(engine);
  useHistoryShortcuts();
  const controller = useRunController(engine);
  const recovery = useCrashRecovery(engine);
  useThreadsSync(engine);
  useComputeSync(engine);
  useSpaceToggle(controller);
  // Dropping files is the web build's way in; the desktop app opens data through native dialogs.
  const dropping = useFileDrop(controller, !window.cnnStudio);
  // Narrow windows show one side panel at a time; asking to inspect a sample brings Results into view.
  const [sidePanel, setSidePanel] = useState<SidePanel>('controls');
  const inspectTarget = useInspectTarget((state) => state.target);
  useEffect(() => {
    if (inspectTarget) setSidePanel('results');
  }, [inspectTarget]);
  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__name">CNN Studio</h1>
        <ProjectFrame engine={engine} />
        <StepsHint />
        <ConnectionBadge status={status} />
      </header>
      <main className="app__workspace" data-side={sidePanel}>
        <SidePanelTabs shown={sidePanel} show={setSidePanel} />
        <Panel title="Network" area="editor" actions={<EditorToolbar />}>
          <NetworkEditor />
        </Panel>
        <Panel title="Data & training" area="controls">
          <CrashRecoveryNote recovery={recovery} engine={engine} />
          <DataTrainingPanel controller={controller} />
        </Panel>
        <ResultsPanel engine={engine} controller={controller} />
      </main>
      {dropping ? <DropHint /> : null}
    </div>
  );
}
