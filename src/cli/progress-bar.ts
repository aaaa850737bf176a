/**
 * A one-line progress display for terminal runs, redrawn in place on stderr:
 * "epoch 1/2 ▕██████░░░░▏ 61%  loss 0.2841  acc 91.3%  2,410 samples/s  ETA 0:42"
 */
export interface ProgressLine {
  epoch: number;
  epochs: number;
  /** Fraction of the whole run done, 0..1. */
  fraction: number;
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function renderProgressLine(line: ProgressLine, columns: number): string {
  const percent = Math.floor(line.fraction * 100);
  const stats =
    `  loss ${line.loss.toFixed(4)}  acc ${(line.accuracy * 100).toFixed(1)}%` +
    `  ${Math.round(line.samplesPerSecond).toLocaleString('en-US')} samples/s  ETA ${formatDuration(line.etaSeconds)}`;
  const head = `epoch ${line.epoch}/${line.epochs} `;
  const tail = ` ${String(percent).padStart(3)}%`;
  const width = Math.max(10, Math.min(30, columns - head.length - tail.length - stats.length - 2));
  const filled = Math.round(line.fraction * width);
  return `${head}▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏${tail}${stats}`;
}
