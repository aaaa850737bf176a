/**
 * The engine session: one module that serves all three hosts (Electron utility process, Web Worker, CLI).
 * It holds the network spec, the loaded dataset, the trained network and at most one training run, and
 * answers every command with events. Hosts differ only in how messages travel and where files come from.
 */
import { type Dataset, fillBatch } from '../data/dataset';
import { type LoadedSource, resolveSource } from '../data/source/resolve';
import { type NamedPart, samplePixels, summarizeDataset } from '../data/summary';
import { checkWeightsAgainst, readSafetensors, WeightsFileError, writeSafetensors } from '../io/safetensors';
import { writeWeightsJson } from '../io/weights-json';
import { Network } from '../network';
import { type DataPart, type EngineCommand, type EngineEvent, type ExportFormat, parseCommand } from '../protocol';
import { Rng } from '../rng';
import { analyzeSpec, checkSpecMatchesData } from '../spec/analyze';
import { parseNetworkSpec } from '../spec/schema';
import type { NetworkSpec } from '../spec/types';
import { tensor } from '../tensor';
import { allIndices } from '../trainer/batches';
import { evaluate, predict } from '../trainer/evaluate';
import { predictedClass } from '../trainer/metrics';
import { Trainer } from '../trainer/trainer';
import type { TrainingSettings } from '../training-settings';
import { ENGINE_VERSION } from '../version';
import { errorEvent } from './error-event';
import type { SessionHost } from './host';
import { NotReadyError } from './not-ready-error';
import { trainConfig } from './train-config';
import { TrainingRun, toArrayBuffer } from './training-run';
import { uploadedFileSource } from './uploaded-files';

interface LoadedData {
  source: string;
  loaded: LoadedSource;
  /** Smallest and largest stored value, for drawing float32 samples. */
  valueRange: { min: number; max: number };
}

export class EngineSession {
  private spec: NetworkSpec | null = null;
  private data: LoadedData | null = null;
  /** The network trained or loaded last; it survives the run that trained it, for evaluation and export. */
  private network: Network | null = null;
  private run: TrainingRun | null = null;

  constructor(private readonly host: SessionHost) {}

  /** Accepts any value from the transport; invalid messages are answered with an error event. */
  handle(raw: unknown): void {
    const parsed = parseCommand(raw);
    if (!parsed.ok) {
      this.host.post({
        type: 'error',
        code: 'bad-message',
        message: parsed.message,
        hint: 'This is a bug in the sender; the engine ignored the message and keeps running.',
      });
      return;
    }
    const { command } = parsed;
    Promise.resolve()
      .then(() => this.dispatch(command))
      .catch((error: unknown) => this.host.post(errorEvent(error, command.type)));
  }

  /** The current run, for hosts that report on it (the CLI waits for it to finish). */
  get activeRun(): TrainingRun | null {
    return this.run;
  }

  private async dispatch(command: EngineCommand): Promise<void> {
    switch (command.type) {
      case 'ping':
        return this.post({ type: 'pong', id: command.id, engineVersion: ENGINE_VERSION });
      case 'set-network':
        return this.setNetwork(command.spec);
      case 'load-dataset':
        return this.loadDataset(command.source, command.files);
      case 'train':
        return this.startRun(command.settings, command.initialWeights ?? 'fresh').resume();
      case 'pause':
        return this.run?.pause();
      case 'resume':
        return this.run?.resume();
      case 'stop':
        return this.run?.stop();
      case 'step':
        return this.step(command.settings);
      case 'set-learning-rate':
        return this.requireRun('change the learning rate').trainer.setBaseLearningRate(command.learningRate);
      case 'evaluate':
        return this.evaluatePart(command.part);
      case 'find-samples':
        return this.findSamples(command.part, command.actual, command.predicted, command.limit);
      case 'export':
        return this.export(command.format);
      case 'import-weights':
        return this.importWeights(command.fileName, new Uint8Array(command.data));
    }
  }

  private setNetwork(value: unknown): void {
    this.refuseWhileTraining('change the network');
    const parsed = parseNetworkSpec(value);
    if (!parsed.ok) {
      this.spec = null;
      this.network = null;
      const report = analyzeSpec({ input: { channels: 1, height: 1, width: 1 }, layers: [], loss: 'mse' });
      this.post({ type: 'network', report, errors: parsed.errors });
      return;
    }
    const report = analyzeSpec(parsed.spec);
    if (JSON.stringify(parsed.spec) !== JSON.stringify(this.spec)) this.network = null;
    this.spec = parsed.spec;
    this.post({ type: 'network', report, errors: report.issues.filter((issue) => issue.severity === 'error') });
  }

  private async loadDataset(source: string, upload?: { path: string; data: ArrayBuffer }[]): Promise<void> {
    this.refuseWhileTraining('load another dataset');
    const files = upload ? uploadedFileSource(upload) : this.host.files;
    this.post({ type: 'dataset-loading', source });
    const loaded = await resolveSource(source, files, { resourcesDir: this.host.resourcesDir });
    const parts: NamedPart[] = [{ name: 'train', dataset: loaded.splits.train }];
    if (loaded.splits.test) parts.push({ name: 'test', dataset: loaded.splits.test });
    const summary = summarizeDataset(parts);
    this.data = { source, loaded, valueRange: summary.valueRange };
    const train = loaded.splits.train;
    this.post({
      type: 'dataset',
      source,
      format: loaded.format,
      summary,
      warnings: loaded.warnings,
      mismatches: this.spec ? checkSpecMatchesData(this.spec, train.shape, train.classNames.length) : [],
    });
  }

