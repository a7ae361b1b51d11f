/**
 * CPU kernels of batch normalization over the last axis (rows = batch·h·w, cols = channels):
 * training (batch statistics, Keras' moving-statistic update in place), inference (moving
 * statistics) and the training backward. Sums run in float64 scratch allocated at prepare time.
 */
import type { Invocation, Runnable } from '../backend';
import { cpuData } from './cpuBuffer';

/** Column sums of x (rows×cols) into s, in float64. */
function columnSums(x: Float32Array, rows: number, cols: number, s: Float64Array): void {
  s.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) s[c] += x[o + c];
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
  const mu = new Float64Array(cols);
  const v = new Float64Array(cols);
  return () => {
    columnSums(X, rows, cols, mu);
    for (let c = 0; c < cols; c++) mu[c] /= rows;
    // Two passes: the variance of centred values, not E[x²] − E[x]², which cancels badly.
    v.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) { const d = X[o + c] - mu[c]; v[c] += d * d; }
    }
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
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) Y[o + c] = X[o + c] * v[c] + mu[c];
    }
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
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) Y[o + c] = X[o + c] * scale[c] + shift[c];
    }
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
  const sb = new Float64Array(cols);
  const sg = new Float64Array(cols);
  return () => {
    sb.fill(0);
    sg.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) {
        const d = dY[o + c];
        sb[c] += d;
        sg[c] += d * (X[o + c] - mean[c]) * invStd[c];
      }
    }
    for (let c = 0; c < cols; c++) { dBeta[c] = sb[c]; dGamma[c] = sg[c]; }
    const invN = 1 / rows;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let c = 0; c < cols; c++) {
        const is = invStd[c];
        const xhat = (X[o + c] - mean[c]) * is;
        const d = gamma[c] * is * (dY[o + c] - (sb[c] + xhat * sg[c]) * invN);
        dX[o + c] = accumulate ? dX[o + c] + d : d;
      }
    }
  };
}
