/** `cnn-studio data SOURCE [--json]`: what a dataset holds, before training on it. */
import type { DatasetSummary } from '../../engine/data/summary';
import { CliInputError } from '../cli-error';
import type { CliIo } from '../io';
import { loadData } from '../load-inputs';
import { parseFlags } from '../options';
import { SessionDriver } from '../session-driver';

export const DATA_HELP = `Usage: cnn-studio data SOURCE [--json]

Summarizes a dataset: format, sample counts per split, input shape, value range and
samples per class. SOURCE is builtin:mnist, an IDX images file (labels found beside it,
or IMAGES,LABELS), a .npz, a .csv, a CIFAR-10 batch file or folder, or a folder with
one subfolder of images per class.

  --json    print the summary as one JSON object (preview images left out)
`;

export async function dataCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('data', args, { json: { type: 'boolean' } }, 1);
  if (flags.values.help) {
    io.stdout(DATA_HELP);
    return 0;
  }
  const source = flags.positionals[0];
  if (!source) throw new CliInputError('data: SOURCE is required, e.g. "cnn-studio data builtin:mnist"');
  const event = await loadData(new SessionDriver(), source);
  const { preview: _preview, ...summary } = event.summary;
  if (flags.values.json) {
    io.stdout(`${JSON.stringify({ source, format: event.format, ...summary, warnings: event.warnings })}\n`);
  } else {
    io.stdout(formatSummary(source, event.format, event.summary, event.warnings));
  }
  return 0;
}

export function formatSummary(source: string, format: string, summary: DatasetSummary, warnings: string[]): string {
  const { channels, height, width } = summary.shape;
  const lines = [
    `${source} (${format})`,
    `  samples      ${summary.count.toLocaleString('en-US')}`,
    `  input shape  ${channels}×${height}×${width} (channels × height × width), ${summary.dtype}`,
    `  value range  ${summary.valueRange.min} … ${summary.valueRange.max}`,
    `  classes      ${summary.classNames.length}`,
  ];
  const nameWidth = Math.max(5, ...summary.classNames.map((name) => name.length));
  const header = ['class'.padEnd(nameWidth), ...summary.parts.map((part) => part.name.padStart(10))].join(' ');
  lines.push('', `  ${header}`);
  summary.classNames.forEach((name, k) => {
    const counts = summary.parts.map((part) => part.classCounts[k].toLocaleString('en-US').padStart(10));
    lines.push(`  ${[name.padEnd(nameWidth), ...counts].join(' ')}`);
  });
  const totals = summary.parts.map((part) => part.count.toLocaleString('en-US').padStart(10));
  lines.push(`  ${['total'.padEnd(nameWidth), ...totals].join(' ')}`);
  for (const warning of warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
