/**
 * The session's side of the inspector: inspects the sample (or the caller's own input, ../inspect/inspect-input.ts)
 * the UI asked for at once, then again while a run trains, either every N steps (the user's choice) or, by
 * default, about once a second but never so often that inspecting takes more than INSPECT_BUDGET of the wall
 * time (the cost of each inspection is measured).
 * Nothing is inspected while a run is paused, so the last snapshot stays on screen.
 */
import { type Dataset, fillBatch, type Normalization } from '../data/dataset';
import { InspectInputError, type InspectInputFields, prepareInspectInput } from '../inspect/inspect-input';
import { encodeInspection } from '../inspect/inspection-wire';
import { SampleInspector } from '../inspect/sample-inspector';
import type { Network } from '../network';
import type { DataPart, EngineEvent, WeightsChoice } from '../protocol';
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

/** An input of the caller's instead of a dataset sample. */
export interface InspectInputRequest extends InspectInputFields {
  requestId: number;
  every?: number | null;
}

/** What to run the sample through, as the session has it now. */
export interface InspectWeights {
  runId: number;
  network: Network;
  /** The live network of the run training now: only then is the sample inspected again as it trains. */
  live: boolean;
  normalization: Normalization | undefined;
  /** Training steps behind the weights, when known. */
  step: number | null;
  /** Which of the run's weights these are, named in the answer. */
  which?: WeightsChoice;
}

/** Where the sample comes from and what to run it through, as the session has them now. */
export interface InspectSubject extends InspectWeights {
  dataset: Dataset;
  /** The SOURCE string, to name in errors. */
  source: string;
}

interface Target {
  requestId: number;
  runId: number;
  /** How the answer names what it shows. */
  names: { part: DataPart; index: number } | { input: { name: string } };
  dataset: Dataset;
  index: number;
  /** 'own': the sample's label in the dataset. */
  label: number | 'predicted' | 'own';
  which: WeightsChoice | undefined;
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
    const { part, index } = request;
    this.target = {
      requestId,
      runId,
      names: { part, index },
      dataset,
      index,
      label: 'own',
      ...this.cadence(request, subject),
    };
    this.inspectNow(subject.network, subject.normalization, subject.step);
  }

  /** Prepares the caller's input, inspects it now and keeps it as the one to follow while training. */
  requestInput(request: InspectInputRequest, weights: InspectWeights): void {
    const { requestId } = request;
    const { runId, network } = weights;
    let prepared: ReturnType<typeof prepareInspectInput>;
    try {
      prepared = prepareInspectInput(network.spec.input, network.classes, request);
    } catch (error) {
      this.target = null;
      this.post(
        error instanceof InspectInputError
          ? { type: 'error', requestId, runId, code: 'bad-data', message: error.message, hint: error.hint }
          : errorEvent(error, 'inspect', requestId, runId),
      );
      return;
    }
    const { name, sample, label } = prepared;
    const names = { input: { name } };
    this.target = { requestId, runId, names, dataset: sample, index: 0, label, ...this.cadence(request, weights) };
    this.inspectNow(network, weights.normalization, weights.step);
  }

  /** Only the live network of a training run is followed. */
  private cadence(request: { every?: number | null }, weights: InspectWeights): Pick<Target, 'every' | 'which'> {
    return { every: weights.live ? request.every : null, which: weights.which };
  }

  /** Re-inspects the target after the steps of run `runId`, as the target's cadence asks, if it is that run's. */
  follow(runId: number, trainer: RunTrainer, datasets: readonly Dataset[]): void {
    this.stopFollowing?.();
    const target = this.target;
    // an input of the caller's is its own dataset, which no data change removes
    const gone = target !== null && 'part' in target.names && !datasets.includes(target.dataset);
    if (target !== null && (target.runId !== runId || gone)) this.target = null;
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
      const own = new Int32Array(1);
      fillBatch(target.dataset, [target.index], 0, 1, x, own, normalization);
      const label = target.label === 'own' ? own[0] : target.label;
      const { payload, transfer } = encodeInspection(this.inspector.inspect(network, x, label));
      const { requestId, runId, names, which } = target;
      const event = { type: 'inspection', requestId, runId, ...names, which, step, inspection: payload } as const;
      this.post(event, transfer);
    } catch (error) {
      // a failing inspection must never stop training: report it once and stop following the sample
      this.target = null;
      this.post(errorEvent(error, 'inspect', target.requestId, target.runId));
    }
    this.lastEnd = this.now();
    this.lastCost = this.lastEnd - start;
  }
}
