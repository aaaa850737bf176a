/**
 * The ONNX checker's structural rules, for the tests: the graph is in topological order with every value
 * assigned once, names are unique, initializers are named, typed and sized, the default opset is imported,
 * and graph outputs and value_info refer to values that exist. Runs on the decoded bytes, so what is checked is
 * what a reader sees.
 */
import { Root } from 'protobufjs/light';
import { ONNX_PROTO_SUBSET } from '../../src/engine/io/onnx/onnx-proto';

export const modelType = Root.fromJSON(ONNX_PROTO_SUBSET).lookupType('onnx.ModelProto');

interface Named {
  name: string;
}
interface DecodedNode extends Named {
  op_type: string;
  input: string[];
  output: string[];
}
interface DecodedTensor extends Named {
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}
export interface DecodedModel {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  graph: {
    name: string;
    node: DecodedNode[];
    initializer: DecodedTensor[];
    input: (Named & { type: { tensor_type: { shape: { dim: { dim_value?: number; dim_param?: string }[] } } } })[];
    output: Named[];
    value_info: Named[];
  };
  metadata_props: { key: string; value: string }[];
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  const message = modelType.decode(bytes);
  return modelType.toObject(message, { longs: Number, arrays: true, defaults: true }) as DecodedModel;
}

export function structureProblems(model: DecodedModel): string[] {
  const problems: string[] = [];
  const { graph } = model;
  if (!model.ir_version) problems.push('ir_version is missing');
  if (!model.opset_import.some((opset) => opset.domain === '' && opset.version > 0)) {
    problems.push('no opset is imported for the default domain ""');
  }
  if (!graph.name) problems.push('the graph has no name');
  for (const [what, items] of [
    ['initializer', graph.initializer],
    ['graph input', graph.input],
    ['node', graph.node],
    ['value_info', graph.value_info],
  ] as const) {
    for (const name of duplicates(items.map((item) => item.name)))
      problems.push(`${what} name "${name}" is used twice`);
    if (items.some((item) => !item.name)) problems.push(`a ${what} has no name`);
  }
  for (const key of duplicates(model.metadata_props.map((entry) => entry.key))) {
    problems.push(`metadata key "${key}" is used twice`);
  }
  for (const tensor of graph.initializer) {
    const size = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (tensor.dims.length === 0) problems.push(`initializer "${tensor.name}" has no dims`);
    if (tensor.data_type !== 1) problems.push(`initializer "${tensor.name}" is not float32`);
    if (tensor.raw_data.length !== 4 * size) {
      problems.push(`initializer "${tensor.name}" holds ${tensor.raw_data.length} bytes for ${size} float32 values`);
    }
  }

  const defined = new Set([...graph.input, ...graph.initializer].map((value) => value.name));
  const used = new Set<string>();
  for (const node of graph.node) {
    if (!node.op_type) problems.push(`node "${node.name}" has no op_type`);
    for (const input of node.input) {
      if (!defined.has(input)) problems.push(`node "${node.name}" reads "${input}" before anything defines it`);
      used.add(input);
    }
    for (const output of node.output) {
      if (defined.has(output)) problems.push(`node "${node.name}" assigns "${output}", which is already defined`);
      defined.add(output);
    }
  }
  for (const output of graph.output) {
    if (!defined.has(output.name)) problems.push(`graph output "${output.name}" is never computed`);
  }
  for (const value of graph.value_info) {
    if (!defined.has(value.name)) problems.push(`value_info "${value.name}" describes no value`);
  }
  for (const tensor of graph.initializer) {
    if (!used.has(tensor.name)) problems.push(`initializer "${tensor.name}" is never used`);
  }
  return problems;
}

function duplicates(names: readonly string[]): string[] {
  return names.filter((name, index) => names.indexOf(name) !== index);
}
