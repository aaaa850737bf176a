/**
 * File in the page (the web build has no native menu; the desktop app has both): New (LeNet-5, or empty), Open,
 * Save, Save As, Import weights… (the Try panel's picker) and the four export formats of the selected run, with
 * its best or latest weights, as a popover menu that closes on Escape or a click outside.
 */
import { useRef } from 'react';
import type { ExportFormat } from '../../engine/protocol';
import { Icon } from '../frame/Icon';
import { lostReason, selectedRun } from '../run/run-state';
import { useRun } from '../run/run-store';
import { useWeightsImportRequest } from '../try/weights-import-request';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

const MENU_ID = 'file-menu';
const MOD = /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl+';

const EXPORTS: { format: ExportFormat; title: string; description: string }[] = [
  { format: 'safetensors', title: 'Weights (safetensors)…', description: 'For PyTorch load_state_dict' },
  { format: 'onnx', title: 'ONNX model…', description: 'For ONNX Runtime and Netron' },
  { format: 'pytorch', title: 'PyTorch script…', description: 'model.py and weights.safetensors' },
  { format: 'json', title: 'Weights as JSON…', description: 'Readable numbers' },
];

export function FileMenu({ controller, disabled }: { controller: ProjectController; disabled: boolean }) {
  const menu = useRef<HTMLDivElement>(null);
  const runName = useRun((view) => selectedRun(view)?.name ?? null);
  // A run lost in an engine restart has no weights to export: say so here rather than after a click.
  const lost = useRun((view) => lostReason(view, view.selectedRunId));
  const run = (action: () => Promise<unknown>) => () => {
    menu.current?.hidePopover();
    void action();
  };
  const item = (title: string, action: () => Promise<unknown>, shortcut?: string, description?: string) => (
    <li>
      <button type="button" className="popover-menu__item file-menu__item" onClick={run(action)}>
        <span className="file-menu__title">{title}</span>
        {shortcut ? <kbd className="file-menu__hint">{shortcut}</kbd> : null}
        {description ? <span className="file-menu__hint">{description}</span> : null}
      </button>
    </li>
  );
  return (
    <>
      <button type="button" className="button file-button" popoverTarget={MENU_ID} disabled={disabled}>
        File
        <Icon name="chevron" />
      </button>
      <div ref={menu} id={MENU_ID} className="popover-menu file-menu" popover="auto">
        <ul className="popover-menu__list" aria-label="File">
          {item('New', () => controller.newProject('lenet'), undefined, 'LeNet-5 on MNIST digits')}
          {item('New empty', () => controller.newProject('empty'), undefined, 'No layers, MNIST digits')}
          {item('Open…', () => controller.open(), `${MOD}O`)}
          {item('Save', () => controller.save(), `${MOD}S`)}
          {item('Save As…', () => controller.saveAs(), `${MOD}Shift+S`)}
          {item('Import weights…', async () => useWeightsImportRequest.getState().request())}
          <li className="file-menu__heading" title={lost ?? undefined}>
            Export {runName ?? '(train a run first)'}
            {lost ? ' (lost in an engine restart)' : ''}
          </li>
          <li>
            <ExportWeightsChoice controller={controller} />
          </li>
          {EXPORTS.map(({ format, title, description }) => (
            <li key={format}>
              <button
                type="button"
                className="popover-menu__item file-menu__item"
                disabled={lost !== null}
                onClick={run(() => controller.export(format))}
              >
                <span className="file-menu__title">{title}</span>
                <span className="file-menu__hint">{description}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

/** Best (the default) or latest weights of the selected run, for every export format. */
function ExportWeightsChoice({ controller }: { controller: ProjectController }) {
  const which = useProjectView((view) => view.exportWeights);
  return (
    <fieldset className="export-weights" data-testid="export-weights">
      <legend className="visually-hidden">Weights to export</legend>
      weights
      {(['best', 'latest'] as const).map((choice) => (
        <label key={choice}>
          <input
            type="radio"
            name="export-weights"
            value={choice}
            checked={which === choice}
            onChange={() => controller.setExportWeights(choice)}
          />
          {choice === 'best' ? 'best epoch' : 'latest'}
        </label>
      ))}
    </fieldset>
  );
}
