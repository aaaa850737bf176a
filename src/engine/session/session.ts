/**
 * The engine session: one module that serves all three hosts (Electron utility process, Web Worker, CLI).
 * It holds the network spec being edited, the loaded dataset and a registry of runs, each pinned to what it
 * trained; at most one run trains at a time. Every command carries a request id, and every reply and error
 * it causes answers with that id. Commands that depend on earlier ones are handled one after another in
 * arrival order; what steers the training run acts at once (command-order.ts says which and why). Hosts differ
 * only in how messages travel and where files come from.
 */
import { fillBatch } from '../data/dataset';
import { DataError } from '../data/errors';
import { resolveSource } from '../data/source/resolve';
import { type DatasetSummary, type NamedPart, samplePixels, summarizeDataset } from '../data/summary';
import { listGpuAdapters } from '../gpu/gpu-adapters';
import { type DeviceChoice, SessionGpu } from '../gpu/gpu-session';
import { readNormalizationMetadata } from '../io/normalization-metadata';
import type { ProjectDocument } from '../io/project/project-document';
import { readProject } from '../io/project/read-project';
import { writeProject } from '../io/project/write-project';
import { checkWeightsAgainst, WeightsFileError } from '../io/safetensors';
import { readWeightsFile } from '../io/weights-file';
import { Network } from '../network';
import { predictCommand, predictionBuffers } from '../predict/predict-command';
import {
  type EngineCommand,
  type EngineEvent,
  parseCommand,
  type TrainingSettings,
  type WeightsChoice,
} from '../protocol';
import { Rng } from '../rng';
import { analyzeSpec, checkSpecMatchesData } from '../spec/analyze';
import { parseNetworkSpec } from '../spec/schema';
import type { NetworkSpec } from '../spec/types';
import { tensor } from '../tensor';
import { predict } from '../trainer/evaluate';
import { predictedClass } from '../trainer/metrics';
import { copyNetworkState } from '../trainer/network-state';
import { DEFAULT_TRAINING_SETTINGS } from '../training-settings';
import { ENGINE_VERSION } from '../version';
import { budgetedFileSource } from './budgeted-files';
import { actsAtOnce } from './command-order';
import { CommandQueue } from './command-queue';
import { fingerprintData } from './data-fingerprint';
import { errorEvent } from './error-event';
import { exportNetwork } from './export-network';
import type { SessionHost } from './host';
import { SessionInspector } from './inspect-watch';
import { applyThreadSetting } from './kernel-threads';
import { LostRunError } from './lost-run-error';
import { DEFAULT_MEMORY_LIMIT_BYTES } from './memory-limit';
import { NotReadyError } from './not-ready-error';
import { projectToSave, recordsFromProject } from './project-session';
import { partOfRun } from './run-parts';
import { type ChosenWeights, RunRecord } from './run-record';
import {
  buildTrainer,
  continuedTrainer,
  type PlacedTrainer,
  type PlaceTrainer,
  type RunData,
  validationPartFor,
} from './start-run';
import { TrainingRun, toArrayBuffer } from './training-run';
import { uploadedFileSource } from './uploaded-files';

type LoadedData = RunData & {
  /** The names the data came with, restored by set-class-names null. */
  ownClassNames: string[];
  /** Smallest and largest stored value, for drawing float32 samples. */
  valueRange: { min: number; max: number };
};

type CommandOf<T extends EngineCommand['type']> = Extract<EngineCommand, { type: T }>;

