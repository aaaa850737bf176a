/**
 * Keeps the engine inspecting the target sample and holds the latest inspection. The command is sent again
 * when the target, the update cadence or the run's phase changes: a new run needs the request anew, and a
 * pause gets a snapshot of the very weights it stopped at (the engine inspects nothing while paused).
 * An input from the Try panel is inspected with the run's best weights, as Try predicts it, and again after
 * each epoch (the best weights may have changed).
 */
import { useEffect, useRef, useState } from 'react';
import type { Inspection } from '../../engine/inspect/inspection';
import { decodeInspection } from '../../engine/inspect/inspection-wire';
import type { DataPart, EngineEvent, WeightsChoice } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';
import { type EngineProblem, type RunPhase, usableSelectedRunId } from '../run/run-state';
import { useRun } from '../run/run-store';
import type { InspectTarget, SampleTarget } from './inspect-target';

/** How often to re-inspect while training: a number of steps, 'auto' (about once a second) or 'off'. */
export type InspectCadence = number | 'auto' | 'off';

export interface InspectedSample {
  /** A dataset sample's part and index, or the input's name. */
  shows: { part: DataPart; index: number } | { input: { name: string } };
  step: number | null;
  which: WeightsChoice | undefined;
  inspection: Inspection;
}

export type InspectionState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'ready'; sample: InspectedSample }
  | { state: 'failed'; problem: EngineProblem };

/** Phases in which the engine has a network with weights to inspect. */
const INSPECTABLE: readonly RunPhase[] = ['running', 'paused', 'done', 'stopped', 'failed', 'diverged'];

export function useInspection(
  engine: EngineClient,
  target: InspectTarget | null,
  cadence: InspectCadence,
  phase: RunPhase,
  /** Samples in the target's part, when known: a number past the end is refused here, not sent. */
  count: number | undefined,
): InspectionState {
  const [state, setState] = useState<InspectionState>({ state: 'none' });
  const pending = useRef<number | null>(null);
  // A run an engine restart lost has no weights: nothing is asked for it (the view says why instead).
  const runId = useRun(usableSelectedRunId);
  const epochs = useRun((view) => view.epochs.length);
  const wanted = useRef<InspectTarget | null>(null);
  /** The request an input's inspections answer (each click on "Inspect this input" is a new one). */
  const inputRequest = useRef<number | null>(null);

  useEffect(
    () =>
      engine.onEvent((event) => {
        const want = wanted.current;
        if (event.type === 'inspection' && want && answers(event, want, inputRequest.current)) {
          pending.current = null;
          const { step, which } = event;
          const shows =
            want.kind === 'input' ? { input: { name: want.title } } : { part: want.part, index: want.index };
          setState({ state: 'ready', sample: { shows, step, which, inspection: decodeInspection(event.inspection) } });
        } else if (event.type === 'error' && event.requestId !== null && event.requestId === pending.current) {
          pending.current = null;
          setState({ state: 'failed', problem: { code: event.code, message: event.message, hint: event.hint } });
        }
      }),
    [engine],
  );

  // An input is inspected with the best weights, which may change with every epoch.
  const inputEpochs = target?.kind === 'input' ? epochs : 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: inputEpochs is a reason to inspect an input again
  useEffect(() => {
    wanted.current = target;
    if (!target || runId === null || !INSPECTABLE.includes(phase)) return;
    if (target.kind === 'input') {
      setState((previous) =>
        previous.state === 'ready' && 'input' in previous.sample.shows ? previous : { state: 'loading' },
      );
      const { image, preprocess, label } = target;
      // a copy each time: a transport may transfer (detach) the buffer it sends
      const copy = { ...image, data: image.data.slice(0) };
      const command = { type: 'inspect', runId, which: 'best', image: copy, preprocess, every: null } as const;
      pending.current = engine.send(label === null ? command : { ...command, label });
      inputRequest.current = pending.current;
      return;
    }
    if (count !== undefined && target.index >= count) {
      const message = `There is no sample ${target.index} in the ${target.part} data.`;
      setState({ state: 'failed', problem: { code: 'bad-data', message, hint: `Pick one from 0 to ${count - 1}.` } });
      return;
    }
    setState((previous) =>
      previous.state === 'ready' && sameSample(previous.sample.shows, target) ? previous : { state: 'loading' },
    );
    const every = cadence === 'auto' ? undefined : cadence === 'off' ? null : cadence;
    pending.current = engine.send({ type: 'inspect', runId, part: target.part, index: target.index, every });
  }, [engine, target, cadence, phase, count, runId, inputEpochs]);

  return state;
}

/** Whether an inspection answers the target: a sample by part and index, an input by its latest request. */
function answers(
  event: Extract<EngineEvent, { type: 'inspection' }>,
  want: InspectTarget,
  inputRequest: number | null,
) {
  if (want.kind === 'input') return event.input !== undefined && event.requestId === inputRequest;
  return event.input === undefined && event.part === want.part && event.index === want.index;
}

function sameSample(shows: InspectedSample['shows'], target: SampleTarget): boolean {
  return 'part' in shows && shows.part === target.part && shows.index === target.index;
}
