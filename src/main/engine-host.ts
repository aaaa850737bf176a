/**
 * Runs the engine in an Electron utility process and connects it straight to the renderer with a
 * MessageChannelMain, so per-step training traffic never passes through main. When the process dies
 * unexpectedly, the renderer is told and a fresh process is started; repeated crashes in a short
 * window stop the restarts (a crash loop helps nobody) and are reported as a failure.
 */
import { MessageChannelMain, type MessagePortMain, type UtilityProcess, utilityProcess } from 'electron';
import type { EngineProcessStatus } from './ipc-contract';

export const CRASH_LIMIT = 3;
export const CRASH_WINDOW_MS = 60_000;

export interface EngineHostEvents {
  status(status: EngineProcessStatus): void;
  /** A fresh port for the renderer: after start, restart, or a renderer reload. */
  rendererPort(port: MessagePortMain): void;
}

export class EngineProcessHost {
  private child: UtilityProcess | null = null;
  private readonly crashTimes: number[] = [];
  private shuttingDown = false;

  constructor(
    private readonly entryPath: string,
    private readonly events: EngineHostEvents,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    const child = utilityProcess.fork(this.entryPath, [], { serviceName: 'CNN Studio engine' });
    child.on('exit', (code) => this.onExit(child, code));
    this.child = child;
    this.connectRenderer();
    this.events.status({ state: 'running' });
  }

  /** Gives the renderer a new port to the running engine (the engine keeps its session). */
  connectRenderer(): void {
    if (!this.child) return;
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'engine-port' }, [port1]);
    this.events.rendererPort(port2);
  }

  /** User-requested restart: a deliberate kill is not counted as a crash. */
  restart(): void {
    const old = this.child;
    this.child = null;
    old?.kill();
    this.crashTimes.length = 0;
    this.start();
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.child?.kill();
    this.child = null;
  }

  private onExit(child: UtilityProcess, exitCode: number): void {
    if (child !== this.child || this.shuttingDown) return;
    this.child = null;
    const now = this.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - this.crashTimes[0] > CRASH_WINDOW_MS) this.crashTimes.shift();
    if (this.crashTimes.length >= CRASH_LIMIT) {
      this.events.status({
        state: 'failed',
        message: `The engine stopped ${CRASH_LIMIT} times within a minute (last exit code ${exitCode}). Your network and settings are kept; use "Restart engine" to try again.`,
      });
      return;
    }
    this.events.status({ state: 'crashed', exitCode, restarting: true });
    this.start();
  }
}
