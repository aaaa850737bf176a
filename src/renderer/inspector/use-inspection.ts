/**
 * Keeps the engine inspecting the target sample and holds the latest inspection. The command is sent again
 * when the target, the update cadence or the run's phase changes: a new run needs the request anew, and a
 * pause gets a snapshot of the very weights it stopped at (the engine inspects nothing while paused).
 */
import { useEffect, useRef, useState } from 'react';
import type { Inspection } from '../../engine/inspect/inspection';
import { decodeInspection } from '../../engine/inspect/inspection-wire';
import type { DataPart } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';
import type { EngineProblem, RunPhase } from '../run/run-state';
import { useRun } from '../run/run-store';
import type { InspectTarget } from './inspect-target';

/** How often to re-inspect while training: a number of steps, 'auto' (about once a second) or 'off'. */
export type InspectCadence = number | 'auto' | 'off';

export interface InspectedSample {
  part: DataPart;
  index: number;
  step: number | null;
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
  const runId = useRun((view) => view.selectedRunId);
  const wanted = useRef<InspectTarget | null>(null);

  useEffect(
    () =>
      engine.onEvent((event) => {
        const want = wanted.current;
        if (event.type === 'inspection' && want && event.part === want.part && event.index === want.index) {
          pending.current = null;
          const { part, index, step } = event;
          setState({ state: 'ready', sample: { part, index, step, inspection: decodeInspection(event.inspection) } });
        } else if (event.type === 'error' && event.requestId !== null && event.requestId === pending.current) {
          pending.current = null;
          setState({ state: 'failed', problem: { code: event.code, message: event.message, hint: event.hint } });
        }
      }),
    [engine],
  );

  useEffect(() => {
    wanted.current = target;
    if (!target || runId === null || !INSPECTABLE.includes(phase)) return;
    if (count !== undefined && target.index >= count) {
      const message = `There is no sample ${target.index} in the ${target.part} data.`;
      setState({ state: 'failed', problem: { code: 'bad-data', message, hint: `Pick one from 0 to ${count - 1}.` } });
      return;
    }
    setState((previous) =>
      previous.state === 'ready' && previous.sample.part === target.part && previous.sample.index === target.index
        ? previous
        : { state: 'loading' },
    );
    const every = cadence === 'auto' ? undefined : cadence === 'off' ? null : cadence;
    pending.current = engine.send({ type: 'inspect', runId, part: target.part, index: target.index, every });
  }, [engine, target, cadence, phase, count, runId]);

  return state;
}
