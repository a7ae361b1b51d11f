/**
 * Image layers in the ONNX graph. ONNX's Conv and pooling ops are channels first, Neural Canvas
 * channels last, so the graph keeps one rule: a tensor of an [H, W, C] node is NCHW inside the
 * graph, every other tensor is Neural Canvas's own row-major layout. Graph inputs and outputs stay
 * rows of H·W·C values in H, W, C order (exactly what nn predict reads and prints): a Reshape and a
 * Transpose bring an image in, a Transpose goes back to channels last before a flatten, a reshape
 * or a graph output, so the flattened order and the dense weights after it are unchanged.
 */
import type { WindowGeometry } from '../../model/convGeometry';
import { ExportError } from '../exportError';
import type { PlanNode } from '../exportPlan';
import type { ExportTensor } from '../exportTypes';
import { floatAttr, int64Tensor, intAttr, intsAttr, tensor, type OnnxNode, type OnnxTensor } from './onnxTensors';

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** Whether the graph holds this node's tensor channels first: exactly the [H, W, C] nodes. */
export function channelsFirst(p: PlanNode): boolean {
  return p.shape.length === 3;
}

/** The axis of a node's features (softmax, concat): 1 for vectors and NCHW images, else the last. */
export function onnxFeatureAxis(p: PlanNode): number {
  return p.shape.length === 1 || channelsFirst(p) ? 1 : -1;
}

/** A graph input's rows reshaped to the node's shape (and to NCHW for an image); returns the tensor its consumers read. */
export function emitInputLayout(p: PlanNode, id: string, rows: string, nodes: OnnxNode[], inits: OnnxTensor[]): string {
  if (p.shape.length === 1) return rows;
  const shaped = reshape(id, rows, p.shape, channelsFirst(p) ? `${id}/nhwc` : `${id}/shaped`, nodes, inits);
  if (!channelsFirst(p)) return shaped;
  nodes.push(transpose(`${id}/to_nchw`, shaped, `${id}/nchw`, TO_NCHW));
  return `${id}/nchw`;
}

/** An output of several axes back to rows in Neural Canvas's order: [batch, H·W·C]. */
export function emitOutputLayout(p: PlanNode, id: string, computed: string, nodes: OnnxNode[]): void {
  let x = computed;
  if (channelsFirst(p)) {
    nodes.push(transpose(`${id}/to_nhwc`, x, `${id}/nhwc`, TO_NHWC));
    x = `${id}/nhwc`;
  }
  nodes.push({ opType: 'Flatten', name: `${id}/rows`, input: [x], output: [id], attribute: [intAttr('axis', 1)] });
}

/**
 * Emits the image node types (conv2d writes its pre-activation to `<id>/conv` when it has an
 * activation; the caller applies it). Returns false for any other type.
 */
export function emitImageNode(p: PlanNode, id: string, out: string, ins: string[], inPlans: PlanNode[], nodes: OnnxNode[], inits: OnnxTensor[]): boolean {
  const n = p.node;
  switch (n.type) {
    case 'conv2d': {
      if (!p.weight) {
        throw new ExportError(`Conv2d node '${p.id}' has no weights to export: train the network first (nn train FILE writes the weights file beside it) or give the layer inline weights.`, p.id);
      }
      const g = p.window as WindowGeometry;
      inits.push(tensor(`${id}.weight`, channelsFirstKernel(p.weight)));
      const input = [ins[0], `${id}.weight`];
      if (p.bias) {
        inits.push(tensor(`${id}.bias`, p.bias));
        input.push(`${id}.bias`);
      }
      nodes.push({ opType: 'Conv', name: `${id}/conv`, input, output: [p.activation ? `${id}/conv` : out], attribute: windowAttrs(g) });
      return true;
    }
    case 'maxpool2d':
      nodes.push({ opType: 'MaxPool', name: id, input: [ins[0]], output: [out], attribute: windowAttrs(p.window as WindowGeometry) });
      return true;
    case 'avgpool2d':
      // Keras leaves padded cells out of each window's mean.
      nodes.push({ opType: 'AveragePool', name: id, input: [ins[0]], output: [out], attribute: [...windowAttrs(p.window as WindowGeometry), intAttr('count_include_pad', 0)] });
      return true;
    case 'globalavgpool2d':
      nodes.push({ opType: 'GlobalAveragePool', name: `${id}/pool`, input: [ins[0]], output: [`${id}/pooled`] });
      nodes.push({ opType: 'Flatten', name: id, input: [`${id}/pooled`], output: [out], attribute: [intAttr('axis', 1)] });
      return true;
    case 'flatten':
      nodes.push({ opType: 'Flatten', name: id, input: [rowMajor(inPlans[0], id, ins[0], nodes)], output: [out], attribute: [intAttr('axis', 1)] });
      return true;
    case 'reshape': {
      const source = rowMajor(inPlans[0], id, ins[0], nodes);
      if (!channelsFirst(p)) {
        reshape(id, source, p.shape, out, nodes, inits);
        return true;
      }
      const shaped = reshape(id, source, p.shape, `${id}/reshaped`, nodes, inits);
      nodes.push(transpose(`${id}/to_nchw`, shaped, out, TO_NCHW));
      return true;
    }
    case 'batchnorm':
      emitBatchNorm(p, id, out, ins[0], nodes, inits);
      return true;
    default:
      return false;
  }
}

