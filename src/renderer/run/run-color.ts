/**
 * One colour per run, by its id, so a run keeps its colour in the list, the compare charts and their legend
 * for as long as it exists (ids are never reused in a project). Mid-tone hues that read on the light and the
 * dark surface; red is left out because red marks errors.
 */
const RUN_PALETTE = ['#2f6fde', '#e8743b', '#19a979', '#945ecf', '#13a4b4', '#bf8b00', '#d6589a', '#6c8893'] as const;

export function runColor(runId: number): string {
  const slot = (((runId - 1) % RUN_PALETTE.length) + RUN_PALETTE.length) % RUN_PALETTE.length;
  return RUN_PALETTE[slot];
}
