/**
 * ONNX export: the inference graph of a network with its weights, for ONNX Runtime, Netron and every tool that
 * reads ONNX (IR version 8, opset 17, float32).
 *
 *   input "input" [batch,C,H,W]   pixels scaled to [0,1] (uint8/255) by the caller, as CNN Studio trains
 *   (Sub, Div)                    per-channel normalization, only when the network was trained with one
 *   one node per layer            see layer-nodes.ts; dropout is left out
 *   (Softmax)                     only with softmaxOutput
 *   output "logits" [batch,K], or "probabilities" with softmaxOutput
 *
 * Weights are initializers named by their PyTorch keys ("0.weight"), so a tensor in Netron is found by the same
 * name in the safetensors file and in model.state_dict(). Nodes are named "{layer}.{type}" and their outputs
 * "{path}.output", with the layer's 0-based index in the spec, or its path inside a residual block ("3.body.1"). The preprocessing the graph expects is also
 * recorded in metadata_props (Netron lists them with the model's properties; onnxruntime's Python API returns
 * them from get_modelmeta()).
 */
import { formatShape } from '../../spec/issues';
import type { NetworkSpec } from '../../spec/types';
import { sizeOf } from '../../tensor';
import { ENGINE_VERSION } from '../../version';
import {
  checkNormalization,
  type ExportableNetwork,
  exportableNetwork,
  type InputNormalization,
} from '../exportable-network';
import { checkWeightsAgainst } from '../safetensors';
import { batchedFloatValue, floatTensor, intAttribute } from './builders';
import { sequenceNodes } from './layer-nodes';
import { encodeModel, type NodeProto, type TensorProto } from './onnx-proto';

export interface OnnxExportOptions {
  /** End the graph with a softmax over classes; its output is then "probabilities" instead of "logits". */
  softmaxOutput?: boolean;
  /** The normalization the network was trained with; the graph applies it to its input. */
  normalization?: InputNormalization;
  /** Recorded as the model's producer_version; the engine version when left out. */
  producerVersion?: string;
  /** The class of each output, recorded in metadata_props as `class_names` (a JSON array) when given. */
  classNames?: readonly string[];
}

export type OnnxParameters = ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>;

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_INPUT_NAME = 'input';
export const INPUT_SCALING = 'pixels scaled to [0,1] (uint8/255) before this graph';

/** The .onnx file for `spec` with `params` (every parameter by PyTorch name). Throws when either is unusable. */
export function exportOnnx(spec: NetworkSpec, params: OnnxParameters, options: OnnxExportOptions = {}): Uint8Array {
  const network = exportableNetwork(spec);
  checkParameters(network, params);
  const { normalization, softmaxOutput = false } = options;
  const sampleShape = [spec.input.channels, spec.input.height, spec.input.width];
  if (normalization) checkNormalization(normalization, spec.input.channels);

  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  /** Every value a node computes, with its per-sample shape: value_info lets Netron label each edge. */
  const computed: [name: string, shape: number[]][] = [];
  let current = ONNX_INPUT_NAME;
  if (normalization) {
    const { nodes: normalizeNodes, constants } = normalizationNodes(normalization, current);
    nodes.push(...normalizeNodes);
    initializers.push(...constants);
    for (const node of normalizeNodes) computed.push([node.output[0], sampleShape]);
    current = normalizeNodes.at(-1)!.output[0];
  }
  const layers = sequenceNodes(network.layers, current);
  // The value the last node computes is the network's output (dropout adds no node), named "logits".
  const producer = layers.nodes.find((node) => node.output[0] === layers.output)!;
  producer.output = ['logits'];
  nodes.push(...layers.nodes);
  computed.push(
    ...layers.values.map(([name, shape]): [string, number[]] => [name === layers.output ? 'logits' : name, shape]),
  );
  current = 'logits';
  if (softmaxOutput) {
    nodes.push({
      name: 'softmax',
      op_type: 'Softmax',
      input: [current],
      output: ['probabilities'],
      attribute: [intAttribute('axis', 1)],
    });
    current = 'probabilities';
  }
  // num_batches_tracked only matters to training, so it stays out of the inference graph.
  for (const [name, { shape }] of network.stateShapes) {
    if (!name.endsWith('.num_batches_tracked')) initializers.push(floatTensor(name, shape, params.get(name)!.data));
  }

  const description = descriptions(spec, network, options);
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'CNN Studio',
    producer_version: options.producerVersion ?? ENGINE_VERSION,
    doc_string: description.model,
    graph: {
      name: 'cnn_studio_network',
      doc_string: description.model,
      node: nodes,
      initializer: initializers,
      input: [batchedFloatValue(ONNX_INPUT_NAME, sampleShape, description.input)],
      output: [batchedFloatValue(current, network.outputShape, description.output)],
      value_info: computed.filter(([name]) => name !== current).map(([name, shape]) => batchedFloatValue(name, shape)),
    },
    metadata_props: metadata(spec, options, description.output),
  });
}

