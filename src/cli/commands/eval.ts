/** `cnn-studio eval`: loss, accuracy and confusion matrix of trained weights on a dataset. */
import type { DataPart } from '../../engine/protocol';
import type { Evaluation } from '../../engine/trainer/evaluate';
import { EXIT_OK } from '../cli-error';
import { DEVICE_FLAG, DEVICE_FLAG_HELP, describeCompute, deviceFrom } from '../device-flag';
import type { CliIo } from '../io';
import { jsonLine } from '../json-lines';
import { loadData, loadNetwork, loadWeights } from '../load-inputs';
import { parseFlags, requiredString } from '../options';
import { SessionDriver } from '../session-driver';

export const EVAL_HELP = `Usage: cnn-studio eval --network NET.json --weights W.safetensors --data SOURCE [--device WHERE] [--json]

Evaluates the weights on the data: mean loss, accuracy and the confusion matrix
(rows: actual class, columns: predicted). When the source has a separate test set
(IDX folders with t10k files, CIFAR-10 test_batch.bin), that is what is evaluated;
otherwise every sample of the source.

${DEVICE_FLAG_HELP}
  --json               print the result as one JSON object
`;

export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('eval', args, {
    network: { type: 'string' },
    weights: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
    ...DEVICE_FLAG,
  });
  if (flags.values.help) {
    io.stdout(EVAL_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'eval', 'network');
  const weightsPath = requiredString(flags, 'eval', 'weights');
  const source = requiredString(flags, 'eval', 'data');
  const device = deviceFrom(flags, 'eval');
  const driver = new SessionDriver();
  await driver.applyThreads(null);
  await loadNetwork(driver, networkPath);
  const dataset = await loadData(driver, source);
  const runId = await loadWeights(driver, weightsPath);
  const part: DataPart = dataset.summary.parts.some((p) => p.name === 'test') ? 'test' : 'train';
  const { evaluation, compute } = await driver.request({ type: 'evaluate', runId, part, device }, 'evaluation');
  const classNames = dataset.summary.classNames;
  if (flags.values.json) io.stdout(jsonLine({ source, part, classNames, ...evaluation, compute }));
  else {
    if (compute && (compute.device === 'gpu' || device !== 'auto'))
      io.stderr(`evaluated ${describeCompute(compute)}\n`);
    io.stdout(formatEvaluation(source, part, classNames, evaluation));
  }
  return EXIT_OK;
}

export function formatEvaluation(source: string, part: string, classNames: string[], evaluation: Evaluation): string {
  const width = Math.max(6, ...classNames.map((name) => name.length + 1), String(evaluation.count).length + 1);
  const cell = (text: string | number) => String(text).padStart(width);
  const lines = [
    `${source} (${part}, ${evaluation.count.toLocaleString('en-US')} samples)`,
    `  loss      ${evaluation.loss.toFixed(4)}`,
    `  accuracy  ${(evaluation.accuracy * 100).toFixed(2)}%`,
    '',
    '  confusion matrix (rows: actual, columns: predicted)',
    `  ${cell('')}${classNames.map(cell).join('')}`,
    ...evaluation.confusion.map((row, k) => `  ${cell(classNames[k])}${row.map(cell).join('')}`),
  ];
  return `${lines.join('\n')}\n`;
}
