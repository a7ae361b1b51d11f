/** The ONNX graph pieces the exporters build (nodes, initializers, attributes) and their byte encodings. */
import type { ExportTensor } from '../exportTypes';
import { ONNX_ATTR, ONNX_FLOAT } from './onnxSchema';

/** ONNX TensorProto.DataType INT64 (shape tensors). */
export const ONNX_INT64 = 7;

/** A NodeProto as protobufjs takes it. */
export interface OnnxNode {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute?: Record<string, unknown>[];
  docString?: string;
}

/** A TensorProto initializer as protobufjs takes it. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/** A float32 initializer. */
export function tensor(name: string, t: ExportTensor): OnnxTensor {
  return { name, dims: t.shape, dataType: ONNX_FLOAT, rawData: floatBytes(t.data) };
}

/** A 1-D int64 initializer (a Reshape's target shape). */
export function int64Tensor(name: string, values: number[]): OnnxTensor {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims: [values.length], dataType: ONNX_INT64, rawData: raw };
}

/** Little-endian float32 bytes, as ONNX raw_data requires whatever the host's byte order. */
export function floatBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

export function intAttr(name: string, i: number): Record<string, unknown> {
  return { name, type: ONNX_ATTR.INT, i };
}

export function intsAttr(name: string, ints: number[]): Record<string, unknown> {
  return { name, type: ONNX_ATTR.INTS, ints };
}

export function floatAttr(name: string, f: number): Record<string, unknown> {
  return { name, type: ONNX_ATTR.FLOAT, f };
}