export class EngineSession {
  private spec: NetworkSpec | null = null;
  private data: LoadedData | null = null;
  private readonly runs = new Map<number, RunRecord>();
  /** Runs a restart lost (restore-runs could not bring them back), by id: their names, for a clear refusal. */
  private readonly lostRuns = new Map<number, string>();
  private nextRunId = 1;
  /** The run training now (running or paused), if any. */
  private active: TrainingRun | null = null;
  private readonly inspector: SessionInspector;
  /** The WebGPU device runs train on when they choose the GPU, opened on first use. */
  private readonly gpu: SessionGpu;
  /** Commands that depend on what earlier ones produced, handled one after another (command-order.ts). */
  private readonly queue = new CommandQueue();

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
        requestId: parsed.requestId,
        runId: null,
        code: 'bad-message',
        message: parsed.message,
        hint: 'This is a bug in the sender; the engine ignored the message and keeps running.',
      });
      return;
    }
    const { command } = parsed;
    const runId = 'runId' in command && command.runId !== undefined ? command.runId : null;
    const fail = (error: unknown) => this.host.post(errorEvent(error, command.type, command.requestId, runId));
    // Which commands wait their turn and which act at once, and why: command-order.ts.
    if (actsAtOnce(command, this.activeRun?.record.id ?? null)) {
      Promise.resolve()
        .then(() => this.dispatch(command))
        .catch(fail);
    } else {
      this.queue.add(() => this.dispatch(command), fail);
    }
  }

  /** The run training now, for hosts and tests that watch it. */
  get activeRun(): TrainingRun | null {
    return this.active?.record.training ? this.active : null;
  }

  private async dispatch(command: EngineCommand): Promise<void> {
    const { requestId } = command;
    switch (command.type) {
      case 'ping':
        return this.post({ type: 'pong', requestId, engineVersion: ENGINE_VERSION });
      case 'set-network':
        return this.setNetwork(command.spec, requestId);
      case 'load-dataset':
        return this.loadDataset(command, requestId);
      case 'train':
        return await this.train(command);
      case 'gpu-adapters':
        return this.post({ type: 'gpu-adapters', requestId, report: await listGpuAdapters(this.host.gpu) });
      case 'pause':
      case 'resume':
      case 'stop':
        this.activeRun?.[command.type]();
        return this.post({ type: 'ack', requestId, command: command.type });
      case 'step':
        return await this.step(command);
      case 'set-threads':
        return this.post({ type: 'threads', requestId, threads: await applyThreadSetting(this.host, command.threads) });
      case 'set-learning-rate':
        this.requireActive('change the learning rate').trainer.setBaseLearningRate(command.learningRate);
        return this.post({ type: 'ack', requestId, command: command.type });
      case 'evaluate':
        return await this.evaluateRun(command);
      case 'find-samples':
        return this.findSamples(command);
      case 'set-class-names':
        return this.setClassNames(command.names, requestId);
      case 'export':
        return this.export(command);
      case 'import-weights':
        return this.importWeights(command.fileName, new Uint8Array(command.data), requestId);
      case 'rename-run': {
        const record = this.record(command.runId);
        record.name = command.name;
        return this.post({ type: 'run', requestId, run: record.summary() });
      }
      case 'delete-run':
        return this.deleteRun(command.runId, requestId);
      case 'save-project':
        return this.saveProject(command.document, requestId);
      case 'open-project':
        return this.openProject(command.fileName, new Uint8Array(command.data), requestId);
      case 'restore-runs':
        return this.restoreRuns(command);
      case 'new-project':
        this.refuseWhileTraining('start a new project');
        this.runs.clear();
        this.lostRuns.clear();
        this.nextRunId = 1;
        return this.post({ type: 'project-cleared', requestId });
      case 'predict': {
        const record = this.record(command.runId);
        const chosen = record.weights(command.which ?? 'best');
        const answer = predictCommand(chosen.network, record.normalization, command);
        return this.post({ ...answer, requestId, runId: record.id, which: chosen.which }, predictionBuffers(answer));
      }
      case 'inspect':
        return this.inspect(command);
    }
  }

  private setNetwork(value: unknown, requestId: number): void {
    const parsed = parseNetworkSpec(value);
    if (!parsed.ok) {
      this.spec = null;
      const report = analyzeSpec({ input: { channels: 1, height: 1, width: 1 }, layers: [], loss: 'mse' });
      this.post({ type: 'network', requestId, report, errors: parsed.errors });
      return;
    }
    const report = analyzeSpec(parsed.spec);
    this.spec = parsed.spec;
    const errors = report.issues.filter((issue) => issue.severity === 'error');
    this.post({ type: 'network', requestId, report, errors });
  }

  private async loadDataset(command: CommandOf<'load-dataset'>, requestId: number): Promise<void> {
    this.refuseWhileTraining('load another dataset');
    const { source, files: upload } = command;
    const files = budgetedFileSource(upload ? uploadedFileSource(upload) : this.host.files, this.memoryLimit);
    this.post({ type: 'dataset-loading', requestId, source });
    const loaded = await resolveSource(source, files, { resourcesDir: this.host.resourcesDir });
    const parts: NamedPart[] = [{ name: 'train', dataset: loaded.splits.train }];
    if (loaded.splits.test) parts.push({ name: 'test', dataset: loaded.splits.test });
    const summary = summarizeDataset(parts);
    this.data = {
      source,
      loaded,
      fingerprint: fingerprintData(loaded.splits),
      ownClassNames: loaded.splits.train.classNames,
      valueRange: summary.valueRange,
    };
    this.postDataset(summary, requestId);
  }

  private postDataset(summary: DatasetSummary, requestId: number): void {
    const { source, loaded } = this.requireData();
    const train = loaded.splits.train;
    this.post({
      type: 'dataset',
      requestId,
      source,
      format: loaded.format,
      summary,
      warnings: loaded.warnings,
      mismatches: this.spec ? checkSpecMatchesData(this.spec, train.shape, train.classNames.length) : [],
    });
  }

  /** The user's names for the classes (or the data's own again), for the summary, charts and exports. */
  private setClassNames(names: string[] | null, requestId: number): void {
    const data = this.requireData();
    const classNames = names ?? data.ownClassNames;
    const classes = data.ownClassNames.length;
    if (classNames.length !== classes) {
      throw new DataError({
        file: 'class names',
        problem: `${classNames.length} names for ${classes} classes`,
        expected: `the loaded data has labels 0 to ${classes - 1}`,
      });
    }
    const { train, test } = data.loaded.splits;
    // The datasets are replaced, not changed: a running trainer keeps reading the same pixels and labels.
    const splits = { train: { ...train, classNames }, ...(test ? { test: { ...test, classNames } } : {}) };
    data.loaded = { ...data.loaded, splits };
    const parts: NamedPart[] = [{ name: 'train', dataset: splits.train }];
    if (splits.test) parts.push({ name: 'test', dataset: splits.test });
    this.postDataset(summarizeDataset(parts), requestId);
  }

  private async train(command: CommandOf<'train'>): Promise<void> {
    const device = command.device ?? command.settings?.device ?? 'auto';
    const run =
      command.runId !== undefined && command.continue !== undefined
        ? await this.continueRun(command.runId, command.continue.epochs, command.requestId, device)
        : await this.startRun(
            command.settings ?? DEFAULT_TRAINING_SETTINGS,
            command.initialWeights,
            command.requestId,
            device,
          );
    run.resume();
  }

  /** Puts a run's trainer on the device asked for (Auto: see SessionGpu). */
  private placer(device: DeviceChoice, spec: NetworkSpec): PlaceTrainer {
    return (network, data, config) => this.gpu.trainer(device, network, data, config, analyzeSpec(spec));
  }

  private async startRun(
    settings: TrainingSettings,
    initialWeights: { runId: number; which: WeightsChoice } | undefined,
    requestId: number,
    device: DeviceChoice,
  ): Promise<TrainingRun> {
    this.refuseWhileTraining('start another run');
    const spec = this.requireSpec();
    const data = this.requireData();
    const from = initialWeights ? this.record(initialWeights.runId).weights(initialWeights.which) : null;
    const initial = from && copyNetworkState(from.network);
    const placed = await buildTrainer(spec, settings, data, this.memoryLimit, initial, this.placer(device, spec));
    this.refuseWhileSettingUp(placed);
    const id = this.nextRunId++;
    const record = new RunRecord({
      id,
      name: `Run ${id}`,
      spec,
      settings,
      data: { source: data.source, fingerprint: data.fingerprint },
      validationPart: validationPartFor(settings, data.loaded),
      origin:
        initialWeights && from ? { kind: 'run', runId: initialWeights.runId, which: from.which } : { kind: 'fresh' },
      createdAt: new Date().toISOString(),
    });
    this.runs.set(id, record);
    return this.attach(record, placed, requestId);
  }

  private async continueRun(
    runId: number,
    epochs: number,
    requestId: number,
    device: DeviceChoice,
  ): Promise<TrainingRun> {
    this.refuseWhileTraining('continue a run');
    const record = this.record(runId);
    const data = this.requireData();
    const placed = await continuedTrainer(record, epochs, data, this.memoryLimit, this.placer(device, record.spec));
    this.refuseWhileSettingUp(placed);
    record.plannedEpochs = record.completedEpochs + epochs;
    return this.attach(record, placed, requestId);
  }

  /** Another command may have started a run while the GPU was being set up: that one goes on, this one not. */
  private refuseWhileSettingUp(placed: PlacedTrainer): void {
    try {
      this.refuseWhileTraining('start another run');
    } catch (error) {
      placed.trainer.dispose?.();
      throw error;
    }
  }

  private attach(record: RunRecord, { trainer, compute }: PlacedTrainer, requestId: number): TrainingRun {
    const { loaded } = this.requireData();
    this.active = new TrainingRun(this.host, record, trainer, loaded.splits.test);
    this.inspector.follow(record.id, trainer, [
      loaded.splits.train,
      ...(loaded.splits.test ? [loaded.splits.test] : []),
    ]);
    this.post({ type: 'run', requestId, run: record.summary() });
    this.post({ type: 'compute', runId: record.id, compute });
    return this.active;
  }

  private async step(command: CommandOf<'step'>): Promise<void> {
    const run =
      this.activeRun ??
      (command.settings
        ? await this.startRun(command.settings, undefined, command.requestId, command.settings.device ?? 'auto')
        : null);
    if (run === null)
      throw new NotReadyError('take a step', 'Press Train, or send the training settings with the step.');
    await run.stepOnce();
    this.post({ type: 'ack', requestId: command.requestId, command: 'step' });
  }

  private async evaluateRun(command: CommandOf<'evaluate'>): Promise<void> {
    const record = this.record(command.runId);
    const { dataset, indices } = partOfRun(record, command.part, this.requireData());
    const chosen = record.weights(command.which ?? 'best');
    const { evaluation, compute } = await this.gpu.evaluate(
      command.device ?? 'auto',
      chosen.network,
      dataset,
      indices,
      record.normalization,
      analyzeSpec(record.spec),
    );
    if (command.part === 'test') {
      record.setTest(evaluation, chosen);
      this.post({ type: 'run', requestId: null, run: record.summary() });
    }
    const { requestId } = command;
    const { which, epoch } = chosen;
    const { part } = command;
    this.post({ type: 'evaluation', requestId, runId: record.id, which, epoch, part, evaluation, compute });
  }

  private findSamples(command: CommandOf<'find-samples'>): void {
    const { runId, part, actual, predicted, limit, requestId } = command;
    const offset = command.offset ?? 0;
    const record = this.record(runId);
    const data = this.requireData();
    const { dataset, indices } = partOfRun(record, part, data);
    // The latest weights: the confusion matrix whose cell is asked about is the last epoch's.
    const { network } = record.weights('latest');
    const candidates = Array.from(indices).filter((index) => dataset.labels[index] === actual);
    const { channels, height, width } = dataset.shape;
    const x = tensor([candidates.length, channels, height, width]);
    fillBatch(
      dataset,
      candidates,
      0,
      candidates.length,
      x.data,
      new Int32Array(candidates.length),
      record.normalization,
    );
    const probabilities = predict(network, x);
    const classes = network.classes;
    const matches = candidates.flatMap((index, row) =>
      predictedClass(probabilities.data, row, classes) === predicted ? [{ index, row }] : [],
    );
    this.post({
      type: 'samples',
      requestId,
      runId,
      part,
      actual,
      predicted,
      total: matches.length,
      offset,
      samples: matches.slice(offset, offset + limit).map(({ index, row }) => ({
        part,
        index,
        label: actual,
        predicted,
        probabilities: Array.from(probabilities.data.subarray(row * classes, (row + 1) * classes)),
        image: samplePixels(dataset, index, data.valueRange),
      })),
    });
  }

  /**
   * Posts the exported file, naming the weights used. The PyTorch export is model.py plus the
   * weights.safetensors it loads by default, sent as a companion file so that hosts write both side by side.
   */
  private export(command: CommandOf<'export'>): void {
    const record = this.record(command.runId);
    const chosen = record.weights(command.which);
    // Imported weights name no data of their own: the data loaded now, if any, goes into model.py.
    const data = record.data ?? (this.data && { source: this.data.source, fingerprint: this.data.fingerprint });
    const exported = exportNetwork(command.format, {
      network: chosen.network,
      normalization: record.normalization,
      softmaxOutput: command.softmaxOutput ?? false,
      training: record.settings,
      numClasses: data?.fingerprint?.classes,
      dataSource: data?.source,
      classNames: this.data?.loaded.splits.train.classNames,
    });
    const event = {
      ...exported,
      requestId: command.requestId,
      runId: record.id,
      which: chosen.which,
      epoch: chosen.epoch,
    };
    this.post(event, [event.data, ...(event.companions ?? []).map((file) => file.data)]);
  }

  private inspect(command: CommandOf<'inspect'>): void {
    const record = this.record(command.runId);
    const chosen: ChosenWeights = record.weights(command.which ?? (record.training ? 'latest' : 'best'));
    const weights = {
      runId: record.id,
      network: chosen.network,
      live: chosen.live,
      normalization: record.normalization ?? record.trainer?.normalization,
      step: chosen.step,
      which: chosen.which,
    };
    const { part, index } = command;
    // an image or a tensor of the caller's needs no data loaded
    if (part === undefined || index === undefined) {
      this.inspector.requestInput(command, weights);
      return;
    }
    const { dataset } = partOfRun(record, part, this.requireData());
    this.inspector.request({ ...command, part, index }, { ...weights, dataset, source: this.requireData().source });
  }

  private deleteRun(runId: number, requestId: number): void {
    if (!this.lostRuns.delete(runId)) {
      const record = this.record(runId);
      if (record.training) throw new NotReadyError(`delete ${record.name}`, 'Stop it first.');
      this.runs.delete(runId);
    }
    this.post({ type: 'run-deleted', requestId, runId });
  }

  private saveProject(document: ProjectDocument, requestId: number): void {
    const project = projectToSave(document, [...this.runs.values()]);
    const data = toArrayBuffer(writeProject(project));
    this.post({ type: 'project-saved', requestId, data, runs: project.runs.length }, [data]);
  }

  private openProject(fileName: string, bytes: Uint8Array, requestId: number): void {
    this.refuseWhileTraining('open a project');
    const project = readProject(bytes, fileName);
    const records = recordsFromProject(project);
    this.setNetwork(project.document.network, requestId);
    this.runs.clear();
    this.lostRuns.clear();
    for (const record of records) this.runs.set(record.id, record);
    this.nextRunId = Math.max(0, ...records.map((record) => record.id)) + 1;
    const runs = records.map((record) => record.details());
    this.post({ type: 'project-opened', requestId, fileName, document: project.document, runs });
  }

  /**
   * Brings back, after an engine restart, the runs the UI still lists from the last bundle saved before it. A run
   * is restored only when the bundle holds it under the same id and creation time (so an older project's run 1
   * is never taken for this session's); the others are lost and remembered as such.
   */
  private restoreRuns(command: CommandOf<'restore-runs'>): void {
    const { fileName, data, requestId } = command;
    const saved = data === null ? [] : recordsFromProject(readProject(new Uint8Array(data), fileName));
    const restored: RunRecord[] = [];
    const lost: { runId: number; name: string }[] = [];
    for (const { runId, name, createdAt } of command.runs) {
      if (this.runs.has(runId)) continue;
      const record = saved.find((candidate) => candidate.id === runId && candidate.createdAt === createdAt);
      if (record) {
        record.name = name;
        this.runs.set(runId, record);
        restored.push(record);
      } else {
        this.lostRuns.set(runId, name);
        lost.push({ runId, name });
      }
    }
    this.nextRunId = Math.max(this.nextRunId, ...command.runs.map((run) => run.runId + 1));
    this.post({ type: 'runs-restored', requestId, runs: restored.map((record) => record.details()), lost });
  }

  private importWeights(fileName: string, bytes: Uint8Array, requestId: number): void {
    const spec = this.requireSpec();
    const { tensors, metadata } = readWeightsFile(bytes, fileName);
    const normalization = readNormalizationMetadata(metadata, fileName, spec.input.channels);
    const network = new Network(spec, new Rng(0));
    const expected = new Map(
      [...network.params, ...network.buffers].map((tensor) => [tensor.name, { shape: [...tensor.shape] }]),
    );
    const problems = checkWeightsAgainst(expected, tensors);
    if (problems.length > 0) {
      throw new WeightsFileError(fileName, null, problems.join('; '), 'choose the weights exported for this network');
    }
    network.setParameters(tensors);
    const id = this.nextRunId++;
    const data = this.data;
    const record = new RunRecord({
      id,
      name: `Imported from ${fileName.split(/[\\/]/).pop()}`,
      spec,
      settings: DEFAULT_TRAINING_SETTINGS,
      data: data && { source: data.source, fingerprint: data.fingerprint },
      validationPart: null,
      origin: { kind: 'imported', fileName },
      createdAt: new Date().toISOString(),
    });
    record.state = 'done';
    record.plannedEpochs = 0;
    record.latest = copyNetworkState(network);
    record.normalization = normalization;
    this.runs.set(id, record);
    this.post({ type: 'weights-imported', requestId, fileName, tensors: tensors.size, run: record.summary() });
  }

  private record(runId: number): RunRecord {
    const record = this.runs.get(runId);
    const lost = this.lostRuns.get(runId);
    if (!record && lost !== undefined) throw new LostRunError(lost);
    if (!record) {
      const known = [...this.runs.keys()];
      const hint = known.length > 0 ? `The session has runs ${known.join(', ')}.` : 'Train a run first.';
      throw new NotReadyError(`use run ${runId}`, `There is no run ${runId}. ${hint}`);
    }
    return record;
  }

  private get memoryLimit(): number {
    return this.host.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  }

  private refuseWhileTraining(action: string): void {
    if (this.activeRun) throw new NotReadyError(action, 'Stop the current training run first.');
  }

  private requireActive(action: string): TrainingRun {
    const run = this.activeRun;
    if (!run) throw new NotReadyError(action, 'Start training first.');
    return run;
  }

  private requireSpec(): NetworkSpec {
    if (!this.spec) throw new NotReadyError('continue', 'Set a valid network first.');
    return this.spec;
  }

  private requireData(): LoadedData {
    if (!this.data) throw new NotReadyError('continue', 'Load a dataset first.');
    return this.data;
  }

  private post(event: EngineEvent, transfer?: ArrayBuffer[]): void {
    this.host.post(event, transfer);
  }
}
