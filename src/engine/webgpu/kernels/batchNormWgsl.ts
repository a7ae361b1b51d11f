// Batch normalization over the last axis (rows = batch·h·w, cols = channels) in passes of at
// most four storage buffers each: compatibility mode (OpenGL ES) may allow only four per stage,
// and training alone touches eight tensors. The passes share a per-op scratch buffer S of
// SCRATCH_COLS·cols floats whose column blocks are named below; each pass reads what earlier
// passes of the same op wrote, and nothing of S survives the op, so one scratch buffer can serve
// every batch-norm invocation of a program.
//
// Column statistics are reduced by one workgroup per channel: 64 invocations stride over the
// rows, then sum their partials in a tree; the variance is a second sweep over (x − mean)², as
// the CPU kernel computes it, rather than E[x²] − mean², which cancels.
import { WORKGROUP_SIZE } from '../gpuRuntime';
import { f32, mapWgsl } from './mapWgsl';

/** Column blocks of the scratch buffer, by what they hold. */
export const SCRATCH = { var: 0, scale: 1, shift: 2, mean: 3, invStd: 4, gamma: 5, sumDy: 6, sumDyXhat: 7 } as const;
/** Floats of scratch per channel. */
export const SCRATCH_COLS = 8;

const at = (block: keyof typeof SCRATCH, idx = 'c'): string => `S[${SCRATCH[block]}u * COLS + ${idx}]`;

/**
 * sumN(v, t): the workgroup's total of v (every invocation calls it; all get the total). Each
 * reduction of a kernel has its own workgroup array: Mesa's GLSL route may sink a load of the
 * total past the closing barrier, where a next reduction reusing the array would overwrite it.
 */
function sumFn(n: number): string {
  return `var<workgroup> part${n}: array<f32, ${WORKGROUP_SIZE}>;
fn sum${n}(v: f32, t: u32) -> f32 {
  part${n}[t] = v;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (t < half) { part${n}[t] = part${n}[t] + part${n}[t + half]; }
    workgroupBarrier();
  }
  return part${n}[0];
}`;
}

/** A kernel with one workgroup per column that reduces over the rows; the body sees `c`, `t`, sum1(v, t) and sum2(v, t). */
function columnReduceWgsl(name: string, rows: number, cols: number, bindings: string, body: string): string {
  return `// ${name} ${rows}x${cols} one workgroup per column
${bindings}
const ROWS = ${rows}u;
const COLS = ${cols}u;
const WG = ${WORKGROUP_SIZE}u;
${[1, 2].map(sumFn).join('\n')}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let c = wg.x + wg.y * nwg.x;
  // Uniform across the workgroup (it depends on the workgroup id only), so barriers stay legal.
  if (c >= COLS) { return; }
  ${body}
}
`;
}

/** Training pass 1: the batch mean and biased variance per column. Bindings: 0 = X, 1 = mean, 2 = S. */
export function bnStatsWgsl(rows: number, cols: number): string {
  return columnReduceWgsl('batchNorm stats', rows, cols, `@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> MEAN: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;`, `var s = 0.0;
  for (var r = t; r < ROWS; r = r + WG) { s = s + X[r * COLS + c]; }
  let mean = sum1(s, t) / f32(ROWS);
  var q = 0.0;
  for (var r = t; r < ROWS; r = r + WG) { let d = X[r * COLS + c] - mean; q = q + d * d; }
  let variance = sum2(q, t) / f32(ROWS);
  if (t == 0u) {
    MEAN[c] = mean;
    ${at('var')} = variance;
    ${at('mean')} = mean;
  }`);
}

/** Training pass 2: the moving statistics, in place (Keras). Bindings: 0 = S, 1 = movingMean, 2 = movingVar. */
export function bnMovingWgsl(cols: number, momentum: number): string {
  const keep = f32(momentum), take = f32(1 - momentum);
  return mapWgsl({
    name: `batchNorm moving statistics momentum ${keep}`, size: cols, inputs: ['S'], outputs: ['MM', 'MV'],
    prelude: `const COLS = ${cols}u;`,
    body: `let c = i;
  MM[c] = ${keep} * MM[c] + ${take} * ${at('mean')};
  MV[c] = ${keep} * MV[c] + ${take} * ${at('var')};`,
  });
}

/** Training pass 3: invStd and the affine factors. Bindings: 0 = gamma, 1 = beta, 2 = invStd, 3 = S. */
export function bnFactorsWgsl(cols: number, epsilon: number): string {
  return mapWgsl({
    name: `batchNorm factors epsilon ${f32(epsilon)}`, size: cols, inputs: ['GAMMA', 'BETA'], outputs: ['INV', 'S'],
    prelude: `const COLS = ${cols}u;`,
    body: `let c = i;
  let inv = 1.0 / sqrt(${at('var')} + ${f32(epsilon)});
  INV[c] = inv;
  ${at('scale')} = GAMMA[c] * inv;
  ${at('shift')} = BETA[c];`,
  });
}

