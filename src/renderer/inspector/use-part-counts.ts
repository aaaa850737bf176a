/** How many samples each data part holds, from the dataset the engine reported (empty until one is loaded). */
import type { DataPart } from '../../engine/protocol';
import { useRun } from '../run/run-store';

export function usePartCounts(): Partial<Record<DataPart, number>> {
  const dataset = useRun((view) => view.dataset);
  if (dataset.state !== 'ready') return {};
  const counts: Partial<Record<DataPart, number>> = {};
  for (const part of dataset.summary.parts) counts[part.name as DataPart] = part.count;
  // validation samples are numbered as samples of the training data they were split from
  if (counts.train !== undefined) counts.validation = counts.train;
  return counts;
}
