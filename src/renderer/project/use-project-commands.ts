/**
 * The File commands from outside the page: the desktop menu (menu:command, with its accelerators) or, in
 * the web build, the keyboard (Ctrl/Cmd+S, Shift+S, O; Ctrl+N belongs to the browser there).
 */
import { useEffect } from 'react';
import type { MenuCommand } from '../../shared/ipc-contract';
import { useWeightsImportRequest } from '../try/weights-import-request';
import type { ProjectController } from './project-controller';

export function runMenuCommand(controller: ProjectController, command: MenuCommand): void {
  switch (command) {
    case 'file:new':
      return void controller.newProject('lenet');
    case 'file:new-empty':
      return void controller.newProject('empty');
    case 'file:open':
      return void controller.open();
    case 'file:save':
      return void controller.save();
    case 'file:save-as':
      return void controller.saveAs();
    case 'file:import-weights':
      // the Try panel's picker: the imported run is selected there, to try it at once
      return void useWeightsImportRequest.getState().request();
    case 'export:safetensors':
    case 'export:onnx':
    case 'export:pytorch':
    case 'export:json':
      return void controller.export(command.slice('export:'.length) as 'safetensors');
  }
}

export function useProjectCommands(controller: ProjectController): void {
  useEffect(() => {
    const desktop = window.cnnStudio;
    if (desktop) return desktop.menu.onCommand((command) => runMenuCommand(controller, command));
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      const command: MenuCommand | null =
        key === 's'
          ? event.shiftKey
            ? 'file:save-as'
            : 'file:save'
          : key === 'o' && !event.shiftKey
            ? 'file:open'
            : null;
      if (command === null) return;
      event.preventDefault();
      runMenuCommand(controller, command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
