// Batch normalization over the last axis (rows = batch·h·w, cols = channels) in passes of at
// most four storage buffers each: compatibility mode (OpenGL ES) may allow only four per stage,
// and training alone touches eight tensors. The passes share a per-op scratch buffer S: first
// SCRATCH_COLS·cols floats in column blocks named below, then two regions of column partials
// (columnSumWgsl.ts). Each pass reads what earlier passes of the same op wrote, and nothing of S
// survives the op, so one scratch buffer serves every batch-norm invocation of a program.
//
// Column sums run in two passes (chunk partials, then their totals), so a tall batch keeps the
// GPU busy; the variance is a second sweep over (x − mean)², as the CPU kernel computes it,
// rather than E[x²] − mean², which cancels.
import { columnPartialsWgsl, columnTotal, partialsSize, type ColumnPlan } from './columnSumWgsl';
import { f32, mapWgsl } from './mapWgsl';

/** Column blocks of the scratch buffer, by what they hold. */
export const SCRATCH = { var: 0, scale: 1, shift: 2, mean: 3, invStd: 4, gamma: 5, sumDy: 6, sumDyXhat: 7 } as const;
/** Floats of scratch per channel before the partials. */
const SCRATCH_COLS = 8;

const at = (block: keyof typeof SCRATCH, idx = 'c'): string => `S[${SCRATCH[block]}u * COLS + ${idx}]`;

/** Where the first and second regions of column partials start in S (WGSL u32 literals). */
const partials1 = (p: ColumnPlan): string => `${SCRATCH_COLS * p.cols}u`;
const partials2 = (p: ColumnPlan): string => `${SCRATCH_COLS * p.cols + partialsSize(p)}u`;

/** Floats of scratch a batch-norm op over this plan needs. */
export const batchNormScratch = (p: ColumnPlan): number => SCRATCH_COLS * p.cols + 2 * partialsSize(p);

/** The partial pass of Σ `value` into S's region `base`, with bindings `inputs` (read) and S. */
function partialsInto(name: string, p: ColumnPlan, inputs: string[], value: string, base: string, setup = ''): string {
  const decl = inputs.map((n, i) => `@group(0) @binding(${i}) var<storage, read> ${n}: array<f32>;`);
  decl.push(`@group(0) @binding(${inputs.length}) var<storage, read_write> S: array<f32>;`);
  return columnPartialsWgsl(name, p, decl.join('\n'), value, base, 'S', setup);
}

/** Training pass 1: partial sums of X. Bindings: 0 = X, 1 = S. */
export function bnSumWgsl(p: ColumnPlan): string {
  return partialsInto('batchNorm Σx', p, ['X'], 'X[r * COLS + c]', partials1(p));
}

/** Training pass 2: the batch mean. Bindings: 0 = mean, 1 = S. */
export function bnMeanWgsl(p: ColumnPlan): string {
  return mapWgsl({
    name: `batchNorm mean ${p.rows}x${p.cols}`, size: p.cols, inputs: [], outputs: ['MEAN', 'S'], prelude: `const COLS = ${p.cols}u;`,
    body: `let c = i;
  ${columnTotal(p, partials1(p), 'total', 'S')}
  let mean = total / ${f32(p.rows)};
  MEAN[c] = mean;
  ${at('mean')} = mean;`,
  });
}

/** Training pass 3: partial sums of (X − mean)². Bindings: 0 = X, 1 = S. */
export function bnSquaresWgsl(p: ColumnPlan): string {
  return partialsInto('batchNorm Σ(x − mean)²', p, ['X'], '(X[r * COLS + c] - mean) * (X[r * COLS + c] - mean)', partials2(p), `let mean = ${at('mean')};`);
}

/** Training pass 5: the moving statistics, in place (Keras). Bindings: 0 = S, 1 = movingMean, 2 = movingVar. */
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

/** Training pass 4: the biased variance, invStd and the affine factors. Bindings: 0 = gamma, 1 = beta, 2 = invStd, 3 = S. */
export function bnFactorsWgsl(p: ColumnPlan, epsilon: number): string {
  return mapWgsl({
    name: `batchNorm factors ${p.rows}x${p.cols} epsilon ${f32(epsilon)}`, size: p.cols, inputs: ['GAMMA', 'BETA'], outputs: ['INV', 'S'],
    prelude: `const COLS = ${p.cols}u;`,
    body: `let c = i;
  ${columnTotal(p, partials2(p), 'total', 'S')}
  ${at('var')} = total / ${f32(p.rows)};
  let inv = 1.0 / sqrt(${at('var')} + ${f32(epsilon)});
  INV[c] = inv;
  ${at('scale')} = GAMMA[c] * inv;
  ${at('shift')} = BETA[c];`,
  });
}

/**
 * Training pass 6, inference pass 3: Y = (X − m)·scale + shift per element, m = S.mean (training) or the moving mean copied there
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

/** Backward pass 2: partial sums of dY. Bindings: 0 = dY, 1 = S. */
export function bnGradSumDyWgsl(p: ColumnPlan): string {
  return partialsInto('batchNormGrad Σdy', p, ['DY'], 'DY[r * COLS + c]', partials1(p));
}

/** Backward pass 3: partial sums of dY·x̂. Bindings: 0 = X, 1 = dY, 2 = S. */
export function bnGradSumDyXhatWgsl(p: ColumnPlan): string {
  return partialsInto('batchNormGrad Σdy·x̂', p, ['X', 'DY'], 'DY[r * COLS + c] * (X[r * COLS + c] - mean) * inv', partials2(p),
    `let mean = ${at('mean')};\n    let inv = ${at('invStd')};`);
}

/** Backward pass 4: dGamma = Σ dY·x̂, dBeta = Σ dY (always written, and kept in S). Bindings: 0 = S, 1 = dGamma, 2 = dBeta. */
export function bnGradParamsWgsl(p: ColumnPlan): string {
  return mapWgsl({
    name: `batchNormGrad params ${p.rows}x${p.cols}`, size: p.cols, inputs: [], outputs: ['S', 'DG', 'DB'], prelude: `const COLS = ${p.cols}u;`,
    body: `let c = i;
  ${columnTotal(p, partials1(p), 'sumDy', 'S')}
  ${columnTotal(p, partials2(p), 'sumDyXhat', 'S')}
  ${at('sumDy')} = sumDy;
  ${at('sumDyXhat')} = sumDyXhat;
  DG[c] = sumDyXhat;
  DB[c] = sumDy;`,
  });
}

/**
 * Backward pass 5: dX = gamma·invStd·(dY − mean(dY) − x̂·mean(dY·x̂)) (=|+=).
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