/** Batch norm at inference: ONNX BatchNormalization on an NCHW image, else the same affine map per last-axis feature. */
function emitBatchNorm(p: PlanNode, id: string, out: string, x: string, nodes: OnnxNode[], inits: OnnxTensor[]): void {
  const b = p.norm as NonNullable<PlanNode['norm']>;
  // Four float32 values per channel: protobuf, so ONNX, holds at most 2 GB in one model.
  if (b.gamma.shape[0] * 16 >= 2 ** 31) {
    throw new ExportError(`Batch norm '${p.id}' has ${b.gamma.shape[0]} channels: its statistics alone pass the 2 GB an ONNX model can hold; make the layer before it smaller.`, p.id);
  }
  if (channelsFirst(p)) {
    inits.push(tensor(`${id}.gamma`, b.gamma), tensor(`${id}.beta`, b.beta), tensor(`${id}.moving_mean`, b.movingMean), tensor(`${id}.moving_variance`, b.movingVariance));
    nodes.push({
      opType: 'BatchNormalization', name: id, input: [x, `${id}.gamma`, `${id}.beta`, `${id}.moving_mean`, `${id}.moving_variance`], output: [out],
      attribute: [floatAttr('epsilon', b.epsilon), floatAttr('momentum', b.momentum)],
    });
    return;
  }
  // y = x·scale + shift with scale = gamma / sqrt(var + eps), shift = beta − mean·scale (float64, then float32).
  const c = b.gamma.data.length;
  const scale = Float32Array.from({ length: c }, (_, k) => b.gamma.data[k] / Math.sqrt(b.movingVariance.data[k] + b.epsilon));
  const shift = Float32Array.from({ length: c }, (_, k) => b.beta.data[k] - b.movingMean.data[k] * (b.gamma.data[k] / Math.sqrt(b.movingVariance.data[k] + b.epsilon)));
  inits.push(tensor(`${id}.scale`, { shape: [c], data: scale }), tensor(`${id}.shift`, { shape: [c], data: shift }));
  nodes.push({ opType: 'Mul', name: `${id}/scale`, input: [x, `${id}.scale`], output: [`${id}/scaled`] });
  nodes.push({ opType: 'Add', name: id, input: [`${id}/scaled`, `${id}.shift`], output: [out] });
}

/** The tensor of `from` in Neural Canvas's row-major layout (a Transpose when it is held NCHW). */
function rowMajor(from: PlanNode, id: string, x: string, nodes: OnnxNode[]): string {
  if (!channelsFirst(from)) return x;
  nodes.push(transpose(`${id}/to_nhwc`, x, `${id}/nhwc`, TO_NHWC));
  return `${id}/nhwc`;
}

function reshape(id: string, x: string, shape: number[], out: string, nodes: OnnxNode[], inits: OnnxTensor[]): string {
  // 0 keeps the batch dimension as it is.
  inits.push(int64Tensor(`${id}.shape`, [0, ...shape]));
  nodes.push({ opType: 'Reshape', name: `${id}/reshape`, input: [x, `${id}.shape`], output: [out] });
  return out;
}

function transpose(name: string, x: string, out: string, perm: number[]): OnnxNode {
  return { opType: 'Transpose', name, input: [x], output: [out], attribute: [intsAttr('perm', perm)] };
}

/** kernel_shape, strides and pads ([top, left, bottom, right]: ONNX pads begins then ends, so Keras' uneven split is exact). */
function windowAttrs(g: WindowGeometry): Record<string, unknown>[] {
  return [intsAttr('kernel_shape', [g.kh, g.kw]), intsAttr('strides', [g.sh, g.sw]), intsAttr('pads', [g.padTop, g.padLeft, g.padBottom, g.padRight])];
}

/** Our kernels [filters, kh, kw, C] as ONNX's [filters, C, kh, kw]. */
function channelsFirstKernel(w: ExportTensor): ExportTensor {
  const [f, kh, kw, c] = w.shape;
  const data = new Float32Array(w.data.length);
  for (let o = 0; o < f; o++) {
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        for (let i = 0; i < c; i++) data[((o * c + i) * kh + y) * kw + x] = w.data[((o * kh + y) * kw + x) * c + i];
      }
    }
  }
  return { shape: [f, c, kh, kw], data };
}
