/** `cnn-studio export`: trained weights to safetensors, JSON, ONNX or a PyTorch script (with its weights). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../../engine/protocol';
import { CliInputError, EXIT_OK } from '../cli-error';
import type { CliIo } from '../io';
import { loadData, loadNetwork, loadWeights } from '../load-inputs';
import { optionalString, parseFlags, requiredString } from '../options';
import { SessionDriver } from '../session-driver';

export const EXPORT_HELP = `Usage: cnn-studio export --network NET.json --weights W.safetensors --format FORMAT --out PATH

  --format FORMAT   ${EXPORT_FORMATS.join(', ')}
  --out PATH        the file to write; for pytorch a folder or a path ending in .py: model.py is written
                    there and the weights.safetensors it loads beside it
  --softmax         onnx: end the graph with a softmax (output "probabilities" instead of "logits")
  --data SOURCE     pytorch: the data trained on, recorded in model.py and checked against the class count
`;

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('export', args, {
    network: { type: 'string' },
    weights: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    softmax: { type: 'boolean' },
    data: { type: 'string' },
  });
  if (flags.values.help) {
    io.stdout(EXPORT_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'export', 'network');
  const weightsPath = requiredString(flags, 'export', 'weights');
  const format = requiredString(flags, 'export', 'format');
  const out = requiredString(flags, 'export', 'out');
  const data = optionalString(flags, 'data');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliInputError(`export: --format must be one of ${EXPORT_FORMATS.join(', ')}, got "${format}"`);
  }
  const driver = new SessionDriver();
  await loadNetwork(driver, networkPath);
  const runId = await loadWeights(driver, weightsPath);
  if (data !== undefined) await loadData(driver, data);
  const exported = await driver.request(
    {
      type: 'export',
      runId,
      which: 'latest',
      format: format as ExportFormat,
      softmaxOutput: flags.values.softmax === true,
    },
    'exported',
  );
  const mainPath = format === 'pytorch' && !out.endsWith('.py') ? join(out, exported.fileName) : out;
  const files = [
    { path: mainPath, data: exported.data },
    ...(exported.companions ?? []).map((file) => ({ path: join(dirname(mainPath), file.fileName), data: file.data })),
  ];
  for (const file of files) {
    try {
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, new Uint8Array(file.data));
    } catch (error) {
      throw new CliInputError(`--out ${out}: cannot write ${file.path} (${(error as Error).message})`);
    }
    io.stdout(`wrote ${file.path} (${format}, ${file.data.byteLength.toLocaleString('en-US')} bytes)\n`);
  }
  return EXIT_OK;
}
