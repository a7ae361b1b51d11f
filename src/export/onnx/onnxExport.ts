/**
 * The trained network as an ONNX model (opset 13, IR version 8): one graph input per input node
 * and one graph output per output node, each named after its node, with the dense weights as
 * initializers. Dense layers become Gemm (transB = 1, because our weights are [units, inputs]
 * exactly like PyTorch's Linear); activations, dropout and merges map one-to-one onto ONNX ops.
 */
import type { PlanActivation, ExportPlan, PlanNode } from '../exportPlan';
import { ExportError } from '../exportError';
import type { ExportTensor, FeatureScaling } from '../exportTypes';
import { ONNX_ATTR, ONNX_FLOAT, onnxType } from './onnxSchema';

/** The opset the exporter writes (Softmax per axis needs 13). */
export const ONNX_OPSET = 13;
/** The IR version paired with the opset (onnxruntime reads IR 3…10). */
export const ONNX_IR_VERSION = 8;

interface OnnxNode {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute?: Record<string, unknown>[];
  docString?: string;
}

interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/** Options for `exportOnnx`. */
export interface OnnxExportOptions {
  producerVersion?: string;
  /** Standardise the graph inputs in the graph (Sub, Div) before the first layers see them. */
  standardizer?: FeatureScaling;
}

/** Writes the plan as ONNX bytes; throws ExportError naming the first dense node with no weights. */
export function exportOnnx(plan: ExportPlan, opts: OnnxExportOptions = {}): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const outputIds = new Set(plan.outputs.map((o) => o.id));
  const names = onnxNames(plan.nodes.map((p) => p.id));
  const nm = (id: string): string => names.get(id) as string;
  const scaled = opts.standardizer ? emitStandardizer(plan, names, opts.standardizer, nodes, initializers) : new Map<string, string>();
  for (const p of plan.nodes) {
    if (p.node.type === 'input') {
      if (outputIds.has(p.id)) throw new ExportError(`Input node '${p.id}' is also an output; ONNX cannot name a graph input and output alike. Connect it to a layer.`, p.id);
      continue;
    }
    emitNode({ ...p, inputs: p.inputs.map((i) => scaled.get(i) ?? nm(i)) }, nm(p.id), nodes, initializers);
  }
  const valueInfo = (p: PlanNode): Record<string, unknown> => ({
    name: nm(p.id),
    type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: p.units }] } } },
  });
  const graph = {
    name: onnxNames([plan.name]).get(plan.name) as string,
    node: nodes,
    initializer: initializers,
    input: plan.inputs.map(valueInfo),
    output: plan.outputs.map(valueInfo),
    docString: 'Inference graph exported by Neural Canvas; dropout is the identity here, as in evaluation.',
  };
  const ModelProto = onnxType('ModelProto');
  const model = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'neural-canvas',
    producerVersion: opts.producerVersion ?? 'dev',
    graph,
  };
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`internal: ONNX model does not fit the schema: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** (x − mean) / std per input node; returns the tensor that replaces each input for its consumers. */
function emitStandardizer(plan: ExportPlan, names: Map<string, string>, scaling: FeatureScaling, nodes: OnnxNode[], inits: OnnxTensor[]): Map<string, string> {
  const width = plan.inputs.reduce((s, p) => s + p.units, 0);
  if (scaling.mean.length !== width || scaling.std.length !== width) {
    throw new ExportError(`The saved feature scaling has ${scaling.mean.length} features but the network's inputs take ${width}; retrain (nn train) to rewrite the weights file.`);
  }
  const out = new Map<string, string>();
  let off = 0;
  for (const p of plan.inputs) {
    const id = names.get(p.id) as string;
    const slice = (a: ArrayLike<number>): Float32Array => Float32Array.from({ length: p.units }, (_, i) => a[off + i]);
    inits.push(tensor(`${id}.mean`, { shape: [p.units], data: slice(scaling.mean) }));
    inits.push(tensor(`${id}.std`, { shape: [p.units], data: slice(scaling.std) }));
    nodes.push({ opType: 'Sub', name: `${id}/center`, input: [id, `${id}.mean`], output: [`${id}/centered`] });
    nodes.push({ opType: 'Div', name: `${id}/scale`, input: [`${id}/centered`, `${id}.std`], output: [`${id}/standardized`] });
    out.set(p.id, `${id}/standardized`);
    off += p.units;
  }
  return out;
}

