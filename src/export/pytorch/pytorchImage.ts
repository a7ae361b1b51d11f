/**
 * Image layers in the PyTorch script. PyTorch is channels first, Neural Canvas channels last, so
 * the script keeps one rule: every tensor of an [H, W, C] node is held as [N, C, H, W] (NCHW), every
 * other tensor in Neural Canvas's own row-major layout. Conv kernels are permuted on load
 * ([filters, kh, kw, C] → [filters, C, kh, kw]), and activations are permuted back to NHWC before a
 * flatten or reshape, so the flattened order (row-major over H, W, C) and the dense weights after
 * it stay exactly Neural Canvas's.
 */
import type { WindowGeometry } from '../../model/convGeometry';
import type { PlanNode } from '../exportPlan';
import { pyFloat, pyInt } from '../pythonNames';

/** Whether the script holds this node's tensor channels first (NCHW): exactly the [H, W, C] nodes. */
export function channelsFirst(p: PlanNode): boolean {
  return p.shape.length === 3;
}

/** The torch dim of the feature (last, channel) axis of a node's tensor: 1 for vectors and NCHW images. */
export function featureDim(p: PlanNode): number {
  return p.shape.length === 1 || channelsFirst(p) ? 1 : -1;
}

/** The expression for `x` (node p's tensor) in Neural Canvas's row-major layout. */
export function rowMajor(p: PlanNode, x: string): string {
  return channelsFirst(p) ? `${x}.permute(0, 2, 3, 1)` : x;
}

/** An input's tensor as the forward holds it: the same rows as nn predict (flat, or NHWC), reshaped (and permuted for images). */
export function inputLayout(p: PlanNode, x: string): string | undefined {
  if (p.shape.length === 1) return undefined;
  const reshaped = `${x}.reshape(-1, ${p.shape.map((d) => pyInt(d, 'a shape')).join(', ')})`;
  return channelsFirst(p) ? `${reshaped}.permute(0, 3, 1, 2)` : reshaped;
}

/** Flatten: row-major over H, W, C whatever the layout held. */
export function flattenExpr(input: PlanNode, x: string): string {
  return `torch.flatten(${rowMajor(input, x)}, 1)`;
}

/** Reshape: to row-major, the new shape, then channels first when the result is an image. */
export function reshapeExpr(input: PlanNode, out: PlanNode, x: string): string {
  const reshaped = `${rowMajor(input, x)}.reshape(-1, ${out.shape.map((d) => pyInt(d, 'a shape')).join(', ')})`;
  return channelsFirst(out) ? `${reshaped}.permute(0, 3, 1, 2)` : reshaped;
}

const tuple = (a: number, b: number): string => `(${pyInt(a, 'a window size')}, ${pyInt(b, 'a window size')})`;

/** Whether torch's own (symmetric) padding argument can express the window's padding. */
function symmetric(g: WindowGeometry): boolean {
  return g.padTop === g.padBottom && g.padLeft === g.padRight;
}

/** F.pad's (left, right, top, bottom). */
function padTuple(g: WindowGeometry): string {
  return `(${[g.padLeft, g.padRight, g.padTop, g.padBottom].map((d) => pyInt(d, 'a padding')).join(', ')})`;
}

/**
 * nn.Conv2d's constructor and the forward's input expression. Keras `same` padding puts the
 * smaller half of an odd total top/left; torch pads symmetrically, so an uneven split is an
 * explicit F.pad before a conv with no padding of its own.
 */
export function convParts(p: PlanNode, x: string): { ctor: string; input: string } {
  const g = p.window as WindowGeometry;
  const even = symmetric(g);
  const pad = even && (g.padTop || g.padLeft) ? `, padding=${tuple(g.padTop, g.padLeft)}` : '';
  const bias = p.bias || (p.node.type === 'conv2d' && p.node.useBias !== false) ? '' : ', bias=False';
  return {
    ctor: `nn.Conv2d(${pyInt(g.c, 'a channel count')}, ${pyInt(p.shape[2], 'a filter count')}, ${tuple(g.kh, g.kw)}, stride=${tuple(g.sh, g.sw)}${pad}${bias})`,
    input: even ? x : `F.pad(${x}, ${padTuple(g)})`,
  };
}

/** Max or average pooling with Keras' padding: max ignores padded cells, average leaves them out of the count. */
export function poolExpr(p: PlanNode, x: string): string {
  const g = p.window as WindowGeometry;
  const k = tuple(g.kh, g.kw);
  const s = tuple(g.sh, g.sw);
  const padded = g.padTop || g.padLeft || g.padBottom || g.padRight;
  if (p.node.type === 'maxpool2d') {
    if (!padded) return `F.max_pool2d(${x}, ${k}, ${s})`;
    if (symmetric(g)) return `F.max_pool2d(${x}, ${k}, ${s}, padding=${tuple(g.padTop, g.padLeft)})`;
    return `F.max_pool2d(F.pad(${x}, ${padTuple(g)}, value=-math.inf), ${k}, ${s})`;
  }
  if (!padded) return `F.avg_pool2d(${x}, ${k}, ${s})`;
  if (symmetric(g)) return `F.avg_pool2d(${x}, ${k}, ${s}, padding=${tuple(g.padTop, g.padLeft)}, count_include_pad=False)`;
  return `avg_pool_uneven(${x}, ${k}, ${s}, ${padTuple(g)})`;
}

/** The batch-norm module's constructor. */
export function batchNormCtor(p: PlanNode): string {
  const n = p.norm as NonNullable<PlanNode['norm']>;
  return `KerasBatchNorm(${pyInt(p.shape[p.shape.length - 1], 'a channel count')}, momentum=${pyFloat(n.momentum)}, epsilon=${pyFloat(n.epsilon)}, axis=${featureDim(p)})`;
}

/** Python helpers the image layers use, emitted only when the network has such layers. */
export const PY_IMAGE_HELPERS = `

class KerasBatchNorm(nn.Module):
    """Batch normalization over one axis with Keras' semantics (torch's BatchNorm would differ):
    batch statistics while training, with the moving variance updated from the batch's biased
    variance and moving = momentum * moving + (1 - momentum) * batch (Keras' momentum, which is
    1 - torch's); the moving statistics at inference. weight = gamma, bias = beta."""

    def __init__(self, channels, momentum, epsilon, axis):
        super().__init__()
        self.momentum, self.epsilon, self.axis = momentum, epsilon, axis
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))

    def forward(self, x):
        axis = self.axis % x.dim()
        shape = [1] * x.dim()
        shape[axis] = -1
        if self.training:
            dims = [d for d in range(x.dim()) if d != axis]
            mean = x.mean(dim=dims)
            var = x.var(dim=dims, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)
                self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var)
        else:
            mean, var = self.running_mean, self.running_var
        inv = torch.rsqrt(var + self.epsilon) * self.weight
        return (x - mean.reshape(shape)) * inv.reshape(shape) + self.bias.reshape(shape)


def avg_pool_uneven(x, kernel, stride, pads):
    """Average pooling with Keras 'same' padding split unevenly (the smaller half top/left): padded
    cells are left out of each window's count, as torch's count_include_pad=False does for even padding."""
    total = F.avg_pool2d(F.pad(x, pads), kernel, stride)
    count = F.avg_pool2d(F.pad(torch.ones_like(x[:, :1]), pads), kernel, stride)
    return total / count
`;
