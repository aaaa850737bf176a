/** `cnn-studio export`: trained weights to safetensors, JSON, ONNX or a PyTorch script. */
import { writeFile } from 'node:fs/promises';
import { EXPORT_FORMATS, type ExportFormat } from '../../engine/protocol';
import { CliInputError, EXIT_OK } from '../cli-error';
import type { CliIo } from '../io';
import { loadNetwork, loadWeights } from '../load-inputs';
import { parseFlags, requiredString } from '../options';
import { SessionDriver } from '../session-driver';

export const EXPORT_HELP = `Usage: cnn-studio export --network NET.json --weights W.safetensors --format FORMAT --out FILE

  --format FORMAT   ${EXPORT_FORMATS.join(', ')}
  --out FILE        where to write the export
`;

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('export', args, {
    network: { type: 'string' },
    weights: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  if (flags.values.help) {
    io.stdout(EXPORT_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'export', 'network');
  const weightsPath = requiredString(flags, 'export', 'weights');
  const format = requiredString(flags, 'export', 'format');
  const out = requiredString(flags, 'export', 'out');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliInputError(`export: --format must be one of ${EXPORT_FORMATS.join(', ')}, got "${format}"`);
  }
  const driver = new SessionDriver();
  await loadNetwork(driver, networkPath);
  await loadWeights(driver, weightsPath);
  const exported = await driver.request({ type: 'export', format: format as ExportFormat }, 'exported');
  try {
    await writeFile(out, new Uint8Array(exported.data));
  } catch (error) {
    throw new CliInputError(`--out ${out}: cannot write the file (${(error as Error).message})`);
  }
  io.stdout(`wrote ${out} (${format}, ${exported.data.byteLength.toLocaleString('en-US')} bytes)\n`);
  return EXIT_OK;
}
