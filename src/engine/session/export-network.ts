/** The session's `export` command: the trained network in one of the export formats, as an `exported` event. */
import type { Normalization } from '../data/dataset';
import { normalizationMetadata } from '../io/normalization-metadata';
import { exportOnnx } from '../io/onnx/export-onnx';
import { exportPytorchScript } from '../io/pytorch-script';
import { writeSafetensors } from '../io/safetensors';
import { writeWeightsJson } from '../io/weights-json';
import type { Network } from '../network';
import type { EngineEvent, ExportFormat } from '../protocol';
import type { TrainingSettings } from '../training-settings';
import { NotReadyError } from './not-ready-error';
import { toArrayBuffer } from './training-run';

export interface ExportContext {
  network: Network;
  /** The input normalization the network was trained with; every format records or applies it. */
  normalization: Normalization | undefined;
  softmaxOutput: boolean;
  /** The settings the PyTorch script trains with. */
  training: TrainingSettings;
  numClasses?: number;
  dataSource?: string;
  /** The loaded data's class names, recorded by the ONNX and PyTorch exports when they fit the outputs. */
  classNames?: readonly string[];
}

/** The session adds which run, which weights and the request it answers. */
type ExportedEvent = Omit<Extract<EngineEvent, { type: 'exported' }>, 'requestId' | 'runId' | 'which' | 'epoch'>;

/**
 * model.py loads the weights it is exported with, so the PyTorch export carries weights.safetensors as a
 * companion file that hosts write beside it.
 */
export function exportNetwork(format: ExportFormat, context: ExportContext): ExportedEvent {
  const { network, normalization } = context;
  // Names that do not fit the outputs (data loaded since training) would label the wrong outputs: left out.
  const classNames = context.classNames?.length === network.classes ? context.classNames : undefined;
  const parameters = network.getParameters();
  const safetensors = () => writeSafetensors(parameters, normalizationMetadata(normalization));
  const text = (value: string) => new TextEncoder().encode(value);
  const exporters: Record<ExportFormat, () => { fileName: string; bytes: Uint8Array }> = {
    safetensors: () => ({ fileName: 'weights.safetensors', bytes: safetensors() }),
    json: () => ({ fileName: 'weights.json', bytes: text(writeWeightsJson(network.spec, parameters)) }),
    onnx: () => ({
      fileName: 'model.onnx',
      bytes: exportOnnx(network.spec, new Map(Object.entries(parameters)), {
        softmaxOutput: context.softmaxOutput,
        normalization,
        classNames,
      }),
    }),
    pytorch: () => ({
      fileName: 'model.py',
      bytes: text(
        exportPytorchScript(network.spec, {
          weightsFileName: 'weights.safetensors',
          training: context.training,
          normalization,
          numClasses: context.numClasses,
          dataSource: context.dataSource,
          classNames,
        }),
      ),
    }),
  };
  const { fileName, bytes } = exportWith(format, exporters[format]);
  const data = toArrayBuffer(bytes);
  if (format !== 'pytorch') return { type: 'exported', format, fileName, data };
  return {
    type: 'exported',
    format,
    fileName,
    data,
    companions: [{ fileName: 'weights.safetensors', data: toArrayBuffer(safetensors()) }],
  };
}

/** Runs an exporter; its RangeErrors (options that do not fit, such as the class count) are the user's to fix. */
function exportWith<T>(format: ExportFormat, exporter: () => T): T {
  try {
    return exporter();
  } catch (error) {
    if (error instanceof RangeError) throw new NotReadyError(`export ${format}`, `${error.message}.`);
    throw error;
  }
}
