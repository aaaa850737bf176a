/**
 * The engine session: one module that serves all three hosts (Electron utility process, Web Worker, CLI).
 * It holds the network spec, the loaded dataset, the trained network and at most one training run, and
 * answers every command with events. Hosts differ only in how messages travel and where files come from.
 */
import { type Dataset, fillBatch, type Normalization } from '../data/dataset';
import { type LoadedSource, resolveSource } from '../data/source/resolve';
import { type NamedPart, samplePixels, summarizeDataset } from '../data/summary';
import { type DeviceChoice, SessionGpu } from '../gpu/gpu-session';
import { readNormalizationMetadata } from '../io/normalization-metadata';
import type { ProjectDocument } from '../io/project/project';
import { readProject } from '../io/project/read-project';
import { writeProject } from '../io/project/write-project';
import { checkWeightsAgainst, readSafetensors, WeightsFileError } from '../io/safetensors';
import { Network } from '../network';
import { type DataPart, type EngineCommand, type EngineEvent, type ExportFormat, parseCommand } from '../protocol';
import { Rng } from '../rng';
import { analyzeSpec, checkSpecMatchesData } from '../spec/analyze';
import { parseNetworkSpec } from '../spec/schema';
import type { NetworkSpec } from '../spec/types';
import { tensor } from '../tensor';
import { allIndices } from '../trainer/batches';
import { predict } from '../trainer/evaluate';
import { predictedClass } from '../trainer/metrics';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../training-settings';
import { ENGINE_VERSION } from '../version';
import { budgetedFileSource } from './budgeted-files';
import { errorEvent } from './error-event';
import { exportNetwork } from './export-network';
import type { SessionHost } from './host';
import { SessionInspector } from './inspect-watch';
import { applyThreadSetting } from './kernel-threads';
import { checkTrainingFits, DEFAULT_MEMORY_LIMIT_BYTES, trainingMemory } from './memory-limit';
import { NotReadyError } from './not-ready-error';
import { predictImages } from './predict-images';
import { checkResumeSettings, projectToSave, resumePoint, type TrainedState } from './project-session';
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
  /** The input normalization `network` was trained with (from its run or its weights file's metadata). */
  private normalization: Normalization | undefined;
  private run: TrainingRun | null = null;
  /** The settings of the latest run, which the PyTorch export's training script reuses. */
  private lastSettings: TrainingSettings | null = null;
  private readonly inspector: SessionInspector;
  /** The WebGPU device runs train on when they choose the GPU, opened on first use. */
  private readonly gpu: SessionGpu;
  /** What the project opened last brought; it applies while `network` is still the one it restored. */
  private opened: TrainedState | null = null;

  constructor(private readonly host: SessionHost) {
    this.gpu = new SessionGpu(host.gpu);
    this.inspector = new SessionInspector(
      (event, transfer) => host.post(event, transfer),
      () => host.now(),
    );
  }

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
        return (await this.startRun(command.settings, command.initialWeights ?? 'fresh', command.device)).resume();
      case 'pause':
        return this.run?.pause();
      case 'resume':
        return this.run?.resume();
      case 'stop':
        return this.run?.stop();
      case 'step':
        return await this.step(command.settings);
      case 'set-threads':
        return this.post({ type: 'threads', threads: await applyThreadSetting(this.host, command.threads) });
      case 'set-learning-rate':
        return this.requireRun('change the learning rate').trainer.setBaseLearningRate(command.learningRate);
      case 'evaluate':
        return await this.evaluatePart(command.part, command.device);
      case 'find-samples':
        return this.findSamples(command.part, command.actual, command.predicted, command.limit);
      case 'export':
        return this.export(command.format, command.softmaxOutput ?? false);
      case 'import-weights':
        return this.importWeights(command.fileName, new Uint8Array(command.data));
      case 'save-project':
        return this.saveProject(command.document);
      case 'open-project':
        return this.openProject(command.fileName, new Uint8Array(command.data));
      case 'new-project':
        return this.clearProject();
      case 'predict': {
        const event = predictImages(this.requireNetwork(), this.normalization, command.shape, command.data);
        return this.post(event, [event.probabilities]);
      }
      case 'inspect':
        return this.inspector.request(command, {
          network: this.requireNetwork(),
          dataset: this.part(command.part).dataset,
          source: this.requireData().source,
          normalization: this.normalization,
          step: this.run?.network === this.network ? this.run.trainer.completedSteps : null,
        });
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
    const files = budgetedFileSource(upload ? uploadedFileSource(upload) : this.host.files, this.memoryLimit);
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

  private async startRun(
    settings: TrainingSettings,
    initialWeights: 'fresh' | 'current' | 'resume',
    device: DeviceChoice = 'auto',
  ): Promise<TrainingRun> {
    this.refuseWhileTraining('start another run');
    const spec = this.requireSpec();
    const { loaded } = this.requireData();
    const resumed = initialWeights === 'resume' ? this.trained()?.run : null;
    if (resumed === undefined) {
      throw new NotReadyError('continue training', 'Train first, or open a project saved during or after training.');
    }
    if (resumed !== null) checkResumeSettings(resumed, settings);
    const test = loaded.splits.test;
    const useTest = settings.validationSplit === 0 && test !== undefined;
    const datasetBytes = loaded.splits.train.pixels.byteLength + (test?.pixels.byteLength ?? 0);
    const memory = trainingMemory(analyzeSpec(spec), settings.batchSize, settings.optimizer, datasetBytes);
    checkTrainingFits(memory, settings.batchSize, this.memoryLimit);
    // Built from the seed as the saved run was, so that the split drawn next is the same; resuming then
    // overwrites the generator's state.
    const network = new Network(spec, new Rng(settings.seed));
    if (initialWeights !== 'fresh') network.setParameters(this.requireNetwork().getParameters());
    const { trainer, compute } = await this.gpu.trainer(
      device,
      network,
      { train: loaded.splits.train, validation: useTest ? test : undefined },
      trainConfig(settings, useTest),
      analyzeSpec(spec),
    );
    // another command may have started a run while the GPU was being set up
    this.refuseWhileTraining('start another run');
    if (resumed !== null) {
      try {
        trainer.restore(resumed.checkpoint);
      } catch (error) {
        throw new NotReadyError('continue the saved run', `${(error as Error).message}.`);
      }
    }
    this.network = network;
    this.normalization = trainer.normalization;
    this.lastSettings = settings;
    const validationPart: DataPart | null = useTest ? 'test' : settings.validationSplit > 0 ? 'validation' : null;
    this.post({ type: 'compute', compute });
    this.run = new TrainingRun(this.host, network, trainer, validationPart, settings.epochs);
    this.inspector.follow(trainer, [loaded.splits.train, ...(test ? [test] : [])]);
    return this.run;
  }

  private async step(settings: TrainingSettings | undefined): Promise<void> {
    const run = this.isTraining() ? this.run : settings ? await this.startRun(settings, 'fresh') : null;
    if (run === null)
      throw new NotReadyError('take a step', 'Press Train, or send the training settings with the step.');
    await run.stepOnce();
  }

  private async evaluatePart(part: DataPart, device: DeviceChoice = 'auto'): Promise<void> {
    const { dataset, indices } = this.part(part);
    const network = this.requireNetwork();
    const analysis = analyzeSpec(network.spec);
    const { evaluation, compute } = await this.gpu.evaluate(
      device,
      network,
      dataset,
      indices,
      this.normalization,
      analysis,
    );
    this.post({ type: 'evaluation', part, evaluation, compute });
  }

  private findSamples(part: DataPart, actual: number, predicted: number, limit: number): void {
    const network = this.requireNetwork();
    const { dataset, indices } = this.part(part);
    const candidates = Array.from(indices).filter((index) => dataset.labels[index] === actual);
    const { channels, height, width } = dataset.shape;
    const x = tensor([candidates.length, channels, height, width]);
    fillBatch(dataset, candidates, 0, candidates.length, x.data, new Int32Array(candidates.length), this.normalization);
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

  /**
   * Posts the exported file. The PyTorch export is model.py plus the weights.safetensors it loads by default,
   * sent as a companion file so that hosts write both side by side.
   */
  private export(format: ExportFormat, softmaxOutput: boolean): void {
    const event = exportNetwork(format, {
      network: this.requireNetwork(),
      normalization: this.normalization,
      softmaxOutput,
      training: this.lastSettings ?? DEFAULT_TRAINING_SETTINGS,
      numClasses: this.data?.loaded.splits.train.classNames.length,
      dataSource: this.data?.source,
    });
    this.post(event, [event.data, ...(event.companions ?? []).map((file) => file.data)]);
  }

  private saveProject(document: ProjectDocument): void {
    const project = projectToSave(document, this.trained());
    const data = toArrayBuffer(writeProject(project));
    this.post({ type: 'project-saved', data, weights: project.weights !== null, resumable: resumePoint(project.run) }, [
      data,
    ]);
  }

  private openProject(fileName: string, bytes: Uint8Array): void {
    this.refuseWhileTraining('open a project');
    const project = readProject(bytes, fileName);
    this.setNetwork(project.document.network);
    this.run = null;
    this.network = null;
    this.opened = null;
    if (this.spec !== null && project.weights !== null) {
      const network = new Network(this.spec, new Rng(0));
      network.setParameters(project.weights);
      this.network = network;
      this.normalization = project.normalization;
      this.lastSettings = project.run?.settings ?? null;
      this.opened = { network, normalization: project.normalization, history: project.history, run: project.run };
    }
    this.post({
      type: 'project-opened',
      fileName,
      document: project.document,
      history: project.history,
      weights: this.network !== null,
      resumable: resumePoint(project.run),
    });
  }

  private clearProject(): void {
    this.refuseWhileTraining('start a new project');
    this.run = null;
    this.network = null;
    this.normalization = undefined;
    this.lastSettings = null;
    this.opened = null;
    this.post({ type: 'project-cleared' });
  }

  /** The current network with where it came from: the live run, the opened project, or imported weights. */
  private trained(): TrainedState | null {
    const { network, run } = this;
    if (network === null) return null;
    if (run !== null && run.network === network && this.lastSettings !== null) {
      const resumable = run.state !== 'failed';
      return {
        network,
        normalization: this.normalization,
        history: [...run.trainer.history],
        run: resumable ? { settings: this.lastSettings, checkpoint: run.trainer.checkpoint() } : null,
      };
    }
    if (this.opened?.network === network) return this.opened;
    return { network, normalization: this.normalization, history: [], run: null };
  }

  private importWeights(fileName: string, bytes: Uint8Array): void {
    this.refuseWhileTraining('load weights');
    const spec = this.requireSpec();
    const { tensors, metadata } = readSafetensors(bytes, fileName);
    const normalization = readNormalizationMetadata(metadata, fileName, spec.input.channels);
    const network = new Network(spec, new Rng(0));
    const expected = new Map(network.params.map((param) => [param.name, { shape: [...param.shape] }]));
    const problems = checkWeightsAgainst(expected, tensors);
    if (problems.length > 0) {
      throw new WeightsFileError(fileName, null, problems.join('; '), 'choose the weights exported for this network');
    }
    network.setParameters(tensors);
    this.network = network;
    this.normalization = normalization;
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

  private get memoryLimit(): number {
    return this.host.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
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
