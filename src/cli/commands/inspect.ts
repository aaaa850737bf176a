/** `cnn-studio inspect`: one sample's forward and backward pass through trained weights, as PNG maps plus index.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { HEAT_NEGATIVE, HEAT_POSITIVE, HEAT_ZERO_LIGHT, writeHeatColor } from '../../engine/inspect/heat-colors';
import type { Inspection } from '../../engine/inspect/inspection';
import { decodeInspection } from '../../engine/inspect/inspection-wire';
import { type MapImage, mapImages, VECTOR_ROW } from '../../engine/inspect/map-images';
import type { DataPart } from '../../engine/protocol';
import { CliInputError, EXIT_OK } from '../cli-error';
import type { CliIo } from '../io';
import { loadData, loadNetwork, loadWeights } from '../load-inputs';
import { optionalNumber, optionalString, parseFlags, requiredString } from '../options';
import { SessionDriver } from '../session-driver';

export const INSPECT_HELP = `Usage: cnn-studio inspect --network NET.json --weights W.safetensors --data SOURCE
                          --sample K --out DIR [--part train|test]

Runs sample K forward and backward through the weights (evaluation mode, the loss
being this sample's alone) and writes into DIR one PNG per map:
  input-cN.png                    the input, channel N
  layer-II-TYPE/output-cN.png     the layer output, channel N
  layer-II-TYPE/delta-cN.png      dLoss/d(layer output), channel N
  layer-II-conv2d/kernel-oO-cC.png, kernel-grad-oO-cC.png   kernel and its gradient
  layer-II-maxpool2d/pool-winners-cN.png   1 where an input won its window
  layer-II-relu/dead-units-cN.png          1 where the unit is dead for this sample
and index.json listing every image with its value scale, plus the class scores,
loss and top activations. Colours: blue −scale, white 0, red +scale, linear;
each value is a square of pixelsPerValue pixels; vectors wrap at ${VECTOR_ROW} values a row.

  --part    which data K indexes (default: the test set when the source has one)
`;

/** Small maps are enlarged so that a 3×3 kernel is still visible; the factor is in index.json. */
const TARGET_PIXELS = 64;

export async function inspectCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('inspect', args, {
    network: { type: 'string' },
    weights: { type: 'string' },
    data: { type: 'string' },
    sample: { type: 'string' },
    out: { type: 'string' },
    part: { type: 'string' },
  });
  if (flags.values.help) {
    io.stdout(INSPECT_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'inspect', 'network');
  const weightsPath = requiredString(flags, 'inspect', 'weights');
  const source = requiredString(flags, 'inspect', 'data');
  const sample = optionalNumber(flags, 'inspect', 'sample', { integer: true, min: 0 });
  if (sample === undefined) throw new CliInputError('inspect: --sample is required. Run "cnn-studio inspect --help".');
  const outDir = requiredString(flags, 'inspect', 'out');
  const partFlag = optionalString(flags, 'part');
  if (partFlag !== undefined && partFlag !== 'train' && partFlag !== 'test') {
    throw new CliInputError(`inspect: --part must be "train" or "test", got "${partFlag}"`);
  }

  const driver = new SessionDriver();
  await driver.applyThreads(null);
  await loadNetwork(driver, networkPath);
  const dataset = await loadData(driver, source);
  const runId = await loadWeights(driver, weightsPath);
  const hasTest = dataset.summary.parts.some((p) => p.name === 'test');
  if (partFlag === 'test' && !hasTest)
    throw new CliInputError(`inspect: ${source} has no separate test set; use --part train`);
  const part: DataPart = (partFlag as DataPart | undefined) ?? (hasTest ? 'test' : 'train');
  const event = await driver.request({ type: 'inspect', runId, part, index: sample, every: null }, 'inspection');
  const inspection = decodeInspection(event.inspection);

  const images = mapImages(inspection);
  for (const image of images) {
    const file = join(outDir, `${image.name}.png`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, pngOf(image));
  }
  const index = indexOf(inspection, images, { network: networkPath, weights: weightsPath, data: source, part, sample });
  await writeFile(join(outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  io.stdout(`${images.length} images and index.json written to ${outDir}\n`);
  return EXIT_OK;
}

function enlargement(image: MapImage): number {
  return Math.max(1, Math.floor(TARGET_PIXELS / Math.max(image.width, image.height)));
}

/** RGB, each value a square of enlargement(image) pixels; NaN padding of a vector's last row is white. */
function pngOf(image: MapImage): Uint8Array {
  const factor = enlargement(image);
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = image.values[Math.floor(y / factor) * image.width + Math.floor(x / factor)];
      writeHeatColor(value, image.scale, HEAT_ZERO_LIGHT, data, (y * width + x) * 3);
    }
  }
  return encodePng({ width, height, data, channels: 3, depth: 8 });
}

function indexOf(
  inspection: Inspection,
  images: MapImage[],
  inputs: { network: string; weights: string; data: string; part: DataPart; sample: number },
) {
  return {
    ...inputs,
    label: inspection.label,
    predicted: inspection.predicted,
    loss: inspection.loss,
    lossName: inspection.lossName,
    scores: Array.from(inspection.scores),
    colors: { negative: HEAT_NEGATIVE, zero: HEAT_ZERO_LIGHT, positive: HEAT_POSITIVE },
    layers: inspection.layers.map((layer) => ({
      index: layer.index,
      type: layer.type,
      inShape: layer.inShape,
      outShape: layer.outShape,
      top: layer.top,
      deadUnits: layer.deadUnits?.reduce((sum, dead) => sum + dead, 0),
    })),
    images: images.map((image) => ({
      file: `${image.name}.png`,
      kind: image.kind,
      layer: image.layer,
      channel: image.channel,
      inChannel: image.inChannel,
      width: image.width,
      height: image.height,
      pixelsPerValue: enlargement(image),
      scale: image.scale,
    })),
  };
}
