/**
 * An Inspection as it travels in an `inspection` event: every typed array becomes its ArrayBuffer, listed for
 * transfer, so a Web Worker hands the tensors over without copying them. The inspector made every array as its
 * own copy, so each buffer holds exactly one array and transferring it detaches nothing else.
 */
import type { BatchNormInspection, Inspection, LayerInspection } from './inspection';

type Wire<T> = T extends Float32Array | Int32Array | Uint8Array
  ? ArrayBuffer
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type InspectionPayload = Wire<Inspection>;
type LayerPayload = Wire<LayerInspection>;

export function encodeInspection(inspection: Inspection): { payload: InspectionPayload; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const payload = replaceArrays(inspection, transfer) as InspectionPayload;
  return { payload, transfer: [...transfer] };
}

/**
 * Inside a residual block one tensor can appear twice (a layer's output is the next layer's input), so a buffer
 * is listed for transfer once: a transfer list naming a buffer twice is refused.
 */
function replaceArrays(value: unknown, transfer: Set<ArrayBuffer>): unknown {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer as ArrayBuffer;
    transfer.add(buffer);
    return buffer;
  }
  if (Array.isArray(value)) return value.map((item) => replaceArrays(item, transfer));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceArrays(item, transfer)]));
  }
  return value;
}

export function decodeInspection(payload: InspectionPayload): Inspection {
  const tensorOf = (value: { shape: number[]; data: ArrayBuffer }) => ({
    shape: value.shape,
    data: new Float32Array(value.data),
  });
  const optionalTensor = (value: { shape: number[]; data: ArrayBuffer } | undefined) =>
    value === undefined ? undefined : tensorOf(value);
  const layer = (wire: LayerPayload): LayerInspection => ({
    ...wire,
    output: tensorOf(wire.output),
    delta: tensorOf(wire.delta),
    weight: optionalTensor(wire.weight),
    weightGrad: optionalTensor(wire.weightGrad),
    bias: optionalTensor(wire.bias),
    biasGrad: optionalTensor(wire.biasGrad),
    poolWinners: wire.poolWinners === undefined ? undefined : new Int32Array(wire.poolWinners),
    deadUnits: wire.deadUnits === undefined ? undefined : new Uint8Array(wire.deadUnits),
    input: optionalTensor(wire.input),
    inputDelta: optionalTensor(wire.inputDelta),
    batchNorm: wire.batchNorm === undefined ? undefined : batchNorm(wire.batchNorm),
    residual:
      wire.residual === undefined
        ? undefined
        : {
            bodyOutput: tensorOf(wire.residual.bodyOutput),
            shortcutOutput: tensorOf(wire.residual.shortcutOutput),
            bodyInputGrad: tensorOf(wire.residual.bodyInputGrad),
            shortcutInputGrad: tensorOf(wire.residual.shortcutInputGrad),
            body: wire.residual.body.map(layer),
            shortcut: wire.residual.shortcut.map(layer),
          },
  });
  const batchNorm = (wire: Wire<BatchNormInspection>): BatchNormInspection => ({
    sampleMean: new Float32Array(wire.sampleMean),
    sampleVar: new Float32Array(wire.sampleVar),
    runningMean: new Float32Array(wire.runningMean),
    runningVar: new Float32Array(wire.runningVar),
    weight: new Float32Array(wire.weight),
    bias: new Float32Array(wire.bias),
    eps: wire.eps,
  });
  return {
    ...payload,
    input: tensorOf(payload.input),
    inputDelta: tensorOf(payload.inputDelta),
    scores: new Float32Array(payload.scores),
    layers: payload.layers.map(layer),
  };
}
