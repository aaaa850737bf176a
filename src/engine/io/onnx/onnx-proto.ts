/**
 * The part of onnx/onnx.proto (package onnx, proto2) that the exporter writes, as a protobufjs JSON descriptor,
 * and the TypeScript shapes of those messages. Field names and numbers are the official ones, so each field can
 * be checked against onnx.proto by name. Fields the exporter never sets are left out: an unset optional or
 * empty repeated field is absent from the bytes either way.
 *
 * proto2 encodes repeated numbers one tag per value unless a field says [packed = true]; onnx.proto marks only
 * TensorProto's *_data fields packed. protobufjs packs by default, so the other repeated numbers say
 * `packed: false` to match what the reference implementation writes (readers accept both encodings).
 *
 * protobufjs builds its encoder with new Function on first use, so the host must allow eval: Node (the utility
 * process, the CLI) does, and so does a Web Worker whose script is served without a Content-Security-Policy.
 */
import { Root } from 'protobufjs/light';

const UNPACKED = { packed: false };

export const ONNX_PROTO_SUBSET = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          nested: {
            AttributeType: { values: { UNDEFINED: 0, FLOAT: 1, INT: 2, INTS: 7 } },
          },
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: UNPACKED },
            type: { type: 'AttributeType', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1, options: UNPACKED },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            doc_string: { type: 'string', id: 3 },
          },
        },
        TypeProto: {
          nested: {
            Tensor: {
              fields: {
                elem_type: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
          },
        },
        TensorShapeProto: {
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: {
                dim_value: { type: 'int64', id: 1 },
                dim_param: { type: 'string', id: 2 },
              },
            },
          },
          fields: {
            dim: { rule: 'repeated', type: 'Dimension', id: 1 },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType.FLOAT */
export const FLOAT_TENSOR = 1;

/** AttributeProto.AttributeType values the exporter uses. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, INTS: 7 } as const;

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  /** Values in row-major order, each little endian. */
  raw_data: Uint8Array;
}

/** Exactly one value field is set, the one `type` names. */
export type AttributeProto =
  | { name: string; type: typeof ATTRIBUTE_TYPE.FLOAT; f: number }
  | { name: string; type: typeof ATTRIBUTE_TYPE.INT; i: number }
  | { name: string; type: typeof ATTRIBUTE_TYPE.INTS; ints: number[] };

export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

/** A fixed size, or a name for a size known only at run time (the batch). */
export type Dimension = { dim_value: number } | { dim_param: string };

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: Dimension[] } } };
  doc_string?: string;
}

export interface GraphProto {
  name: string;
  doc_string: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
}

export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  doc_string: string;
  graph: GraphProto;
  metadata_props: { key: string; value: string }[];
}

const modelType = Root.fromJSON(ONNX_PROTO_SUBSET).lookupType('onnx.ModelProto');

/** The .onnx file bytes, in a buffer of their own (safe to transfer to another thread). */
export function encodeModel(model: ModelProto): Uint8Array {
  return new Uint8Array(modelType.encode(model).finish());
}
