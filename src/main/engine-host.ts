/**
 * Runs the engine in an Electron utility process and connects it straight to the renderer with a
 * MessageChannelMain, so per-step training traffic never passes through main. When the process dies
 * unexpectedly, the renderer is told and a fresh process is started; repeated crashes in a short
 * window stop the restarts (a crash loop helps nobody) and are reported as a failure.
 */
import { MessageChannelMain, type MessagePortMain, type UtilityProcess, utilityProcess } from 'electron';
import type { EngineProcessStatus } from '../shared/ipc-contract';
import { PathAllowlist, type PathGrant } from './engine-process/path-allowlist';

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
  /** Every data path the user granted this session; a restarted engine gets them all again. */
  private readonly grants: PathGrant[] = [];
  /** The same rules as the engine's, so main can tell whether a path needs asking about. */
  readonly allowed = new PathAllowlist();
  /** Grants sent and not yet acknowledged by the engine, by message id. */
  private readonly grantAcks = new Map<number, () => void>();
  private grantId = 0;

  constructor(
    private readonly entryPath: string,
    private readonly events: EngineHostEvents,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    const child = utilityProcess.fork(this.entryPath, [], { serviceName: 'CNN Studio engine' });
    child.on('exit', (code) => this.onExit(child, code));
    child.on('message', (message: { type?: unknown; id?: unknown }) => {
      if (message?.type !== 'paths-allowed' || typeof message.id !== 'number') return;
      this.grantAcks.get(message.id)?.();
      this.grantAcks.delete(message.id);
    });
    this.child = child;
    // Before the port: the renderer can only ask for data once it has one.
    if (this.grants.length > 0) child.postMessage({ type: 'allow-paths', grants: this.grants });
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

  /**
   * Lets the engine read data the user chose (path-allowlist.ts has the rules). Resolves once the engine has
   * them, so that the path handed to the page next cannot reach the engine first over the page's own port.
   */
  allowPaths(grants: PathGrant[]): Promise<void> {
    if (grants.length === 0) return Promise.resolve();
    this.grants.push(...grants);
    for (const grant of grants) this.allowed.allow(grant);
    const child = this.child;
    // Without an engine, the next one gets every grant before its port.
    if (!child) return Promise.resolve();
    const id = ++this.grantId;
    return new Promise((resolve) => {
      this.grantAcks.set(id, resolve);
      child.postMessage({ type: 'allow-paths', id, grants });
    });
  }

  /** User-requested restart: a deliberate kill is not counted as a crash. */
  restart(): void {
    const old = this.child;
    this.child = null;
    this.settleGrants();
    old?.kill();
    this.crashTimes.length = 0;
    this.start();
  }

  /** An engine that ends cannot answer its grants; they are in the list every new engine gets before its port. */
  private settleGrants(): void {
    for (const acknowledge of this.grantAcks.values()) acknowledge();
    this.grantAcks.clear();
  }

  shutdown(): void {
    this.shuttingDown = true;
    this.settleGrants();
    this.child?.kill();
    this.child = null;
  }

  private onExit(child: UtilityProcess, exitCode: number): void {
    if (child !== this.child || this.shuttingDown) return;
    this.settleGrants();
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
