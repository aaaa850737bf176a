/** `cnn-studio train`: trains a network spec on a dataset, headless, on the same engine session as the app. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceChoice } from '../../engine/gpu/gpu-session';
import { MAX_KERNEL_THREADS } from '../../engine/kernels/threads-report';
import type { EngineEvent, RunState } from '../../engine/protocol';
import type { Evaluation } from '../../engine/trainer/evaluate';
import type { EpochReport } from '../../engine/trainer/events';
import { CliInputError, EXIT_FAILURE, EXIT_OK } from '../cli-error';
import { DEVICE_FLAG, DEVICE_FLAG_HELP, describeCompute, deviceFrom } from '../device-flag';
import type { CliIo } from '../io';
import { jsonLine } from '../json-lines';
import { loadData, loadNetwork, loadWeights } from '../load-inputs';
import { optionalNumber, optionalString, parseFlags, requiredString } from '../options';
import { renderProgressLine } from '../progress-bar';
import { SessionDriver, toError } from '../session-driver';
import { TRAINING_FLAGS, TRAINING_FLAGS_HELP, trainingSettingsFrom } from '../training-flags';
import { formatEvaluation } from './eval';

export const TRAIN_HELP = `Usage: cnn-studio train --network NET.json --data SOURCE [options]

Trains the network on the data and writes DIR/weights.safetensors (PyTorch nn.Sequential
keys; the best epoch's weights: lowest validation loss, or training loss without validation)
and DIR/history.json (per-epoch loss, accuracy and confusion matrices).

  --network FILE       network spec (JSON, as saved by the app)
  --data SOURCE        builtin:mnist, IDX, .npz, .csv, CIFAR-10 batches or an image folder
${TRAINING_FLAGS_HELP}
  --init-weights FILE  start from these weights (safetensors) instead of a fresh initialization
  --test               after the last epoch, evaluate the best weights on the data's test part
                       (loss, accuracy, confusion matrix; in the --json summary as "test")
  --threads N          CPU threads for the kernels (default: every core); results are the same
                       bit for bit whatever N, only the speed changes
${DEVICE_FLAG_HELP}
  --out DIR            where to write the results (default runs/<date-time>)
  --json               one JSON object per line on stdout: the app's events, then a summary
`;

interface RunOutcome {
  state: RunState;
  runId: number;
  history: EpochReport[];
  failure: Error | null;
}

const ENDED: readonly RunState[] = ['done', 'stopped', 'failed', 'diverged'];

export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('train', args, {
    network: { type: 'string' },
    data: { type: 'string' },
    'init-weights': { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    test: { type: 'boolean' },
    ...TRAINING_FLAGS,
    ...DEVICE_FLAG,
  });
  if (flags.values.help) {
    io.stdout(TRAIN_HELP);
    return EXIT_OK;
  }
  const networkPath = requiredString(flags, 'train', 'network');
  const source = requiredString(flags, 'train', 'data');
  const settings = trainingSettingsFrom(flags);
  const initWeights = optionalString(flags, 'init-weights');
  const threads = optionalNumber(flags, 'train', 'threads', { integer: true, min: 1, max: MAX_KERNEL_THREADS }) ?? null;
  const outDir =
    optionalString(flags, 'out') ?? join('runs', new Date().toISOString().slice(0, 19).replaceAll(':', '-'));
  const json = flags.values.json === true;
  const withTest = flags.values.test === true;
  const device = deviceFrom(flags, 'train');

  const driver = new SessionDriver();
  const threadsReport = await driver.applyThreads(threads);
  if (json) io.stdout(jsonLine({ type: 'threads', threads: threadsReport }));
  if (threads !== null && threadsReport.active !== threads) {
    io.stderr(`cnn-studio train: running on ${threadsReport.active} thread(s): ${threadsReport.limitation}\n`);
  }
  await loadNetwork(driver, networkPath);
  const dataset = await loadData(driver, source);
  if (json) io.stdout(jsonLine(dataset));
  if (withTest && !dataset.summary.parts.some((part) => part.name === 'test')) {
    throw new CliInputError(`train: --test needs data with a separate test part, and ${source} has none`);
  }
  const initialRun = initWeights ? await loadWeights(driver, initWeights) : null;
  await prepareOutput(outDir);

  const outcome = await runTraining(driver, io, json, device, () =>
    driver.send({
      type: 'train',
      settings,
      initialWeights: initialRun === null ? undefined : { runId: initialRun, which: 'latest' },
      device,
    }),
  );
  const { runId } = outcome;
  const weights = await driver.request({ type: 'export', runId, which: 'best', format: 'safetensors' }, 'exported');
  await writeFile(join(outDir, 'weights.safetensors'), new Uint8Array(weights.data));
  await writeFile(
    join(outDir, 'history.json'),
    JSON.stringify({ settings, source, history: outcome.history }, null, 2),
  );

  const test =
    withTest && outcome.state !== 'failed' && outcome.state !== 'diverged' ? await testRun(driver, runId) : null;
  if (test && !json)
    io.stdout(
      formatEvaluation(source, `test, ${test.which} weights of epoch ${test.epoch}`, dataset.summary.classNames, test),
    );
  const last = outcome.history.at(-1);
  const summary = {
    type: 'summary',
    state: outcome.state,
    epochs: outcome.history.length,
    trainLoss: last?.trainLoss ?? null,
    trainAccuracy: last?.trainAccuracy ?? null,
    validationLoss: last?.validation?.loss ?? null,
    validationAccuracy: last?.validation?.accuracy ?? null,
    test,
    weights: join(outDir, 'weights.safetensors'),
    /** Which weights the file holds: the best epoch's, or the latest when no epoch finished. */
    weightsOf: { which: weights.which, epoch: weights.epoch },
    history: join(outDir, 'history.json'),
    error: outcome.failure?.message ?? null,
  };
  if (json) io.stdout(jsonLine(summary));
  else {
    io.stdout(`wrote ${summary.weights} and ${summary.history}\n`);
    if (outcome.failure) io.stderr(`cnn-studio train: ${outcome.failure.message}\n`);
  }
  return outcome.state === 'failed' || outcome.state === 'diverged' ? EXIT_FAILURE : EXIT_OK;
}

