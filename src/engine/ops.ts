/**
 * Op definitions, apart from any device: for each differentiable op, its shape rule and its
 * gradient written as other ops. Kernels (per backend) only implement the numeric work.
 */
import type { ActivationFn, Invocation } from './backend';
import { CONV_OP_DEFS } from './convOps';
import type { ForwardAttrs, OpDef } from './opDef';
import type { Tensor } from './tensor';

export type { ForwardAttrs, GradContext, OpDef, TapeEntry } from './opDef';

const mm = (a: Tensor, b: Tensor, dst: Tensor, tA: boolean, tB: boolean, acc: boolean, m: number, k: number, n: number): Invocation<'matmul'> => ({
  op: 'matmul', attrs: { transposeA: tA, transposeB: tB, accumulate: acc }, inputs: [a.buf, b.buf], outputs: [dst.buf], dims: { m, k, n },
});

function fail(msg: string): never {
  throw new Error(msg);
}

const matmulDef: OpDef<'matmul'> = {
  shapes([a, b], { transposeA, transposeB }) {
    const [m, k1] = transposeA ? [a.cols, a.rows] : [a.rows, a.cols];
    const [k2, n] = transposeB ? [b.cols, b.rows] : [b.rows, b.cols];
    if (k1 !== k2) fail(`matmul: inner sizes differ (${a.name} gives ${k1}, ${b.name} gives ${k2})`);
    return [[m, n]];
  },
  grad({ inputs: [a, b], outputs: [c], attrs }, ctx) {
    const dc = ctx.gradOf(c);
    if (!dc) return;
    const m = c.rows, n = c.cols;
    const k = attrs.transposeA ? a.rows : a.cols;
    if (attrs.transposeA && attrs.transposeB) fail('matmul: the gradient of Aᵀ·Bᵀ is not implemented');
    if (attrs.transposeB) {
      // C = A·Bᵀ: dA = dC·B (m×n · n×k), dB = dCᵀ·A (n×m · m×k).
      if (a.requiresGrad) ctx.contribute(a, true, (d, acc) => mm(dc, b, d, false, false, acc, m, n, k));
      if (b.requiresGrad) ctx.contribute(b, true, (d, acc) => mm(dc, a, d, true, false, acc, n, m, k));
    } else if (attrs.transposeA) {
      // C = Aᵀ·B (A is k×m): dA = B·dCᵀ (k×n · n×m), dB = A·dC (k×m · m×n).
      if (a.requiresGrad) ctx.contribute(a, true, (d, acc) => mm(b, dc, d, false, true, acc, k, n, m));
      if (b.requiresGrad) ctx.contribute(b, true, (d, acc) => mm(a, dc, d, false, false, acc, k, m, n));
    } else {
      // C = A·B: dA = dC·Bᵀ (m×n · n×k), dB = Aᵀ·dC (k×m · m×n).
      if (a.requiresGrad) ctx.contribute(a, true, (d, acc) => mm(dc, b, d, false, true, acc, m, n, k));
      if (b.requiresGrad) ctx.contribute(b, true, (d, acc) => mm(a, dc, d, true, false, acc, k, m, n));
    }
  },
};

const biasAddDef: OpDef<'biasAdd'> = {
  shapes([x, b]) {
    if (b.rows * b.cols !== x.cols) fail(`biasAdd: bias ${b.name} has ${b.rows * b.cols} values for ${x.cols} columns`);
    return [[x.rows, x.cols]];
  },
  grad({ inputs: [x, b], outputs: [y] }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy) return;
    if (x.requiresGrad) ctx.pass(x, dy);
    if (b.requiresGrad) {
      ctx.contribute(b, true, (d, acc) => ({ op: 'biasGrad', attrs: { accumulate: acc }, inputs: [dy.buf], outputs: [d.buf], dims: { rows: y.rows, cols: y.cols } }));
    }
  },
};

