// WGSL for the activation op and its backward, in the same forms as the CPU kernels
// (cpuActivations.ts) so the two backends agree to float32 rounding. Softmax is row-wise: one
// invocation per row, max-subtracted so large logits do not overflow.
import type { ActivationFn } from '../../backend';
import { f32, MATH_WGSL, mapWgsl } from './mapWgsl';
import { rowWgsl } from './rowWgsl';

/** WGSL for y = f(x) over rows×cols. Bindings: 0 = x, 1 = y. */
export function activationWgsl(fn: ActivationFn, alpha: number, rows: number, cols: number): string {
  if (fn === 'softmax') {
    return rowWgsl({
      name: 'softmax', rows, cols, inputs: ['X'], outputs: ['Y'],
      body: `
  var mx = X[o];
  for (var c = 1u; c < COLS; c = c + 1u) { mx = max(mx, X[o + c]); }
  var sum = 0.0;
  for (var c = 0u; c < COLS; c = c + 1u) { let e = exp(X[o + c] - mx); Y[o + c] = e; sum = sum + e; }
  let inv = 1.0 / sum;
  for (var c = 0u; c < COLS; c = c + 1u) { Y[o + c] = Y[o + c] * inv; }`,
    });
  }
  const a = f32(alpha);
  const expr: Record<Exclude<ActivationFn, 'softmax'>, string> = {
    linear: 'v',
    sigmoid: 'sigmoid_(v)',
    tanh: 'tanh_(v)',
    relu: 'max(v, 0.0)',
    leaky_relu: `select(${a} * v, v, v >= 0.0)`,
    elu: `select(${a} * expm1_(v), v, v >= 0.0)`,
    step: 'select(0.0, 1.0, v >= 0.0)',
  };
  return mapWgsl({
    name: `activation ${fn} alpha ${a}`, size: rows * cols, inputs: ['X'], outputs: ['Y'], prelude: MATH_WGSL,
    body: `let v = X[i];\n  Y[i] = ${expr[fn]};`,
  });
}

/**
 * WGSL for dx = f'(x)·dy (step: straight-through, dx = dy). Bindings: 0 = x, 1 = y, 2 = dy,
 * 3 = dx. Every kernel binds all three inputs so the invocation layout is one shape.
 */
export function activationGradWgsl(fn: ActivationFn, alpha: number, rows: number, cols: number): string {
  if (fn === 'softmax') {
    return rowWgsl({
      name: 'softmax grad', rows, cols, inputs: ['X', 'Y', 'DY'], outputs: ['DX'],
      body: `
  _ = X[0]; // keeps binding 0 in the 'auto' layout: every activationGrad binds (x, y, dy, dx)
  var dot = 0.0;
  for (var c = 0u; c < COLS; c = c + 1u) { dot = dot + DY[o + c] * Y[o + c]; }
  for (var c = 0u; c < COLS; c = c + 1u) { DX[o + c] = Y[o + c] * (DY[o + c] - dot); }`,
    });
  }
  const a = f32(alpha);
  const expr: Record<Exclude<ActivationFn, 'softmax'>, string> = {
    linear: 'g',
    step: 'g',
    sigmoid: 'g * Y[i] * (1.0 - Y[i])',
    tanh: 'g * (1.0 - Y[i] * Y[i])',
    relu: 'select(0.0, g, X[i] > 0.0)',
    leaky_relu: `select(${a} * g, g, X[i] > 0.0)`,
    elu: `select(g * (Y[i] + ${a}), g, X[i] > 0.0)`,
  };
  // Reference every binding so the 'auto' layout keeps all four (unused ones would be dropped);
  // a phony read of element 0 is enough and costs nothing per element.
  return mapWgsl({
    name: `activation grad ${fn} alpha ${a}`, size: rows * cols, inputs: ['X', 'Y', 'DY'], outputs: ['DX'],
    body: `let g = DY[i];\n  _ = X[0];\n  _ = Y[0];\n  DX[i] = ${expr[fn]};`,
  });
}
