/**
 * Stratified validation split: each class gives the same fraction of its samples to validation, chosen at
 * random from the run's Rng, so both parts keep the class balance of the whole set.
 */
import type { Rng } from '../rng';

export interface Split {
  /** Dataset indices in ascending order, so training without shuffling follows dataset order. */
  train: Int32Array;
  validation: Int32Array;
}

/**
 * Holds out round(N·fraction) samples (at least one). Class c gives its share count_c·target/N, rounded so
 * the shares add up to the target exactly (largest remainders first, ties to the lower class).
 */
export function stratifiedSplit(labels: Int32Array, classes: number, fraction: number, rng: Rng): Split {
  const total = labels.length;
  const target = Math.max(1, Math.round(total * fraction));
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < total; i++) byClass[labels[i]].push(i);

  const exact = byClass.map((members) => (members.length * target) / total);
  const quotas = exact.map(Math.floor);
  let missing = target - quotas.reduce((sum, quota) => sum + quota, 0);
  const byRemainder = exact
    .map((share, c) => ({ c, remainder: share - quotas[c] }))
    .sort((a, b) => b.remainder - a.remainder || a.c - b.c);
  for (const { c } of byRemainder) {
    if (missing === 0) break;
    quotas[c]++;
    missing--;
  }

  const validation: number[] = [];
  const train: number[] = [];
  byClass.forEach((members, c) => {
    const shuffled = rng.shuffle(Int32Array.from(members));
    validation.push(...shuffled.subarray(0, quotas[c]));
    train.push(...shuffled.subarray(quotas[c]));
  });
  return { train: Int32Array.from(train).sort(), validation: Int32Array.from(validation).sort() };
}