/** The run's best weights on the test part, as `train --test` reports them. */
async function testRun(driver: SessionDriver, runId: number): Promise<Evaluation & { which: string; epoch: number }> {
  const answer = await driver.request({ type: 'evaluate', runId, part: 'test', which: 'best' }, 'evaluation');
  return { ...answer.evaluation, which: answer.which, epoch: answer.epoch };
}

async function prepareOutput(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new CliInputError(`--out ${outDir}: cannot create the folder (${(error as Error).message})`);
  }
}

/** Starts the run and reports its events until it ends; Ctrl+C stops it gracefully (results are still written). */
function runTraining(
  driver: SessionDriver,
  io: CliIo,
  json: boolean,
  device: DeviceChoice,
  start: () => number,
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const history: EpochReport[] = [];
    let failure: Error | null = null;
    let runId: number | null = null;
    let barShown = false;
    const clearBar = () => {
      if (barShown) io.stderr('\r\x1b[2K');
      barShown = false;
    };
    const interrupt = () => driver.send({ type: 'stop' });
    process.once('SIGINT', interrupt);
    const finish = () => {
      clearBar();
      unsubscribe();
      process.removeListener('SIGINT', interrupt);
    };
    const unsubscribe = driver.onEvent((event: EngineEvent) => {
      if (json && event.type !== 'pong') io.stdout(jsonLine(event));
      switch (event.type) {
        case 'progress':
          if (!json && io.interactive) {
            const fraction = event.step / event.totalSteps;
            io.stderr(
              `\r${renderProgressLine({ ...event, fraction, samplesPerSecond: event.samplesPerSecond }, io.columns)}`,
            );
            barShown = true;
          }
          break;
        case 'epoch':
          history.push(event.report);
          if (!json) {
            clearBar();
            io.stdout(formatEpoch(event.report, event.validationPart));
          }
          break;
        case 'compute':
          // the usual case (Auto on the CPU) stays quiet
          if (!json && (event.compute.device === 'gpu' || device !== 'auto')) {
            io.stderr(`training ${describeCompute(event.compute)}\n`);
          }
          break;
        case 'warning':
          if (!json) {
            clearBar();
            io.stderr(`warning: ${event.message}\n`);
          }
          break;
        case 'error':
          failure = toError(event);
          // An error answering the train command (data that does not fit the network, …) is the command's error.
          if (event.requestId === trainRequest) {
            finish();
            reject(failure);
          }
          break;
        case 'run':
          if (event.requestId === trainRequest) runId = event.run.runId;
          break;
        case 'run-state':
          if (event.runId === runId && ENDED.includes(event.state)) {
            finish();
            resolve({ state: event.state, runId, history, failure });
          }
          break;
      }
    });
    const trainRequest = start();
  });
}

function formatEpoch(report: EpochReport, validationPart: string | null): string {
  const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
  const validation = report.validation
    ? `  ${validationPart ?? 'validation'} loss ${report.validation.loss.toFixed(4)} acc ${percent(report.validation.accuracy)}`
    : '';
  return `epoch ${report.epoch}  train loss ${report.trainLoss.toFixed(4)} acc ${percent(report.trainAccuracy)}${validation}  lr ${report.lr}\n`;
}
