/**
 * The trained network as an ONNX model (opset 13, IR version 8): one graph input per input node
 * and one graph output per output node, each named after its node, with the dense weights as
 * initializers. Dense layers become Gemm (transB = 1, because our weights are [units, inputs]
 * exactly like PyTorch's Linear); activations, dropout and merges map one-to-one onto ONNX ops.
 */
import type { PlanActivation, ExportPlan, PlanNode } from '../exportPlan';
import { ExportError } from '../exportError';
import type { FeatureScaling } from '../exportTypes';
import { ONNX_FLOAT, onnxType } from './onnxSchema';
import { channelsFirst, emitImageNode, emitInputLayout, emitOutputLayout, onnxFeatureAxis } from './onnxImage';
import { floatAttr, floatBytes, intAttr, tensor, type OnnxNode, type OnnxTensor } from './onnxTensors';

/** The opset the exporter writes (Softmax per axis needs 13). */
export const ONNX_OPSET = 13;
/** The IR version paired with the opset (onnxruntime reads IR 3…10). */
export const ONNX_IR_VERSION = 8;

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
  // The tensor each node's consumers read: images run channels first (NCHW) inside the graph.
  const internal = new Map<string, string>();
  for (const p of plan.nodes) {
    if (p.node.type === 'input') {
      if (outputIds.has(p.id)) throw new ExportError(`Input node '${p.id}' is also an output; ONNX cannot name a graph input and output alike. Connect it to a layer.`, p.id);
      internal.set(p.id, emitInputLayout(p, nm(p.id), scaled.get(p.id) ?? nm(p.id), nodes, initializers));
      continue;
    }
    // An output with more than one axis is computed under another name, then laid out as the flat graph output.
    const laidOut = outputIds.has(p.id) && p.shape.length > 1;
    const out = laidOut ? `${nm(p.id)}/${channelsFirst(p) ? 'nchw' : 'shaped'}` : nm(p.id);
    const ins = p.inputs.map((i) => internal.get(i) as string);
    emitNode(p, nm(p.id), out, ins, p.inputs.map((i) => plan.byId.get(i) as PlanNode), nodes, initializers);
    internal.set(p.id, out);
    if (laidOut) emitOutputLayout(p, nm(p.id), out, nodes);
  }
  const valueInfo = (p: PlanNode): Record<string, unknown> => ({
    name: nm(p.id),
    type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: p.units }] } } },
    // Every graph input and output is a row per sample, as nn predict reads and prints them.
    ...(p.shape.length > 1 ? { docString: `[${p.shape.join(', ')}] flattened row-major (channels last): ${p.units} values per row, as nn predict takes them` } : {}),
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

/**
 * Emits one node; `id` is its ONNX name (p.id stays the node's id, for messages), `out` the tensor
 * it writes, `ins` the tensors it reads and `inPlans` the plan nodes behind them (their layouts).
 */
function emitNode(p: PlanNode, id: string, out: string, ins: string[], inPlans: PlanNode[], nodes: OnnxNode[], inits: OnnxTensor[]): void {
  const n = p.node;
  if (emitImageNode(p, id, out, ins, inPlans, nodes, inits)) {
    if (n.type === 'conv2d' && p.activation) emitActivation(id, p.activation, `${id}/conv`, out, nodes, inits, p.id, onnxFeatureAxis(p));
    return;
  }
  switch (n.type) {
    case 'dense': {
      if (!p.weight) {
        throw new ExportError(`Dense node '${p.id}' has no weights to export: train the network first (nn train FILE writes the weights file beside it) or give the layer inline weights.`, p.id);
      }
      inits.push(tensor(`${id}.weight`, p.weight));
      const gemmInputs = [ins[0], `${id}.weight`];
      if (p.bias) {
        inits.push(tensor(`${id}.bias`, p.bias));
        gemmInputs.push(`${id}.bias`);
      }
      const linearOut = p.activation ? `${id}/linear` : out;
      nodes.push({ opType: 'Gemm', name: `${id}/gemm`, input: gemmInputs, output: [linearOut], attribute: [intAttr('transB', 1)] });
      if (p.activation) emitActivation(id, p.activation, linearOut, out, nodes, inits, p.id);
      return;
    }
    case 'activation':
      emitActivation(id, p.activation as PlanActivation, ins[0], out, nodes, inits, p.id, onnxFeatureAxis(p));
      return;
    case 'dropout':
      // Identity in inference, but kept as Dropout so the architecture survives a round trip.
      inits.push({ name: `${id}.ratio`, dims: [], dataType: ONNX_FLOAT, rawData: floatBytes(Float32Array.of(n.rate)) });
      nodes.push({ opType: 'Dropout', name: id, input: [ins[0], `${id}.ratio`], output: [out] });
      return;
    case 'add':
      nodes.push({ opType: 'Sum', name: id, input: ins, output: [out] });
      return;
    case 'multiply': {
      // ONNX Mul is binary: fold left over the inputs in edge order, as our engine does.
      let acc = ins[0];
      for (let i = 1; i < ins.length; i++) {
        const step = i === ins.length - 1 ? out : `${id}/mul${i}`;
        nodes.push({ opType: 'Mul', name: `${id}/mul${i}`, input: [acc, ins[i]], output: [step] });
        acc = step;
      }
      if (ins.length === 1) nodes.push({ opType: 'Identity', name: id, input: [acc], output: [out] });
      return;
    }
    case 'concat':
      nodes.push({ opType: 'Concat', name: id, input: ins, output: [out], attribute: [intAttr('axis', onnxFeatureAxis(p))] });
      return;
    default:
      throw new ExportError(`Node '${p.id}' has type '${(n as { type: string }).type}', which the ONNX exporter does not know.`, p.id);
  }
}

function emitActivation(id: string, a: PlanActivation, input: string, output: string, nodes: OnnxNode[], inits: OnnxTensor[], nodeId: string, axis = -1): void {
  const name = `${id}/${a.name}`;
  switch (a.name) {
    case 'linear': nodes.push({ opType: 'Identity', name, input: [input], output: [output] }); return;
    case 'sigmoid': nodes.push({ opType: 'Sigmoid', name, input: [input], output: [output] }); return;
    case 'tanh': nodes.push({ opType: 'Tanh', name, input: [input], output: [output] }); return;
    case 'relu': nodes.push({ opType: 'Relu', name, input: [input], output: [output] }); return;
    case 'leaky_relu': nodes.push({ opType: 'LeakyRelu', name, input: [input], output: [output], attribute: [floatAttr('alpha', a.alpha ?? 0.1)] }); return;
    case 'elu': nodes.push({ opType: 'Elu', name, input: [input], output: [output], attribute: [floatAttr('alpha', a.alpha ?? 1)] }); return;
    case 'softmax': nodes.push({ opType: 'Softmax', name, input: [input], output: [output], attribute: [intAttr('axis', axis)] }); return;
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