/**
 * Y = (X − m)·scale + shift per element, m = S.mean (training) or the moving mean copied there
 * (inference). Bindings: 0 = X, 1 = S, 2 = Y.
 */
export function bnApplyWgsl(rows: number, cols: number): string {
  return mapWgsl({
    name: `batchNorm apply ${rows}x${cols}`, size: rows * cols, inputs: ['X', 'S'], outputs: ['Y'],
    prelude: `const COLS = ${cols}u;`,
    body: `let c = i % COLS;
  Y[i] = (X[i] - ${at('mean')}) * ${at('scale')} + ${at('shift')};`,
  });
}

/**
 * Inference pass 1: scale = gamma/sqrt(movingVar + ε), mean = movingMean. Bindings: 0 = gamma,
 * 1 = movingMean, 2 = movingVar, 3 = S.
 */
export function bnInferenceFactorsWgsl(cols: number, epsilon: number): string {
  return mapWgsl({
    name: `batchNormInference factors epsilon ${f32(epsilon)}`, size: cols, inputs: ['GAMMA', 'MM', 'MV'], outputs: ['S'],
    prelude: `const COLS = ${cols}u;`,
    body: `let c = i;
  ${at('scale')} = GAMMA[c] / sqrt(MV[c] + ${f32(epsilon)});
  ${at('mean')} = MM[c];`,
  });
}

/** Inference pass 2: shift = beta. Bindings: 0 = beta, 1 = S. */
export function bnInferenceShiftWgsl(cols: number): string {
  return mapWgsl({
    name: 'batchNormInference shift', size: cols, inputs: ['BETA'], outputs: ['S'], prelude: `const COLS = ${cols}u;`,
    body: `${at('shift', 'i')} = BETA[i];`,
  });
}

/** Backward pass 1: gather mean, invStd, gamma into S. Bindings: 0 = mean, 1 = invStd, 2 = gamma, 3 = S. */
export function bnGradGatherWgsl(cols: number): string {
  return mapWgsl({
    name: 'batchNormGrad gather', size: cols, inputs: ['MEAN', 'INV', 'GAMMA'], outputs: ['S'], prelude: `const COLS = ${cols}u;`,
    body: `let c = i;
  ${at('mean')} = MEAN[c];
  ${at('invStd')} = INV[c];
  ${at('gamma')} = GAMMA[c];`,
  });
}

/** Backward pass 2: Σ dY and Σ dY·x̂ per column. Bindings: 0 = X, 1 = dY, 2 = S. */
export function bnGradSumsWgsl(rows: number, cols: number): string {
  return columnReduceWgsl('batchNormGrad sums', rows, cols, `@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;`, `let mean = ${at('mean')};
  let inv = ${at('invStd')};
  var a = 0.0;
  var b = 0.0;
  for (var r = t; r < ROWS; r = r + WG) {
    let dy = DY[r * COLS + c];
    a = a + dy;
    b = b + dy * (X[r * COLS + c] - mean) * inv;
  }
  let sumDy = sum1(a, t);
  let sumDyXhat = sum2(b, t);
  if (t == 0u) {
    ${at('sumDy')} = sumDy;
    ${at('sumDyXhat')} = sumDyXhat;
  }`);
}

/** Backward pass 3: dGamma = Σ dY·x̂, dBeta = Σ dY (always written). Bindings: 0 = S, 1 = dGamma, 2 = dBeta. */
export function bnGradParamsWgsl(cols: number): string {
  return mapWgsl({
    name: 'batchNormGrad params', size: cols, inputs: ['S'], outputs: ['DG', 'DB'], prelude: `const COLS = ${cols}u;`,
    body: `let c = i;
  DG[c] = ${at('sumDyXhat')};
  DB[c] = ${at('sumDy')};`,
  });
}

/**
 * Backward pass 4: dX = gamma·invStd·(dY − mean(dY) − x̂·mean(dY·x̂)) (=|+=).
 * Bindings: 0 = X, 1 = dY, 2 = S, 3 = dX.
 */
export function bnGradInputWgsl(rows: number, cols: number, accumulate: boolean): string {
  return mapWgsl({
    name: `batchNormGrad input ${rows}x${cols}${accumulate ? ' accumulate' : ''}`, size: rows * cols, inputs: ['X', 'DY', 'S'], outputs: ['DX'],
    prelude: `const COLS = ${cols}u;\nconst N = ${f32(rows)};`,
    body: `let c = i % COLS;
  let inv = ${at('invStd')};
  let xhat = (X[i] - ${at('mean')}) * inv;
  let d = ${at('gamma')} * inv * (DY[i] - ${at('sumDy')} / N - xhat * ${at('sumDyXhat')} / N);
  DX[i] = ${accumulate ? 'DX[i] + d' : 'd'};`,
  });
}
