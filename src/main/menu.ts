/**
 * The application menu. Document commands (New, Open, Save, Export, Undo/Redo) are forwarded to the
 * renderer, which owns the document; reload and devtools exist only in development.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/ipc-contract';

export interface MenuActions {
  command(command: MenuCommand): void;
  about(): void;
  restartEngine(): void;
}

export function buildMenuTemplate(
  actions: MenuActions,
  isDevelopment: boolean,
  isMac: boolean,
): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => actions.command(command);
  const view: MenuItemConstructorOptions[] = isDevelopment
    ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        // Say what New gives (it is not a blank page), with the empty stack one click away.
        { label: 'New: LeNet-5 on MNIST digits', accelerator: 'CmdOrCtrl+N', click: send('file:new') },
        { label: 'New: Empty Network', click: send('file:new-empty') },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: send('file:open') },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: send('file:save') },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: send('file:save-as') },
        { type: 'separator' },
        // Weights for the network in the editor become a run of their own ("Imported from NAME").
        { label: 'Import weights…', click: send('file:import-weights') },
        {
          label: 'Export',
          submenu: [
            { label: 'Weights (safetensors)…', click: send('export:safetensors') },
            { label: 'ONNX model…', click: send('export:onnx') },
            { label: 'PyTorch script…', click: send('export:pytorch') },
            { label: 'Weights as JSON…', click: send('export:json') },
          ],
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        // Undo/redo act on the CNN Studio document, not on the focused text field's native history.
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('edit:undo') },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: send('edit:redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...view,
        { label: 'Restart Engine', click: () => actions.restartEngine() },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Help', submenu: [{ label: 'About CNN Studio', click: () => actions.about() }] },
  ];
}
