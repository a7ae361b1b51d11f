/**
 * Naive reference implementations of the image ops (conv2d, pooling, batch norm), written
 * straight from the op contracts in src/engine/backend.ts in float64, with loops in the most
 * literal order: the backward ops scatter (each output cell pushes into the cells it read),
 * unlike the gather-style GPU kernels, so the two share no indexing logic.
 * Each takes the buffers' contents (inputs, then outputs as they are before the op) and returns
 * the outputs after it.
 */
import type { OpAttrs, Window2D } from '../../../src/engine/backend';

type Conv = Window2D & { filters: number };

/** Visits every (batch, output cell, kernel tap) whose input cell lies inside the image. */
function eachTap(g: Window2D, rows: number, visit: (b: number, oy: number, ox: number, ky: number, kx: number, y: number, x: number) => void): void {
  for (let b = 0; b < rows; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ky = 0; ky < g.kh; ky++) {
          for (let kx = 0; kx < g.kw; kx++) {
            const y = oy * g.sh + ky - g.padTop, x = ox * g.sw + kx - g.padLeft;
            if (y >= 0 && y < g.h && x >= 0 && x < g.w) visit(b, oy, ox, ky, kx, y, x);
          }
        }
      }
    }
  }
}

const xAt = (g: Window2D, b: number, y: number, x: number, ch: number): number => ((b * g.h + y) * g.w + x) * g.c + ch;
const yAt = (g: Window2D, b: number, oy: number, ox: number, ch: number, width: number): number => ((b * g.oh + oy) * g.ow + ox) * width + ch;
const wAt = (g: Window2D, f: number, ky: number, kx: number, ch: number): number => ((f * g.kh + ky) * g.kw + kx) * g.c + ch;

export function conv2dRef(a: Conv, rows: number, [x, w]: Float32Array[]): Float32Array[] {
  const y = new Float64Array(rows * a.oh * a.ow * a.filters);
  eachTap(a, rows, (b, oy, ox, ky, kx, iy, ix) => {
    for (let f = 0; f < a.filters; f++) {
      for (let ch = 0; ch < a.c; ch++) y[yAt(a, b, oy, ox, f, a.filters)] += x[xAt(a, b, iy, ix, ch)] * w[wAt(a, f, ky, kx, ch)];
    }
  });
  return [Float32Array.from(y)];
}

export function conv2dGradInputRef(a: OpAttrs['conv2dGradInput'], rows: number, [dy, w, dx0]: Float32Array[]): Float32Array[] {
  const dx = a.accumulate ? Float64Array.from(dx0) : new Float64Array(dx0.length);
  eachTap(a, rows, (b, oy, ox, ky, kx, iy, ix) => {
    for (let f = 0; f < a.filters; f++) {
      for (let ch = 0; ch < a.c; ch++) dx[xAt(a, b, iy, ix, ch)] += dy[yAt(a, b, oy, ox, f, a.filters)] * w[wAt(a, f, ky, kx, ch)];
    }
  });
  return [Float32Array.from(dx)];
}

export function conv2dGradWeightRef(a: OpAttrs['conv2dGradWeight'], rows: number, [x, dy, dw0]: Float32Array[]): Float32Array[] {
  const dw = a.accumulate ? Float64Array.from(dw0) : new Float64Array(dw0.length);
  eachTap(a, rows, (b, oy, ox, ky, kx, iy, ix) => {
    for (let f = 0; f < a.filters; f++) {
      for (let ch = 0; ch < a.c; ch++) dw[wAt(a, f, ky, kx, ch)] += x[xAt(a, b, iy, ix, ch)] * dy[yAt(a, b, oy, ox, f, a.filters)];
    }
  });
  return [Float32Array.from(dw)];
}

