/**
 * Projects in the window: the File bar, the prompts, the window title with its unsaved-changes dot (the
 * renderer sets document.title; Electron shows it as the window title), autosave and the recovery offer.
 */
import { useEffect, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { runStore } from '../run/run-store';
import { studioStore } from '../store/use-studio';
import { desktopProjectHost } from './desktop-project-host';
import { ExportNotice } from './ExportNotice';
import { ProjectBar } from './ProjectBar';
import { ProjectProblem } from './ProjectProblem';
import { ProjectController } from './project-controller';
import { projectViewStore, useProjectView, windowTitle } from './project-view';
import { RecoveryDialog } from './RecoveryDialog';
import { UnsavedChangesDialog } from './UnsavedChangesDialog';
import { useProjectCommands } from './use-project-commands';
import { webProjectHost } from './web-project-host';
import './project.css';

export function ProjectFrame({ engine }: { engine: EngineClient }) {
  const [controller] = useState(() => {
    const host = window.cnnStudio
      ? desktopProjectHost(window.cnnStudio.projects, window.cnnStudio.data)
      : webProjectHost();
    return new ProjectController(engine, host, studioStore, runStore, projectViewStore);
  });
  useEffect(() => controller.start(), [controller]);
  useEffect(() => {
    void controller.checkRecovery();
  }, [controller]);
  useProjectCommands(controller);
  const name = useProjectView((view) => view.name);
  const dirty = useProjectView((view) => view.dirty);
  useEffect(() => {
    document.title = windowTitle({ name, dirty });
  }, [name, dirty]);
  return (
    <>
      <ProjectBar controller={controller} />
      <ProjectProblem controller={controller} />
      <ExportNotice controller={controller} />
      <UnsavedChangesDialog controller={controller} />
      <RecoveryDialog controller={controller} />
    </>
  );
}
