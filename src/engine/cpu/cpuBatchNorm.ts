/**
 * CPU kernels of batch normalization over the last axis (rows = batch·h·w, cols = channels):
 * training (batch statistics, Keras' moving-statistic update in place), inference (moving
 * statistics) and the training backward. Sums run in float64 scratch allocated at prepare time.
 */
import type { Invocation, Runnable } from '../backend';
import { cpuData } from './cpuBuffer';

/** Rows per block of the column sums: a block of 64 rows stays in L1 while its columns are summed. */
const ROW_BLOCK = 64;

/**
 * out[c] = Σ_r (x[r][c] − center[c])^power over rows×cols, power 1 or 2, in float64. Four
 * columns at a time in local sums over blocks of rows: summing into out[c] directly would be a
 * load and a store per element.
 */
function columnMoments(x: Float32Array, rows: number, cols: number, center: Float64Array, power: 1 | 2, out: Float64Array): void {
  out.fill(0);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      const m0 = center[c], m1 = center[c + 1], m2 = center[c + 2], m3 = center[c + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      const end = r1 * cols + c;
      if (power === 1) {
        for (let o = r0 * cols + c; o < end; o += cols) { s0 += x[o] - m0; s1 += x[o + 1] - m1; s2 += x[o + 2] - m2; s3 += x[o + 3] - m3; }
      } else {
        for (let o = r0 * cols + c; o < end; o += cols) {
          const d0 = x[o] - m0, d1 = x[o + 1] - m1, d2 = x[o + 2] - m2, d3 = x[o + 3] - m3;
          s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
        }
      }
      out[c] += s0; out[c + 1] += s1; out[c + 2] += s2; out[c + 3] += s3;
    }
    for (; c < cols; c++) {
      const m = center[c];
      let s = 0;
      for (let o = r0 * cols + c, end = r1 * cols + c; o < end; o += cols) { const d = x[o] - m; s += power === 1 ? d : d * d; }
      out[c] += s;
    }
  }
}

/** out[c] = Σ_r dy[r][c]·(x[r][c] − mean[c]), blocked as columnMoments. */
function dyXSums(x: Float32Array, dy: Float32Array, rows: number, cols: number, mean: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      const m0 = mean[c], m1 = mean[c + 1], m2 = mean[c + 2], m3 = mean[c + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let o = r0 * cols + c, end = r1 * cols + c; o < end; o += cols) {
        s0 += dy[o] * (x[o] - m0); s1 += dy[o + 1] * (x[o + 1] - m1); s2 += dy[o + 2] * (x[o + 2] - m2); s3 += dy[o + 3] * (x[o + 3] - m3);
      }
      out[c] += s0; out[c + 1] += s1; out[c + 2] += s2; out[c + 3] += s3;
    }
    for (; c < cols; c++) {
      const m = mean[c];
      let s = 0;
      for (let o = r0 * cols + c, end = r1 * cols + c; o < end; o += cols) s += dy[o] * (x[o] - m);
      out[c] += s;
    }
  }
}

/**
 * y[r][c] (+)= a[c]·u[r][c] + b[c]·v[r][c] + k[c] (v and b may be omitted), four columns at a
 * time over blocks of rows with the column factors in locals: about twice as fast as a row
 * loop that reads the factors from their arrays for every element (measured).
 */
function columnsAffine(y: Float32Array, u: Float32Array, a: Float64Array, v: Float32Array | null, b: Float64Array | null, k: Float64Array, rows: number, cols: number, accumulate: boolean): void {
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      const a0 = a[c], a1 = a[c + 1], a2 = a[c + 2], a3 = a[c + 3];
      const k0 = k[c], k1 = k[c + 1], k2 = k[c + 2], k3 = k[c + 3];
      const end = r1 * cols + c;
      if (v && b) {
        const b0 = b[c], b1 = b[c + 1], b2 = b[c + 2], b3 = b[c + 3];
        if (accumulate) {
          for (let o = r0 * cols + c; o < end; o += cols) {
            y[o] += a0 * u[o] + b0 * v[o] + k0; y[o + 1] += a1 * u[o + 1] + b1 * v[o + 1] + k1;
            y[o + 2] += a2 * u[o + 2] + b2 * v[o + 2] + k2; y[o + 3] += a3 * u[o + 3] + b3 * v[o + 3] + k3;
          }
        } else {
          for (let o = r0 * cols + c; o < end; o += cols) {
            y[o] = a0 * u[o] + b0 * v[o] + k0; y[o + 1] = a1 * u[o + 1] + b1 * v[o + 1] + k1;
            y[o + 2] = a2 * u[o + 2] + b2 * v[o + 2] + k2; y[o + 3] = a3 * u[o + 3] + b3 * v[o + 3] + k3;
          }
        }
      } else {
        for (let o = r0 * cols + c; o < end; o += cols) {
          y[o] = a0 * u[o] + k0; y[o + 1] = a1 * u[o + 1] + k1; y[o + 2] = a2 * u[o + 2] + k2; y[o + 3] = a3 * u[o + 3] + k3;
        }
      }
    }
    for (; c < cols; c++) {
      const ac = a[c], bc = b ? b[c] : 0, kc = k[c];
      for (let o = r0 * cols + c, end = r1 * cols + c; o < end; o += cols) {
        const d = ac * u[o] + (v ? bc * v[o] : 0) + kc;
        y[o] = accumulate ? y[o] + d : d;
      }
    }
  }
}