function checkParameters(network: ExportableNetwork, params: OnnxParameters): void {
  const problems = checkWeightsAgainst(network.stateShapes, params);
  for (const [name, { shape, data }] of params) {
    if (sizeOf(shape) !== data.length) {
      problems.push(
        `${name}: shape ${formatShape(shape)} holds ${sizeOf(shape)} values but the data has ${data.length}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`the weights do not fit the network, so no ONNX file was written: ${problems.join('; ')}`);
  }
}

/** x ← (x − mean[c]) / std[c], with the constants shaped [C,1,1] so they broadcast over [N,C,H,W]. */
function normalizationNodes(
  normalization: InputNormalization,
  input: string,
): { nodes: NodeProto[]; constants: TensorProto[] } {
  const channels = normalization.mean.length;
  const constants = [
    floatTensor('normalization.mean', [channels, 1, 1], Float32Array.from(normalization.mean)),
    floatTensor('normalization.std', [channels, 1, 1], Float32Array.from(normalization.std)),
  ];
  const nodes: NodeProto[] = [
    {
      name: 'normalization.subtract_mean',
      op_type: 'Sub',
      input: [input, 'normalization.mean'],
      output: ['input.centered'],
      attribute: [],
    },
    {
      name: 'normalization.divide_by_std',
      op_type: 'Div',
      input: ['input.centered', 'normalization.std'],
      output: ['input.normalized'],
      attribute: [],
    },
  ];
  return { nodes, constants };
}

function descriptions(
  spec: NetworkSpec,
  network: ExportableNetwork,
  options: OnnxExportOptions,
): { model: string; input: string; output: string } {
  const classes = network.outputShape[0];
  const input = `images NCHW float32, ${INPUT_SCALING}${options.normalization ? '; normalized per channel inside the graph' : ''}`;
  const output = options.softmaxOutput
    ? `class probabilities [batch,${classes}] (softmax of the logits)`
    : `raw class scores (logits) [batch,${classes}]; apply softmax for probabilities`;
  const model =
    `A ${spec.layers.length}-layer network exported from CNN Studio (loss: ${spec.loss}). ` +
    `Input: ${input}. Output: ${output}. Dropout layers are the identity at inference and are left out. ` +
    'Initializers are named like the PyTorch state_dict keys ("0.weight").';
  return { model, input, output };
}

function metadata(spec: NetworkSpec, options: OnnxExportOptions, output: string): { key: string; value: string }[] {
  const { normalization } = options;
  return [
    { key: 'cnn_studio.network', value: JSON.stringify(spec) },
    { key: 'input_scaling', value: INPUT_SCALING },
    {
      key: 'normalization',
      value: normalization
        ? `(x - mean) / std per channel, inside this graph after the scaling: mean ${JSON.stringify(normalization.mean)}, std ${JSON.stringify(normalization.std)}`
        : 'none',
    },
    { key: 'output', value: output },
    ...(options.classNames ? [{ key: 'class_names', value: JSON.stringify(options.classNames) }] : []),
  ];
}
