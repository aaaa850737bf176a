/**
 * The session's side of the inspector: inspects the sample the UI asked for at once, then again while a run
 * trains, either every N steps (the user's choice) or, by default, about once a second but never so often that
 * inspecting takes more than INSPECT_BUDGET of the wall time (the cost of each inspection is measured).
 * Nothing is inspected while a run is paused, so the last snapshot stays on screen.
 */
import { type Dataset, fillBatch, type Normalization } from '../data/dataset';
import { encodeInspection } from '../inspect/inspection-wire';
import { SampleInspector } from '../inspect/sample-inspector';
import type { Network } from '../network';
import type { DataPart, EngineEvent } from '../protocol';
import type { RunTrainer } from '../trainer/run-trainer';
import { errorEvent } from './error-event';

/** Default pause between two inspections while training. */
export const INSPECT_INTERVAL_MS = 1000;
/** Largest share of wall time automatic re-inspection may take. */
export const INSPECT_BUDGET = 0.03;

export interface InspectRequest {
  requestId: number;
  part: DataPart;
  index: number;
  /** Re-inspect every this many training steps; null: only now; left out: about once a second. */
  every?: number | null;
}

/** Where the sample comes from and what to run it through, as the session has them now. */
export interface InspectSubject {
  runId: number;
  network: Network;
  /** The live network of the run training now: only then is the sample inspected again as it trains. */
  live: boolean;
  dataset: Dataset;
  /** The SOURCE string, to name in errors. */
  source: string;
  normalization: Normalization | undefined;
  /** Training steps behind the weights, when known. */
  step: number | null;
}

interface Target {
  requestId: number;
  runId: number;
  part: DataPart;
  index: number;
  dataset: Dataset;
  every: number | null | undefined;
}

type Post = (event: EngineEvent, transfer?: ArrayBuffer[]) => void;

export class SessionInspector {
  private readonly inspector = new SampleInspector();
  private target: Target | null = null;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private lastCost = 0;
  private stopFollowing: (() => void) | null = null;

  constructor(
    private readonly post: Post,
    private readonly now: () => number,
  ) {}

  /** Inspects the requested sample now and keeps it as the one to follow while training. */
  request(request: InspectRequest, subject: InspectSubject): void {
    const { dataset, source, runId } = subject;
    const { requestId } = request;
    if (request.index >= dataset.count) {
      // posted rather than thrown: the generic hint for bad data ("fix or replace the file") would mislead here
      this.target = null;
      this.post({
        type: 'error',
        requestId,
        runId,
        code: 'bad-data',
        message: `${source}: there is no sample ${request.index} in the ${request.part} data; it holds samples 0 to ${dataset.count - 1}.`,
        hint: `Pick a sample number from 0 to ${dataset.count - 1}.`,
      });
      return;
    }
    const every = subject.live ? request.every : null;
    this.target = { requestId, runId, part: request.part, index: request.index, dataset, every };
    this.inspectNow(subject.network, subject.normalization, subject.step);
  }

  /** Re-inspects the target after the steps of run `runId`, as the target's cadence asks, if it is that run's. */
  follow(runId: number, trainer: RunTrainer, datasets: readonly Dataset[]): void {
    this.stopFollowing?.();
    const target = this.target;
    if (target !== null && (target.runId !== runId || !datasets.includes(target.dataset))) this.target = null;
    this.stopFollowing = trainer.onEvent((event) => {
      if (event.type === 'step' && this.due(event.report.step)) {
        this.inspectNow(trainer.network, trainer.normalization, event.report.step);
      }
    });
  }

  private due(step: number): boolean {
    const target = this.target;
    if (target === null || target.every === null) return false;
    if (target.every !== undefined) return step % target.every === 0;
    const wait = Math.max(INSPECT_INTERVAL_MS, this.lastCost / INSPECT_BUDGET);
    return this.now() - this.lastEnd >= wait;
  }

  private inspectNow(network: Network, normalization: Normalization | undefined, step: number | null): void {
    const target = this.target;
    if (target === null) return;
    const start = this.now();
    try {
      const { channels, height, width } = target.dataset.shape;
      const x = new Float32Array(channels * height * width);
      const label = new Int32Array(1);
      fillBatch(target.dataset, [target.index], 0, 1, x, label, normalization);
      const { payload, transfer } = encodeInspection(this.inspector.inspect(network, x, label[0]));
      const { requestId, runId, part, index } = target;
      this.post({ type: 'inspection', requestId, runId, part, index, step, inspection: payload }, transfer);
    } catch (error) {
      // a failing inspection must never stop training: report it once and stop following the sample
      this.target = null;
      this.post(errorEvent(error, 'inspect', target.requestId, target.runId));
    }
    this.lastEnd = this.now();
    this.lastCost = this.lastEnd - start;
  }
}
