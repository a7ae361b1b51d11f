// Optimizer updates and seeded dropout as element-wise WGSL. Optimizer hyper-parameters are
// baked in; what changes per step (Adam's bias corrections, dropout's step) comes from a small
// uniform the kernel's Runnable writes before the step is submitted.
import type { OpAttrs } from '../../backend';
import { f32, MATH_WGSL, mapWgsl } from './mapWgsl';

/** The regularised gradient g' = g + 2·l2·w + l1·sign(w), as WGSL over `G[i]` and `w`. */
function regularised(l1: number, l2: number): string {
  let g = 'G[i]';
  if (l2 !== 0) g += ` + ${f32(2 * l2)} * w`;
  if (l1 !== 0) g += ` + ${f32(l1)} * sign_(w)`;
  return g;
}

/** SGD (with momentum, optionally Nesterov). Bindings: 0 = grad, 1 = param, 2 = velocity (only with momentum). */
export function sgdWgsl(size: number, a: OpAttrs['sgdUpdate']): string {
  const lr = f32(a.lr);
  const mom = f32(a.momentum);
  const step =
    a.momentum === 0
      ? `W[i] = w - ${lr} * g;`
      : `let v = ${mom} * V[i] - ${lr} * g;\n  V[i] = v;\n  W[i] = w + ${a.nesterov ? `${mom} * v - ${lr} * g` : 'v'};`;
  return mapWgsl({
    name: `sgd lr ${lr} momentum ${mom}${a.nesterov ? ' nesterov' : ''} l1 ${a.l1} l2 ${a.l2}`, size,
    inputs: ['G'], outputs: a.momentum === 0 ? ['W'] : ['W', 'V'], prelude: MATH_WGSL,
    body: `let w = W[i];\n  let g = ${regularised(a.l1, a.l2)};\n  ${step}`,
  });
}

/**
 * Adam. Bindings: 0 = grad, 1 = param, 2 = m, 3 = v, 4 = uniform { lrc1: lr/(1−β1ᵗ), c2: 1/(1−β2ᵗ) }
 * (computed on the host in float64, as the CPU kernel does).
 */
export function adamWgsl(size: number, a: OpAttrs['adamUpdate']): string {
  const b1 = f32(a.beta1);
  const b2 = f32(a.beta2);
  return mapWgsl({
    name: `adam beta1 ${b1} beta2 ${b2} eps ${a.epsilon} l1 ${a.l1} l2 ${a.l2}`, size,
    inputs: ['G'], outputs: ['W', 'M', 'V'], uniform: ['lrc1: f32', 'c2: f32', 'pad0: f32', 'pad1: f32'], prelude: MATH_WGSL,
    body: `let w = W[i];
  let g = ${regularised(a.l1, a.l2)};
  let m = ${b1} * M[i] + ${f32(1 - a.beta1)} * g;
  let v = ${b2} * V[i] + ${f32(1 - a.beta2)} * g * g;
  M[i] = m;
  V[i] = v;
  W[i] = w - (U.lrc1 * m) / (sqrt(v * U.c2) + ${f32(a.epsilon)});`,
  });
}

/** Fills `out` with the uniform words Adam reads at step t (1-based) and returns it. */
export function adamUniform(a: OpAttrs['adamUpdate'], t: number, out = new Float32Array(4)): Float32Array {
  out[0] = a.lr / (1 - Math.pow(a.beta1, t));
  out[1] = 1 / (1 - Math.pow(a.beta2, t));
  return out;
}

/** RMSprop. Bindings: 0 = grad, 1 = param, 2 = mean square. */
export function rmspropWgsl(size: number, a: OpAttrs['rmspropUpdate']): string {
  const rho = f32(a.rho);
  return mapWgsl({
    name: `rmsprop lr ${a.lr} rho ${rho} eps ${a.epsilon} l1 ${a.l1} l2 ${a.l2}`, size,
    inputs: ['G'], outputs: ['W', 'S'], prelude: MATH_WGSL,
    body: `let w = W[i];
  let g = ${regularised(a.l1, a.l2)};
  let s = ${rho} * S[i] + ${f32(1 - a.rho)} * g * g;
  S[i] = s;
  W[i] = w - (${f32(a.lr)} * g) / (sqrt(s) + ${f32(a.epsilon)});`,
  });
}

/**
 * Inverted dropout with the engine's shared random stream (backend.ts dropoutUniform): the same
 * lowbias32 hash in u32 arithmetic, so WebGPU drops exactly the elements the CPU drops.
 * Bindings: 0 = x, 1 = y, 2 = mask, 3 = uniform { step }.
 */
export function dropoutWgsl(size: number, a: OpAttrs['dropout']): string {
  // u ≥ rate  ⟺  (h >> 8) ≥ rate·2²⁴  ⟺  (h >> 8) ≥ ceil(rate·2²⁴): an exact integer test.
  const threshold = Math.min(16777216, Math.max(0, Math.ceil(a.rate * 16777216)));
  const seedMix = ((a.seed ^ 0x9e3779b9) >>> 0).toString();
  return mapWgsl({
    name: `dropout rate ${a.rate} seed ${a.seed}`, size, inputs: ['X'], outputs: ['Y', 'MASK'],
    uniform: ['step: u32', 'pad0: u32', 'pad1: u32', 'pad2: u32'],
    prelude: `fn hash32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}`,
    body: `var h = hash32(${seedMix}u);
  h = hash32(h ^ U.step);
  h = hash32(h ^ i);
  let m = select(0.0, ${f32(a.rate < 1 ? 1 / (1 - a.rate) : 0)}, (h >> 8u) >= ${threshold}u);
  MASK[i] = m;
  Y[i] = X[i] * m;`,
  });
}
