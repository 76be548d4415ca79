/**
 * A small ONNX graph builder on ProtoWriter: enough of onnx.proto (ModelProto, GraphProto,
 * NodeProto, TensorProto, ValueInfoProto) to write test models of a few standard ops. Field
 * numbers are those of onnx/onnx.proto3.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const FLOAT = 1;
export const INT64 = 7;

/** A dimension: a fixed size or a symbolic name (`batch_size`). */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elemType: number;
  shape: Dim[];
}

/** An attribute value: ints, floats, an int list. */
export type AttributeValue = { int: number } | { float: number } | { ints: number[] };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface GraphSpec {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: NodeSpec[];
  initializers: Initializer[];
  /** Default-domain opset version. */
  opset: number;
}

function writeValueInfo(w: ProtoWriter, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if ('int' in value) w.int(3, value.int).int(20, 2);
  else if ('float' in value) w.float(2, value.float).int(20, 1);
  else w.packedInts(8, value.ints).int(20, 7);
}

function writeTensor(w: ProtoWriter, t: Initializer): void {
  w.packedInts(1, t.dims);
  w.int(2, t.data instanceof Float32Array ? FLOAT : INT64);
  w.string(8, t.name);
  // raw_data is little-endian, which typed arrays are on every platform Node runs on here.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/** The serialised ModelProto of a graph. */
export function buildModel(g: GraphSpec): Uint8Array {
  const m = new ProtoWriter();
  m.int(1, 8); // ir_version 8: ONNX 1.10+, readable by every ONNX Runtime in use
  m.string(2, 'thresher');
  m.message(8, (opset) => opset.string(1, '').int(2, g.opset));
  m.message(7, (graph) => {
    g.nodes.forEach((n, i) =>
      graph.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, `${n.op.toLowerCase()}_${i}`);
        node.string(4, n.op);
        for (const [name, value] of Object.entries(n.attributes ?? {})) node.message(5, (a) => writeAttribute(a, name, value));
      }),
    );
    graph.string(2, g.name);
    for (const t of g.initializers) graph.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of g.inputs) graph.message(11, (info) => writeValueInfo(info, v));
    for (const v of g.outputs) graph.message(12, (info) => writeValueInfo(info, v));
  });
  return m.finish();
}

/** An int64 constant initializer. */
export function int64Tensor(name: string, values: number[]): Initializer {
  return { name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) };
}