/** Emits one node; `id` is its ONNX name (p.id stays the node's id, for messages). */
function emitNode(p: PlanNode, id: string, nodes: OnnxNode[], inits: OnnxTensor[]): void {
  const n = p.node;
  switch (n.type) {
    case 'dense': {
      if (!p.weight) {
        throw new ExportError(`Dense node '${p.id}' has no weights to export: train the network first (nn train FILE writes the weights file beside it) or give the layer inline weights.`, p.id);
      }
      inits.push(tensor(`${id}.weight`, p.weight));
      const gemmInputs = [p.inputs[0], `${id}.weight`];
      if (p.bias) {
        inits.push(tensor(`${id}.bias`, p.bias));
        gemmInputs.push(`${id}.bias`);
      }
      const linearOut = p.activation ? `${id}/linear` : id;
      nodes.push({ opType: 'Gemm', name: `${id}/gemm`, input: gemmInputs, output: [linearOut], attribute: [intAttr('transB', 1)] });
      if (p.activation) emitActivation(id, p.activation, linearOut, id, nodes, inits, p.id);
      return;
    }
    case 'activation':
      emitActivation(id, p.activation as PlanActivation, p.inputs[0], id, nodes, inits, p.id);
      return;
    case 'dropout':
      // Identity in inference, but kept as Dropout so the architecture survives a round trip.
      inits.push({ name: `${id}.ratio`, dims: [], dataType: ONNX_FLOAT, rawData: floatBytes(Float32Array.of(n.rate)) });
      nodes.push({ opType: 'Dropout', name: id, input: [p.inputs[0], `${id}.ratio`], output: [id] });
      return;
    case 'add':
      nodes.push({ opType: 'Sum', name: id, input: p.inputs, output: [id] });
      return;
    case 'multiply': {
      // ONNX Mul is binary: fold left over the inputs in edge order, as our engine does.
      let acc = p.inputs[0];
      for (let i = 1; i < p.inputs.length; i++) {
        const out = i === p.inputs.length - 1 ? id : `${id}/mul${i}`;
        nodes.push({ opType: 'Mul', name: `${id}/mul${i}`, input: [acc, p.inputs[i]], output: [out] });
        acc = out;
      }
      if (p.inputs.length === 1) nodes.push({ opType: 'Identity', name: id, input: [acc], output: [id] });
      return;
    }
    case 'concat':
      nodes.push({ opType: 'Concat', name: id, input: p.inputs, output: [id], attribute: [intAttr('axis', 1)] });
      return;
    default:
      throw new ExportError(`Node '${p.id}' has type '${(n as { type: string }).type}', which the ONNX exporter does not know.`, p.id);
  }
}

function emitActivation(id: string, a: PlanActivation, input: string, output: string, nodes: OnnxNode[], inits: OnnxTensor[], nodeId: string): void {
  const name = `${id}/${a.name}`;
  switch (a.name) {
    case 'linear': nodes.push({ opType: 'Identity', name, input: [input], output: [output] }); return;
    case 'sigmoid': nodes.push({ opType: 'Sigmoid', name, input: [input], output: [output] }); return;
    case 'tanh': nodes.push({ opType: 'Tanh', name, input: [input], output: [output] }); return;
    case 'relu': nodes.push({ opType: 'Relu', name, input: [input], output: [output] }); return;
    case 'leaky_relu': nodes.push({ opType: 'LeakyRelu', name, input: [input], output: [output], attribute: [floatAttr('alpha', a.alpha ?? 0.1)] }); return;
    case 'elu': nodes.push({ opType: 'Elu', name, input: [input], output: [output], attribute: [floatAttr('alpha', a.alpha ?? 1)] }); return;
    case 'softmax': nodes.push({ opType: 'Softmax', name, input: [input], output: [output], attribute: [intAttr('axis', -1)] }); return;
    case 'step': {
      // The lectures' binary step: 1 for x ≥ 0, else 0 — GreaterOrEqual against a scalar 0, cast back to float.
      inits.push({ name: `${id}/zero`, dims: [], dataType: ONNX_FLOAT, rawData: floatBytes(Float32Array.of(0)) });
      nodes.push({ opType: 'GreaterOrEqual', name: `${name}/ge`, input: [input, `${id}/zero`], output: [`${id}/step_bool`] });
      nodes.push({ opType: 'Cast', name, input: [`${id}/step_bool`], output: [output], attribute: [intAttr('to', ONNX_FLOAT)] });
      return;
    }
    default:
      throw new ExportError(`Activation '${(a as { name: string }).name}' on node '${nodeId}' has no ONNX equivalent in this exporter.`, nodeId);
  }
}

/**
 * ONNX names for node ids: an id of letters, digits, `_` and `-` is kept as it is (graph inputs
 * and outputs are named after their nodes); any other text is reduced to those characters and
 * made unique, so no name holds control characters or invalid UTF-8 and none collides with the
 * exporter's own `id.weight`, `id/linear` names (which always hold `.` or `/`).
 */
export function onnxNames(ids: readonly string[]): Map<string, string> {
  const SAFE = /^[A-Za-z0-9_-]+$/;
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) if (SAFE.test(id) && !out.has(id)) { out.set(id, id); used.add(id); }
  for (const id of ids) {
    if (out.has(id)) continue;
    const base = String(id).replace(/[^A-Za-z0-9_-]+/g, '_') || 'node';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

function tensor(name: string, t: ExportTensor): OnnxTensor {
  return { name, dims: t.shape, dataType: ONNX_FLOAT, rawData: floatBytes(t.data) };
}

/** Little-endian float32 bytes, as ONNX raw_data requires whatever the host's byte order. */
function floatBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

function intAttr(name: string, i: number): Record<string, unknown> {
  return { name, type: ONNX_ATTR.INT, i };
}

function floatAttr(name: string, f: number): Record<string, unknown> {
  return { name, type: ONNX_ATTR.FLOAT, f };
}
