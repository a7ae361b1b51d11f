/**
 * Op definitions of the image layers (convolution, pooling, batch normalization) and of views,
 * apart from any device: shape rules and gradients written as other ops (see ops.ts).
 *
 * An activation of shape [H, W, C] lives in a tensor of (batch·H·W) rows × C columns, channels
 * last (the layout OpAttrs' window ops read), so bias, activations and batch norm run over the
 * channel axis unchanged. A view reads the same buffer with other rows×cols (flatten: batch ×
 * H·W·C) and costs nothing.
 */
import type { Invocation, Window2D } from './backend';
import type { GradContext, OpDef } from './opDef';
import type { Tensor } from './tensor';

function fail(msg: string): never {
  throw new Error(msg);
}

/** The batch of an image tensor x (rows = batch·h·w, cols = c) for window `a`. */
function batchOf(x: Tensor, a: Window2D, op: string): number {
  const cells = a.h * a.w;
  if (x.cols !== a.c || x.rows % cells !== 0) fail(`${op}: ${x.name} is ${x.rows}×${x.cols}, not batch·${a.h}·${a.w} rows × ${a.c} channels`);
  return x.rows / cells;
}

/** Just the geometry of a window op's attributes (kernels' attrs carry no extra fields). */
function windowOf(a: Window2D): Window2D {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = a;
  return { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow };
}

const conv2dDef: OpDef<'conv2d'> = {
  shapes([x, w], a) {
    const batch = batchOf(x, a, 'conv2d');
    if (w.rows !== a.filters || w.cols !== a.kh * a.kw * a.c) fail(`conv2d: kernel ${w.name} is ${w.rows}×${w.cols}, not ${a.filters}×${a.kh * a.kw * a.c}`);
    return [[batch * a.oh * a.ow, a.filters]];
  },
  grad({ inputs: [x, w], outputs: [y], attrs }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy) return;
    const rows = x.rows / (attrs.h * attrs.w);
    const geo = { ...windowOf(attrs), filters: attrs.filters };
    if (x.requiresGrad) {
      ctx.contribute(x, true, (d, acc) => ({ op: 'conv2dGradInput', attrs: { ...geo, accumulate: acc }, inputs: [dy.buf, w.buf], outputs: [d.buf], dims: { rows } }));
    }
    if (w.requiresGrad) {
      ctx.contribute(w, true, (d, acc) => ({ op: 'conv2dGradWeight', attrs: { ...geo, accumulate: acc }, inputs: [x.buf, dy.buf], outputs: [d.buf], dims: { rows } }));
    }
  },
};

const pool2dDef: OpDef<'pool2d'> = {
  shapes([x], a) {
    return [[batchOf(x, a, 'pool2d') * a.oh * a.ow, a.c]];
  },
  grad({ inputs: [x], outputs: [y], attrs }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy || !x.requiresGrad) return;
    const rows = x.rows / (attrs.h * attrs.w);
    ctx.contribute(x, true, (d, acc) => ({
      op: 'pool2dGrad', attrs: { ...windowOf(attrs), mode: attrs.mode, accumulate: acc }, inputs: [x.buf, dy.buf], outputs: [d.buf], dims: { rows },
    }));
  },
};

function channelParams(op: string, x: Tensor, ps: Tensor[]): void {
  for (const p of ps) if (p.rows * p.cols !== x.cols) fail(`${op}: ${p.name} has ${p.rows * p.cols} values for ${x.cols} channels`);
}

/**
 * Training: outputs [Y, mean, invStd, movingMean, movingVar]; the moving statistics are the
 * layer's saved (untrained) parameters, updated in place, and no gradient flows to them.
 */