function sameShape(op: string, ts: Tensor[]): Array<[number, number]> {
  const [a] = ts;
  for (const t of ts) if (t.rows !== a.rows || t.cols !== a.cols) fail(`${op}: ${t.name} is ${t.rows}×${t.cols}, ${a.name} is ${a.rows}×${a.cols}`);
  return [[a.rows, a.cols]];
}

const addDef: OpDef<'add'> = {
  shapes: (ts) => sameShape('add', ts),
  grad({ inputs, outputs: [c] }, ctx) {
    const dc = ctx.gradOf(c);
    if (!dc) return;
    for (const t of inputs) if (t.requiresGrad) ctx.pass(t, dc);
  },
};

const mulDef: OpDef<'mul'> = {
  shapes: (ts) => sameShape('mul', ts),
  grad({ inputs: [a, b], outputs: [c] }, ctx) {
    const dc = ctx.gradOf(c);
    if (!dc) return;
    const size = c.rows * c.cols;
    // The MultiplyGate of the lectures: each input's gradient is upstream × the other input.
    if (a.requiresGrad) ctx.contribute(a, false, (d) => ({ op: 'mul', attrs: {}, inputs: [dc.buf, b.buf], outputs: [d.buf], dims: { size } }));
    if (b.requiresGrad) ctx.contribute(b, false, (d) => ({ op: 'mul', attrs: {}, inputs: [dc.buf, a.buf], outputs: [d.buf], dims: { size } }));
  },
};

const concatDef: OpDef<'concat'> = {
  shapes(ts, { widths }) {
    ts.forEach((t, i) => { if (t.cols !== widths[i] || t.rows !== ts[0].rows) fail(`concat: ${t.name} does not match its declared width`); });
    return [[ts[0].rows, widths.reduce((s, w) => s + w, 0)]];
  },
  grad({ inputs, outputs: [c], attrs }, ctx) {
    const dc = ctx.gradOf(c);
    if (!dc) return;
    const parts = inputs.map((t, i) => ctx.scratch(t.rows, t.cols, `${c.name}.dpart${i}`));
    ctx.emit({ op: 'concatGrad', attrs: { widths: attrs.widths, accumulate: false }, inputs: [dc.buf], outputs: parts.map((p) => p.buf), dims: { rows: c.rows, cols: c.cols } });
    inputs.forEach((t, i) => { if (t.requiresGrad) ctx.pass(t, parts[i]); });
  },
};

const activationDef: OpDef<'activation'> = {
  shapes: ([x]) => [[x.rows, x.cols]],
  grad({ inputs: [x], outputs: [y], attrs }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy || !x.requiresGrad) return;
    ctx.contribute(x, false, (d) => ({ op: 'activationGrad', attrs: { fn: attrs.fn, alpha: attrs.alpha }, inputs: [x.buf, y.buf, dy.buf], outputs: [d.buf], dims: { rows: x.rows, cols: x.cols } }));
  },
};

const dropoutDef: OpDef<'dropout'> = {
  shapes: ([x]) => [[x.rows, x.cols], [x.rows, x.cols]],
  grad({ inputs: [x], outputs: [y, mask] }, ctx) {
    const dy = ctx.gradOf(y);
    if (!dy || !x.requiresGrad) return;
    ctx.contribute(x, false, (d) => ({ op: 'mul', attrs: {}, inputs: [dy.buf, mask.buf], outputs: [d.buf], dims: { size: x.rows * x.cols } }));
  },
};

/** Every differentiable op's definition, by name. */
export const OP_DEFS: { [O in keyof ForwardAttrs]: OpDef<O> } = {
  matmul: matmulDef,
  biasAdd: biasAddDef,
  add: addDef,
  mul: mulDef,
  concat: concatDef,
  activation: activationDef,
  dropout: dropoutDef,
  ...CONV_OP_DEFS,
};

/** Whether an activation's gradient is a stand-in (step: straight-through), for user notices. */
export function isStraightThrough(fn: ActivationFn): boolean {
  return fn === 'step';
}
