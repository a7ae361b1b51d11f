// The loss op in one dispatch: one workgroup computes every element's gradient and reduces the
// loss to a scalar in workgroup memory. Batches are small (rows × output width), so a single
// workgroup is enough, and it leaves the loss on the device: the training loop reads it once per
// epoch. Forms match the CPU kernels: from-logits losses never take the log of a probability.
import type { LossKind } from '../../backend';
import { f32, MATH_WGSL } from './mapWgsl';

/** Keras' clip for probabilities fed to plain (non-logit) cross-entropy, as on the CPU. */
const PROB_EPS = 1e-7;
const WG = 64;

/** WGSL for the loss op. Bindings: 0 = pred, 1 = target, 2 = loss (1 element), 3 = dPred. */
export function lossWgsl(kind: LossKind, rows: number, cols: number, accumulate: boolean): string {
  const size = rows * cols;
  // bce/sigmoidBceLogits/mse average over every element; ce kinds sum columns, average rows.
  const perRow = kind === 'softmaxCeLogits' || kind === 'ce';
  const inv = f32(1 / (perRow ? rows : size));
  const lo = f32(PROB_EPS);
  const hi = f32(1 - PROB_EPS);
  let loop: string;
  switch (kind) {
    case 'sigmoidBceLogits':
      loop = `for (var i = lid; i < SIZE; i = i + ${WG}u) {
    let z = P[i]; let y = T[i];
    s = s + max(z, 0.0) - z * y + log1p_(exp(-abs(z)));
    D[i] = (sigmoid_(z) - y) * INV;
  }`;
      break;
    case 'softmaxCeLogits':
      loop = `for (var r = lid; r < ROWS; r = r + ${WG}u) {
    let o = r * COLS;
    var mx = P[o];
    for (var c = 1u; c < COLS; c = c + 1u) { mx = max(mx, P[o + c]); }
    var sum = 0.0;
    for (var c = 0u; c < COLS; c = c + 1u) { sum = sum + exp(P[o + c] - mx); }
    let lse = mx + log(sum);
    var ysum = 0.0;
    for (var c = 0u; c < COLS; c = c + 1u) { s = s + T[o + c] * (lse - P[o + c]); ysum = ysum + T[o + c]; }
    for (var c = 0u; c < COLS; c = c + 1u) { D[o + c] = (exp(P[o + c] - lse) * ysum - T[o + c]) * INV; }
  }`;
      break;
    case 'bce':
      loop = `for (var i = lid; i < SIZE; i = i + ${WG}u) {
    let q = clamp(P[i], ${lo}, ${hi}); let y = T[i];
    s = s - (y * log(q) + (1.0 - y) * log(1.0 - q));
    D[i] = ((q - y) / (q * (1.0 - q))) * INV;
  }`;
      break;
    case 'ce':
      loop = `for (var i = lid; i < SIZE; i = i + ${WG}u) {
    let q = clamp(P[i], ${lo}, ${hi}); let y = T[i];
    s = s - y * log(q);
    D[i] = (-y / q) * INV;
  }`;
      break;
    case 'mse':
      loop = `for (var i = lid; i < SIZE; i = i + ${WG}u) {
    let e = P[i] - T[i];
    s = s + e * e;
    D[i] = 2.0 * e * INV;
  }`;
      break;
  }
  return `// loss ${kind} ${rows}x${cols}${accumulate ? ' accumulate' : ''}
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<f32>;
@group(0) @binding(2) var<storage, read_write> L: array<f32>;
@group(0) @binding(3) var<storage, read_write> D: array<f32>;
const ROWS = ${rows}u;
const COLS = ${cols}u;
const SIZE = ${size}u;
const INV = ${inv};
${MATH_WGSL}
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  ${loop}
  part[lid] = s;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w) { part[lid] = part[lid] + part[lid + w]; }
    workgroupBarrier();
  }
  if (lid == 0u) { L[0] = ${accumulate ? 'L[0] + ' : ''}part[0] * INV; }
}
`;
}