const batchNormDef: OpDef<'batchNorm'> = {
  shapes([x, gamma, beta]) {
    channelParams('batchNorm', x, [gamma, beta]);
    const c = x.cols;
    return [[x.rows, c], [c, 1], [c, 1], [c, 1], [c, 1]];
  },
  grad({ inputs: [x, gamma, beta], outputs: [y, mean, invStd] }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy) return;
    const dGamma = ctx.scratch(gamma.rows, gamma.cols, `grad:${gamma.name}.bn`);
    const dBeta = ctx.scratch(beta.rows, beta.cols, `grad:${beta.name}.bn`);
    // One kernel writes all three gradients: dX (accumulated when x already has one), dγ, dβ.
    const make = (d: Tensor, acc: boolean): Invocation => ({
      op: 'batchNormGrad', attrs: { accumulate: acc }, inputs: [x.buf, dy.buf, gamma.buf, mean.buf, invStd.buf],
      outputs: [d.buf, dGamma.buf, dBeta.buf], dims: { rows: x.rows, cols: x.cols },
    });
    if (x.requiresGrad) ctx.contribute(x, true, make);
    else ctx.emit(make(ctx.scratch(x.rows, x.cols, `grad:${x.name}.unused`), false));
    if (gamma.requiresGrad) ctx.pass(gamma, dGamma);
    if (beta.requiresGrad) ctx.pass(beta, dBeta);
  },
};

/**
 * Inference: in [X, gamma, beta, movingMean, movingVar]. Its gradient (only `nn grad` and Check
 * Gradients need one) is written with the op itself: dX = batchNormInference(dY; γ, 0, 0, var)
 * = γ·dY/√(var + ε); dγ = Σ_rows dY ⊙ x̂ with x̂ = batchNormInference(X; 1, 0, mean, var);
 * dβ = Σ_rows dY. The moving statistics get none: they are not trained.
 */
const batchNormInferenceDef: OpDef<'batchNormInference'> = {
  shapes([x, gamma, beta, mm, mv]) {
    channelParams('batchNormInference', x, [gamma, beta, mm, mv]);
    return [[x.rows, x.cols]];
  },
  grad({ inputs: [x, gamma, beta, mm, mv], outputs: [y], attrs }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy) return;
    const { rows, cols } = x;
    const dims = { rows, cols };
    const constant = (value: number, name: string): Tensor => {
      const t = ctx.scratch(cols, 1, name);
      ctx.emit({ op: 'fill', attrs: { value }, inputs: [], outputs: [t.buf], dims: { size: cols } });
      return t;
    };
    const bnInf = (inputs: Tensor[], out: Tensor): Invocation => ({ op: 'batchNormInference', attrs: { epsilon: attrs.epsilon }, inputs: inputs.map((t) => t.buf), outputs: [out.buf], dims });
    const zeros = gamma.requiresGrad || x.requiresGrad ? constant(0, `${y.name}.zeros`) : undefined;
    if (x.requiresGrad && zeros) ctx.contribute(x, false, (d) => bnInf([dy, gamma, zeros, zeros, mv], d));
    if (gamma.requiresGrad && zeros) {
      const ones = constant(1, `${y.name}.ones`);
      const xhat = ctx.scratch(rows, cols, `${y.name}.xhat`);
      ctx.emit(bnInf([x, ones, zeros, mm, mv], xhat));
      const prod = ctx.scratch(rows, cols, `${y.name}.dyxhat`);
      ctx.emit({ op: 'mul', attrs: {}, inputs: [dy.buf, xhat.buf], outputs: [prod.buf], dims: { size: rows * cols } });
      ctx.contribute(gamma, true, (d, acc) => ({ op: 'biasGrad', attrs: { accumulate: acc }, inputs: [prod.buf], outputs: [d.buf], dims }));
    }
    if (beta.requiresGrad) ctx.contribute(beta, true, (d, acc) => ({ op: 'biasGrad', attrs: { accumulate: acc }, inputs: [dy.buf], outputs: [d.buf], dims }));
  },
};

/** A view: the input's buffer as rows×cols; the gradient is the output's gradient, viewed back. */
const viewDef: OpDef<'view'> = {
  shapes([x], { rows, cols }) {
    if (rows * cols !== x.rows * x.cols) fail(`view: ${x.name} has ${x.rows * x.cols} values, not ${rows}×${cols}`);
    return [[rows, cols]];
  },
  grad({ inputs: [x], outputs: [y] }, ctx: GradContext) {
    const dy = ctx.gradOf(y);
    if (!dy || !x.requiresGrad) return;
    ctx.pass(x, { rows: x.rows, cols: x.cols, buf: dy.buf, name: dy.name, requiresGrad: false });
  },
};

/** The image ops' definitions, merged into OP_DEFS. */
export const CONV_OP_DEFS = {
  conv2d: conv2dDef,
  pool2d: pool2dDef,
  batchNorm: batchNormDef,
  batchNormInference: batchNormInferenceDef,
  view: viewDef,
};