/** For each output cell: the window's result and the cell that receives its gradient with its weight. */
function windows(a: OpAttrs['pool2d'], rows: number, x: Float32Array, visit: (out: number, value: number, grads: [number, number][]) => void): void {
  for (let b = 0; b < rows; b++) {
    for (let oy = 0; oy < a.oh; oy++) {
      for (let ox = 0; ox < a.ow; ox++) {
        for (let ch = 0; ch < a.c; ch++) {
          const cells: number[] = [];
          for (let ky = 0; ky < a.kh; ky++) {
            for (let kx = 0; kx < a.kw; kx++) {
              const y = oy * a.sh + ky - a.padTop, xx = ox * a.sw + kx - a.padLeft;
              if (y >= 0 && y < a.h && xx >= 0 && xx < a.w) cells.push(xAt(a, b, y, xx, ch));
            }
          }
          const out = yAt(a, b, oy, ox, ch, a.c);
          if (a.mode === 'max') {
            let best = cells[0];
            for (const j of cells) if (x[j] > x[best]) best = j; // strict: the first largest wins
            visit(out, x[best], [[best, 1]]);
          } else {
            visit(out, cells.reduce((s, j) => s + x[j], 0) / cells.length, cells.map((j) => [j, 1 / cells.length]));
          }
        }
      }
    }
  }
}

export function pool2dRef(a: OpAttrs['pool2d'], rows: number, [x]: Float32Array[]): Float32Array[] {
  const y = new Float32Array(rows * a.oh * a.ow * a.c);
  windows(a, rows, x, (out, value) => (y[out] = value));
  return [y];
}

export function pool2dGradRef(a: OpAttrs['pool2dGrad'], rows: number, [x, dy, dx0]: Float32Array[]): Float32Array[] {
  const dx = a.accumulate ? Float64Array.from(dx0) : new Float64Array(dx0.length);
  windows(a, rows, x, (out, _value, grads) => {
    for (const [j, weight] of grads) dx[j] += dy[out] * weight;
  });
  return [Float32Array.from(dx)];
}

/** Per-column mean and biased variance. */
function columnStats(x: Float32Array, rows: number, cols: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(cols), variance = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c] / rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) variance[c] += (x[r * cols + c] - mean[c]) ** 2 / rows;
  return { mean, variance };
}

export function batchNormRef(a: OpAttrs['batchNorm'], rows: number, cols: number, [x, gamma, beta, , , , movingMean, movingVar]: Float32Array[]): Float32Array[] {
  const { mean, variance } = columnStats(x, rows, cols);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + a.epsilon));
  const y = x.map((v, i) => gamma[i % cols] * (v - mean[i % cols]) * invStd[i % cols] + beta[i % cols]);
  const mm = movingMean.map((m, c) => a.momentum * m + (1 - a.momentum) * mean[c]);
  const mv = movingVar.map((m, c) => a.momentum * m + (1 - a.momentum) * variance[c]);
  return [y, Float32Array.from(mean), Float32Array.from(invStd), mm, mv];
}

export function batchNormInferenceRef(a: OpAttrs['batchNormInference'], cols: number, [x, gamma, beta, mm, mv]: Float32Array[]): Float32Array[] {
  return [x.map((v, i) => gamma[i % cols] * (v - mm[i % cols]) / Math.sqrt(mv[i % cols] + a.epsilon) + beta[i % cols])];
}

/** The textbook backward: dX = γ·invStd/N·(N·dY − Σ dY − x̂·Σ dY·x̂). */
export function batchNormGradRef(a: OpAttrs['batchNormGrad'], rows: number, cols: number, [x, dy, gamma, mean, invStd, dx0]: Float32Array[]): Float32Array[] {
  const xhat = (i: number): number => (x[i] - mean[i % cols]) * invStd[i % cols];
  const dBeta = new Float64Array(cols), dGamma = new Float64Array(cols);
  for (let i = 0; i < rows * cols; i++) {
    dBeta[i % cols] += dy[i];
    dGamma[i % cols] += dy[i] * xhat(i);
  }
  const dx = x.map((_v, i) => {
    const c = i % cols;
    const d = (gamma[c] * invStd[c] / rows) * (rows * dy[i] - dBeta[c] - xhat(i) * dGamma[c]);
    return a.accumulate ? dx0[i] + d : d;
  });
  return [dx, Float32Array.from(dGamma), Float32Array.from(dBeta)];
}
