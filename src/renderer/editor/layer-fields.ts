/**
 * The editable numbers of each layer type: label, unit and limits. The limits are the schema's
 * (SPEC_LIMITS), and a field a spec leaves out shows the value the engine will use (types.ts), so
 * nothing here restates an engine default.
 */
import type { LayerNumberField } from '../../engine/spec/fixes';
import { SPEC_LIMITS } from '../../engine/spec/schema';
import {
  batchNormEps,
  batchNormMomentum,
  convPadding,
  convStride,
  type InputShape,
  type LayerSpec,
  type LayerType,
  leakyReluSlope,
  poolStride,
} from '../../engine/spec/types';
import type { NumberRule } from './number-rule';

export interface FieldDefinition<Field extends string> extends NumberRule {
  field: Field;
  label: string;
  /** Shown after the value; empty when the number has no unit. */
  unit: string;
  /** One line for the tooltip: what the number means. */
  help: string;
}

const size = { min: 1, max: SPEC_LIMITS.maxSize, integer: true, step: 1 } as const;

const poolFields: FieldDefinition<LayerNumberField>[] = [
  { field: 'poolSize', label: 'pool', unit: 'px', help: 'Window height and width', ...size },
  { field: 'stride', label: 'stride', unit: 'px', help: 'Step between windows (the pool size unless set)', ...size },
];

export const LAYER_FIELDS: Record<LayerType, readonly FieldDefinition<LayerNumberField>[]> = {
  conv2d: [
    { field: 'filters', label: 'filters', unit: 'ch', help: 'Output channels: one learned filter each', ...size },
    { field: 'kernelSize', label: 'kernel', unit: 'px', help: 'Filter height and width', ...size },
    { field: 'stride', label: 'stride', unit: 'px', help: 'Step between filter positions', ...size },
    { field: 'padding', label: 'padding', unit: 'px', help: 'Zeros added on every side', ...size, min: 0 },
  ],
  maxpool2d: poolFields,
  avgpool2d: poolFields,
  relu: [],
  sigmoid: [],
  tanh: [],
  dropout: [
    {
      field: 'rate',
      label: 'rate',
      unit: '',
      help: 'Fraction of values zeroed while training',
      min: 0,
      max: 1,
      maxExclusive: true,
      integer: false,
      step: 0.05,
    },
  ],
  flatten: [],
  dense: [
    {
      field: 'units',
      label: 'units',
      unit: '',
      help: 'Outputs (the last dense layer: one per class)',
      ...size,
      max: SPEC_LIMITS.maxUnits,
    },
  ],
  batchnorm: [
    {
      field: 'momentum',
      label: 'momentum',
      unit: '',
      help: 'Weight of each batch in the running statistics (PyTorch momentum)',
      min: 0,
      max: 1,
      integer: false,
      step: 0.01,
    },
    {
      field: 'eps',
      label: 'eps',
      unit: '',
      help: 'Added to the variance before the square root',
      min: 1e-12,
      max: 1,
      integer: false,
      step: 1e-5,
    },
  ],
  leakyrelu: [
    {
      field: 'negativeSlope',
      label: 'slope',
      unit: '',
      help: 'Multiplies inputs below 0',
      min: -1e6,
      max: 1e6,
      integer: false,
      step: 0.01,
    },
  ],
  globalavgpool: [],
  residual: [],
};

export const INPUT_FIELDS: readonly FieldDefinition<keyof InputShape>[] = [
  { field: 'channels', label: 'channels', unit: 'ch', help: '1 for grey images, 3 for colour', ...size },
  { field: 'height', label: 'height', unit: 'px', help: 'Image height', ...size },
  { field: 'width', label: 'width', unit: 'px', help: 'Image width', ...size },
];

export function fieldDefinition(
  type: LayerType,
  field: LayerNumberField,
): FieldDefinition<LayerNumberField> | undefined {
  return LAYER_FIELDS[type].find((definition) => definition.field === field);
}

/** The value the engine uses for a field: the spec's own, or the default when the spec leaves it out. */
export function fieldValue(layer: LayerSpec, field: LayerNumberField): number {
  const own = (layer as Partial<Record<LayerNumberField, number>>)[field];
  if (own !== undefined) return own;
  if (layer.type === 'conv2d') return field === 'stride' ? convStride(layer) : convPadding(layer);
  if (layer.type === 'maxpool2d' || layer.type === 'avgpool2d') return poolStride(layer);
  if (layer.type === 'batchnorm') return field === 'momentum' ? batchNormMomentum(layer) : batchNormEps(layer);
  if (layer.type === 'leakyrelu') return leakyReluSlope(layer);
  throw new RangeError(`a ${layer.type} layer has no field "${field}"`);
}