  private startRun(settings: TrainingSettings, initialWeights: 'fresh' | 'current'): TrainingRun {
    this.refuseWhileTraining('start another run');
    const spec = this.requireSpec();
    const { loaded } = this.requireData();
    const test = loaded.splits.test;
    const useTest = settings.validationSplit === 0 && test !== undefined;
    const network = new Network(spec, new Rng(settings.seed));
    if (initialWeights === 'current') network.setParameters(this.requireNetwork().getParameters());
    const trainer = new Trainer(
      network,
      { train: loaded.splits.train, validation: useTest ? test : undefined },
      trainConfig(settings, useTest),
    );
    this.network = network;
    const validationPart: DataPart | null = useTest ? 'test' : settings.validationSplit > 0 ? 'validation' : null;
    this.run = new TrainingRun(this.host, network, trainer, validationPart, settings.epochs);
    return this.run;
  }

  private step(settings: TrainingSettings | undefined): void {
    const run = this.isTraining() ? this.run : settings ? this.startRun(settings, 'fresh') : null;
    if (run === null)
      throw new NotReadyError('take a step', 'Press Train, or send the training settings with the step.');
    run.stepOnce();
  }

  private evaluatePart(part: DataPart): void {
    const { dataset, indices } = this.part(part);
    this.post({ type: 'evaluation', part, evaluation: evaluate(this.requireNetwork(), dataset, { indices }) });
  }

  private findSamples(part: DataPart, actual: number, predicted: number, limit: number): void {
    const network = this.requireNetwork();
    const { dataset, indices } = this.part(part);
    const candidates = Array.from(indices).filter((index) => dataset.labels[index] === actual);
    const { channels, height, width } = dataset.shape;
    const x = tensor([candidates.length, channels, height, width]);
    fillBatch(dataset, candidates, 0, candidates.length, x.data, new Int32Array(candidates.length));
    const probabilities = predict(network, x);
    const classes = network.classes;
    const matches = candidates.flatMap((index, row) =>
      predictedClass(probabilities.data, row, classes) === predicted ? [{ index, row }] : [],
    );
    const range = this.requireData().valueRange;
    this.post({
      type: 'samples',
      part,
      actual,
      predicted,
      total: matches.length,
      samples: matches.slice(0, limit).map(({ index, row }) => ({
        part,
        index,
        label: actual,
        predicted,
        probabilities: Array.from(probabilities.data.subarray(row * classes, (row + 1) * classes)),
        image: samplePixels(dataset, index, range),
      })),
    });
  }

  private export(format: ExportFormat): void {
    const network = this.requireNetwork();
    const parameters = network.getParameters();
    const exporters: Record<ExportFormat, (() => { fileName: string; bytes: Uint8Array }) | null> = {
      safetensors: () => ({ fileName: 'weights.safetensors', bytes: writeSafetensors(parameters) }),
      json: () => ({
        fileName: 'weights.json',
        bytes: new TextEncoder().encode(writeWeightsJson(network.spec, parameters)),
      }),
      onnx: null,
      pytorch: null,
    };
    const exporter = exporters[format];
    if (exporter === null) throw new NotReadyError(`export ${format}`, 'This export format is not available yet.');
    const { fileName, bytes } = exporter();
    const data = toArrayBuffer(bytes);
    this.post({ type: 'exported', format, fileName, data }, [data]);
  }

  private importWeights(fileName: string, bytes: Uint8Array): void {
    this.refuseWhileTraining('load weights');
    const spec = this.requireSpec();
    const { tensors } = readSafetensors(bytes, fileName);
    const network = new Network(spec, new Rng(0));
    const expected = new Map(network.params.map((param) => [param.name, { shape: [...param.shape] }]));
    const problems = checkWeightsAgainst(expected, tensors);
    if (problems.length > 0) {
      throw new WeightsFileError(fileName, null, problems.join('; '), 'choose the weights exported for this network');
    }
    network.setParameters(tensors);
    this.network = network;
    this.post({ type: 'weights-imported', fileName, tensors: tensors.size });
  }

  private part(part: DataPart): { dataset: Dataset; indices: ArrayLike<number> } {
    const { loaded } = this.requireData();
    const trainer = this.run?.trainer;
    if (part === 'test') {
      if (!loaded.splits.test) throw new NotReadyError('use the test set', 'This dataset has no separate test set.');
      return { dataset: loaded.splits.test, indices: allIndices(loaded.splits.test.count) };
    }
    if (part === 'validation') {
      if (this.run?.validationPart === 'test' && loaded.splits.test) return this.part('test');
      if (!trainer?.validationIndices) {
        throw new NotReadyError('use the validation set', 'Train with a validation split above 0 first.');
      }
      return { dataset: loaded.splits.train, indices: trainer.validationIndices };
    }
    return { dataset: loaded.splits.train, indices: trainer?.trainIndices ?? allIndices(loaded.splits.train.count) };
  }

  private isTraining(): boolean {
    return this.run?.state === 'running' || this.run?.state === 'paused';
  }

  private refuseWhileTraining(action: string): void {
    if (this.isTraining()) throw new NotReadyError(action, 'Stop the current training run first.');
  }

  private requireRun(action: string): TrainingRun {
    if (!this.run || !this.isTraining()) throw new NotReadyError(action, 'Start training first.');
    return this.run;
  }

  private requireSpec(): NetworkSpec {
    if (!this.spec) throw new NotReadyError('continue', 'Set a valid network first.');
    return this.spec;
  }

  private requireData(): LoadedData {
    if (!this.data) throw new NotReadyError('continue', 'Load a dataset first.');
    return this.data;
  }

  private requireNetwork(): Network {
    if (!this.network) throw new NotReadyError('continue', 'Train the network or load weights first.');
    return this.network;
  }

  private post(event: EngineEvent, transfer?: ArrayBuffer[]): void {
    this.host.post(event, transfer);
  }
}
