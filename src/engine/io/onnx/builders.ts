/** Small constructors for the ONNX messages the exporter writes, so the graph code reads as the graph. */
import {
  ATTRIBUTE_TYPE,
  type AttributeProto,
  type Dimension,
  FLOAT_TENSOR,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-proto';

/** The symbolic name of the batch axis: any number of samples per run. */
export const BATCH_DIMENSION = 'batch';

/** A float32 initializer. Written byte by byte so the file is little endian whatever the host's byte order. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return { name, dims: [...dims], data_type: FLOAT_TENSOR, raw_data: raw };
}

export function floatAttribute(name: string, value: number): AttributeProto {
  return { name, type: ATTRIBUTE_TYPE.FLOAT, f: value };
}

export function intAttribute(name: string, value: number): AttributeProto {
  return { name, type: ATTRIBUTE_TYPE.INT, i: value };
}

export function intsAttribute(name: string, values: readonly number[]): AttributeProto {
  return { name, type: ATTRIBUTE_TYPE.INTS, ints: [...values] };
}

/** A float32 value of shape [batch, ...sampleShape]. */
export function batchedFloatValue(name: string, sampleShape: readonly number[], docString?: string): ValueInfoProto {
  const dim: Dimension[] = [{ dim_param: BATCH_DIMENSION }, ...sampleShape.map((size) => ({ dim_value: size }))];
  const value: ValueInfoProto = { name, type: { tensor_type: { elem_type: FLOAT_TENSOR, shape: { dim } } } };
  if (docString !== undefined) value.doc_string = docString;
  return value;
}