/**
 * Training: Y = gamma·(X − mean)·invStd + beta with the batch's mean and biased variance.
 * in [X, gamma, beta], out [Y, mean, invStd, movingMean, movingVar]; dims {rows, cols}.
 */
export function batchNormKernel(inv: Invocation<'batchNorm'>): Runnable {
  const [X, gamma, beta] = inv.inputs.map(cpuData);
  const [Y, mean, invStd, movingMean, movingVar] = inv.outputs.map(cpuData);
  const { rows = 1, cols = 1 } = inv.dims;
  const { epsilon, momentum } = inv.attrs;
  const zero = new Float64Array(cols);
  const mu = new Float64Array(cols);
  const v = new Float64Array(cols);
  return () => {
    columnMoments(X, rows, cols, zero, 1, mu);
    for (let c = 0; c < cols; c++) mu[c] /= rows;
    // Two passes: the variance of centred values, not E[x²] − E[x]², which cancels badly.
    columnMoments(X, rows, cols, mu, 2, v);
    for (let c = 0; c < cols; c++) {
      const variance = v[c] / rows;
      mean[c] = mu[c];
      invStd[c] = 1 / Math.sqrt(variance + epsilon);
      movingMean[c] = momentum * movingMean[c] + (1 - momentum) * mu[c];
      movingVar[c] = momentum * movingVar[c] + (1 - momentum) * variance;
      // Reuse v as the per-column scale and mu as the shift: Y = X·scale + shift.
      const scale = gamma[c] / Math.sqrt(variance + epsilon);
      v[c] = scale;
      mu[c] = beta[c] - mu[c] * scale;
    }
    columnsAffine(Y, X, v, null, null, mu, rows, cols, false);
  };
}

/** Inference. in [X, gamma, beta, movingMean, movingVar], out [Y]; dims {rows, cols}. */
export function batchNormInferenceKernel(inv: Invocation<'batchNormInference'>): Runnable {
  const [X, gamma, beta, movingMean, movingVar] = inv.inputs.map(cpuData);
  const Y = cpuData(inv.outputs[0]);
  const { rows = 1, cols = 1 } = inv.dims;
  const { epsilon } = inv.attrs;
  const scale = new Float64Array(cols);
  const shift = new Float64Array(cols);
  return () => {
    for (let c = 0; c < cols; c++) {
      scale[c] = gamma[c] / Math.sqrt(movingVar[c] + epsilon);
      shift[c] = beta[c] - movingMean[c] * scale[c];
    }
    columnsAffine(Y, X, scale, null, null, shift, rows, cols, false);
  };
}

/**
 * Backward of training batch norm, with x̂ = (X − mean)·invStd and N = rows:
 * dBeta = Σ dY, dGamma = Σ dY·x̂, dX = gamma·invStd/N · (N·dY − dBeta − x̂·dGamma).
 * in [X, dY, gamma, mean, invStd], out [dX, dGamma, dBeta]; dims {rows, cols}.
 */
export function batchNormGradKernel(inv: Invocation<'batchNormGrad'>): Runnable {
  const [X, dY, gamma, mean, invStd] = inv.inputs.map(cpuData);
  const [dX, dGamma, dBeta] = inv.outputs.map(cpuData);
  const { rows = 1, cols = 1 } = inv.dims;
  const accumulate = inv.attrs.accumulate;
  const zero = new Float64Array(cols);
  const mu = new Float64Array(cols);
  const sb = new Float64Array(cols);
  const sg = new Float64Array(cols);
  const ca = new Float64Array(cols);
  const cb = new Float64Array(cols);
  return () => {
    for (let c = 0; c < cols; c++) mu[c] = mean[c];
    columnMoments(dY, rows, cols, zero, 1, sb);
    dyXSums(X, dY, rows, cols, mu, sg);
    const invN = 1 / rows;
    for (let c = 0; c < cols; c++) {
      const is = invStd[c];
      sg[c] *= is;
      dBeta[c] = sb[c];
      dGamma[c] = sg[c];
      // dX = a·dY + b·(X − mean) + k per column: a = gamma·invStd, b = −a·invStd·dGamma/N,
      // k = −a·dBeta/N; the shift by the mean folds into k (float64: no cancellation to speak of).
      const a = gamma[c] * is, b = -a * is * sg[c] * invN;
      ca[c] = a;
      cb[c] = b;
      sb[c] = -a * sb[c] * invN - b * mu[c];
    }
    columnsAffine(dX, dY, ca, X, cb, sb, rows, cols, accumulate);
  };
}
