/**
 * Live prediction without flooding the engine: at most one `predict` in flight; inputs submitted meanwhile
 * replace each other, and only the latest is sent when the answer comes (and not sooner than MIN_GAP_MS
 * after the previous send). Submitting never waits, so the pen never does.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreprocessOptions } from '../../engine/predict/preprocess';
import type { RawImage } from '../../engine/predict/raw-image';
import type { EngineClient } from '../engine-client/engine-client';
import { EngineRequestError, requestEngine } from '../project/engine-request';

const MIN_GAP_MS = 80;

/** An image and how the engine is to prepare it (also what "Inspect this input" hands the Inspector). */
export interface TryInput {
  image: RawImage;
  preprocess: PreprocessOptions;
}

export interface PredictInput extends TryInput {
  /** The run whose best weights answer. */
  runId: number;
}

export type Prediction =
  | { state: 'none' }
  | {
      state: 'ready';
      probabilities: Float32Array;
      predicted: number;
      prepared: { shape: [number, number, number]; values: Float32Array } | null;
    }
  | { state: 'failed'; message: string; hint: string };

export function usePrediction(engine: EngineClient): {
  prediction: Prediction;
  submit(input: PredictInput | null): void;
} {
  const [prediction, setPrediction] = useState<Prediction>({ state: 'none' });
  const pending = useRef<PredictInput | null>(null);
  const busy = useRef(false);
  const lastSent = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);
  /** Raised by clearing, so that an answer to an input sent before the clear is dropped. */
  const generation = useRef(0);

  const sendNext = useCallback(() => {
    const input = pending.current;
    if (busy.current || input === null) return;
    const wait = lastSent.current + MIN_GAP_MS - performance.now();
    if (wait > 0) {
      timer.current ??= setTimeout(() => {
        timer.current = null;
        sendNext();
      }, wait);
      return;
    }
    pending.current = null;
    busy.current = true;
    lastSent.current = performance.now();
    const sentIn = generation.current;
    const { runId, image, preprocess } = input;
    requestEngine(engine, { type: 'predict', runId, image, preprocess }, 'predictions')
      .then((event) => {
        if (!alive.current || sentIn !== generation.current) return;
        const { preprocessed } = event;
        setPrediction({
          state: 'ready',
          probabilities: new Float32Array(event.probabilities),
          predicted: event.predicted[0],
          prepared: preprocessed ? { shape: preprocessed.shape, values: new Float32Array(preprocessed.data) } : null,
        });
      })
      .catch((error: unknown) => {
        if (!alive.current || sentIn !== generation.current) return;
        const hint = error instanceof EngineRequestError ? error.hint : '';
        setPrediction({ state: 'failed', message: (error as Error).message, hint });
      })
      .finally(() => {
        busy.current = false;
        if (alive.current) sendNext();
      });
  }, [engine]);

  const submit = useCallback(
    (input: PredictInput | null) => {
      if (input === null) {
        pending.current = null;
        generation.current += 1;
        setPrediction({ state: 'none' });
        return;
      }
      pending.current = input;
      sendNext();
    },
    [sendNext],
  );

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);
  return { prediction, submit };
}
