/** `cnn-studio predict`: the most probable classes of image files, prepared as the Try panel prepares them. */
import { basename } from 'node:path';
import { EXIT_BAD_INPUT, EXIT_OK } from '../cli-error';
import type { CliIo } from '../io';
import { jsonLine } from '../json-lines';
import { loadData, loadNetwork, loadWeights, readInputFile } from '../load-inputs';
import { optionalNumber, optionalString, parseFlags, requiredString } from '../options';
import { SessionDriver } from '../session-driver';

export const PREDICT_HELP = `Usage: cnn-studio predict --network NET.json --weights W IMAGE... [--top K] [--json]
                          [--mnist-style] [--invert] [--data SOURCE]

Prints the K most probable classes of each PNG or JPEG image with their
probabilities. Images are prepared by the engine as the app's Try panel does:

  (default)       keep the aspect, scale to cover the network's input, cut the middle,
                  convert to its channels (RGB to gray as luminance)
  --mnist-style   for drawings: crop to the ink, scale into a 20×20 box keeping aspect,
                  centre by centre of mass in the input (as MNIST was made)
  --invert        for dark strokes on light paper (1 − value), before either of the above
  --top K         how many classes to print (default 3)
  --data SOURCE   take the class names from this dataset (default: class numbers)
  --json          one JSON object per image

The weights' normalization (recorded at training) is applied. An image that
cannot be read is named on stderr and the exit code is 2; the others are printed.
`;

interface ImageResult {
  image: string;
  predicted: number;
  top: { class: number; name: string; probability: number }[];
}

export async function predictCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(
    'predict',
    args,
    {
      network: { type: 'string' },
      weights: { type: 'string' },
      data: { type: 'string' },
      top: { type: 'string' },
      'mnist-style': { type: 'boolean' },
      invert: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    Number.POSITIVE_INFINITY,
  );
  if (flags.values.help) {
    io.stdout(PREDICT_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'predict', 'network');
  const weightsPath = requiredString(flags, 'predict', 'weights');
  const top = optionalNumber(flags, 'predict', 'top', { integer: true, min: 1 }) ?? 3;
  const data = optionalString(flags, 'data');
  if (flags.positionals.length === 0) {
    io.stderr('cnn-studio predict: give at least one IMAGE (PNG or JPEG). Run "cnn-studio predict --help".\n');
    return EXIT_BAD_INPUT;
  }
  const driver = new SessionDriver();
  await loadNetwork(driver, networkPath);
  const classNames = data === undefined ? null : (await loadData(driver, data)).summary.classNames;
  const runId = await loadWeights(driver, weightsPath);
  const preprocess = {
    mode: flags.values['mnist-style'] ? 'mnist-style' : 'fit',
    invert: !!flags.values.invert,
  } as const;
  let failed = false;
  for (const path of flags.positionals) {
    try {
      const result = await predictFile(driver, runId, path, preprocess, top, classNames);
      io.stdout(flags.values.json ? jsonLine(result) : formatResult(result));
    } catch (error) {
      failed = true;
      io.stderr(`cnn-studio predict: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failed ? EXIT_BAD_INPUT : EXIT_OK;
}

async function predictFile(
  driver: SessionDriver,
  runId: number,
  path: string,
  preprocess: { mode: 'mnist-style' | 'fit'; invert: boolean },
  top: number,
  classNames: string[] | null,
): Promise<ImageResult> {
  const bytes = await readInputFile(path, 'image');
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const event = await driver.request(
    { type: 'predict', runId, image: { kind: 'encoded', fileName: path, data }, preprocess },
    'predictions',
  );
  const probabilities = Array.from(new Float32Array(event.probabilities));
  const ranked = probabilities
    .map((probability, k) => ({ class: k, name: classNames?.[k] ?? String(k), probability }))
    .sort((a, b) => b.probability - a.probability || a.class - b.class);
  return { image: path, predicted: event.predicted[0], top: ranked.slice(0, top) };
}

function formatResult({ image, top }: ImageResult): string {
  const width = Math.max(...top.map((entry) => entry.name.length));
  const lines = top.map(
    (entry) => `  ${entry.name.padEnd(width)}  ${(100 * entry.probability).toFixed(2).padStart(6)}%`,
  );
  return `${basename(image)}\n${lines.join('\n')}\n`;
}
