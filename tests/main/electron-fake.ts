/**
 * A fake of the `electron` module's surface that main uses, for vi.mock('electron'). Only the Electron
 * binary cannot run here; everything behind this boundary is our real code.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeUtilityProcess extends EventEmitter {
  readonly posted: { message: unknown; ports: unknown[] }[] = [];
  killed = false;
  /** Answers data grants the way the engine process does (serve.ts); a test can turn that off. */
  acknowledgeGrants = true;
  postMessage(message: unknown, ports: unknown[] = []): void {
    this.posted.push({ message, ports });
    const { type, id } = message as { type?: string; id?: number };
    if (type === 'allow-paths' && id !== undefined && this.acknowledgeGrants) {
      queueMicrotask(() => this.emit('message', { type: 'paths-allowed', id }));
    }
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
}

export class FakePortMain {
  constructor(readonly name: string) {}
}

let channelCount = 0;
export const forked: FakeUtilityProcess[] = [];
export const ipcHandlers = new Map<string, (event: unknown, request: unknown) => unknown>();
export const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
export const privilegedSchemes: { scheme: string; privileges?: Record<string, boolean> }[] = [];

export const electronFake = {
  utilityProcess: {
    fork: vi.fn(() => {
      const child = new FakeUtilityProcess();
      forked.push(child);
      return child;
    }),
  },
  MessageChannelMain: class {
    readonly port1: FakePortMain;
    readonly port2: FakePortMain;
    constructor() {
      channelCount += 1;
      this.port1 = new FakePortMain(`engine-side-${channelCount}`);
      this.port2 = new FakePortMain(`renderer-side-${channelCount}`);
    }
  },
  ipcMain: {
    handle: vi.fn((channel: string, handler: (event: unknown, request: unknown) => unknown) => {
      ipcHandlers.set(channel, handler);
    }),
  },
  protocol: {
    registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges?: Record<string, boolean> }[]) => {
      privilegedSchemes.push(...schemes);
    }),
    handle: vi.fn((scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      protocolHandlers.set(scheme, handler);
    }),
  },
  app: { getName: () => 'CNN Studio', getVersion: () => '0.1.0' },
  dialog: {
    showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/data/train.npz'] })),
    showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })),
    /** Answers "Don't Allow" (button 1) unless a test says otherwise. */
    showMessageBox: vi.fn(async () => ({ response: 1, checkboxChecked: false })),
  },
};

export function resetElectronFake(): void {
  forked.length = 0;
  ipcHandlers.clear();
  protocolHandlers.clear();
  privilegedSchemes.length = 0;
  channelCount = 0;
  vi.clearAllMocks();
}
