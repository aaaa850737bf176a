/**
 * "A misclassified one": the most frequent confusion of the latest epoch's matrix, and one sample of it found
 * by the engine's find-samples with the current weights.
 */
import type { SampleView } from '../../engine/protocol';
import type { ConfusionMatrix } from '../../engine/trainer/metrics';
import type { EngineClient } from '../engine-client/engine-client';
import { requestEngine } from '../project/engine-request';
import { type ConfusionView, usableSelectedRunId } from '../run/run-state';
import { runStore } from '../run/run-store';

/** The off-diagonal cell with the most samples, or null when the matrix has none. */
export function mostConfusedCell(matrix: ConfusionMatrix): { actual: number; predicted: number } | null {
  let best: { actual: number; predicted: number } | null = null;
  let most = 0;
  for (const [actual, row] of matrix.entries()) {
    for (const [predicted, count] of row.entries()) {
      if (actual !== predicted && count > most) {
        most = count;
        best = { actual, predicted };
      }
    }
  }
  return best;
}

/** Resolves with a sample of the most confused cell, or null when the current weights misclassify none there. */
export function findMisclassified(engine: EngineClient, confusion: ConfusionView): Promise<SampleView | null> {
  const cell = mostConfusedCell(confusion.matrix);
  const runId = usableSelectedRunId(runStore.getState().view);
  if (cell === null || runId === null) return Promise.resolve(null);
  const command = { type: 'find-samples', runId, part: confusion.part, ...cell, limit: 1 } as const;
  return requestEngine(engine, command, 'samples').then(
    (event) => event.samples[0] ?? null,
    (error: Error & { hint?: string }) => Promise.reject(new Error(`${error.message} ${error.hint ?? ''}`.trim())),
  );
}
