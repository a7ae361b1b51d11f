/**
 * CPU kernels of pool2d (max and average, per channel, channels last) and its gradient.
 * Padding cells are ignored: max takes the largest cell inside the input, avg divides by the
 * number of window cells inside the input (Keras; PyTorch's count_include_pad=False). The
 * gradient of max goes to each window's first largest cell in row-major scan order, recomputed
 * from X; overlapping windows add up.
 */
import type { Invocation, Runnable, Window2D } from '../backend';
import { cpuData } from './cpuBuffer';

/** The window of output cell (oy, ox) clipped to the input: [y0, y1) × [x0, x1). */
function clip(g: Window2D, oy: number, ox: number, out: Int32Array): void {
  const y = oy * g.sh - g.padTop, x = ox * g.sw - g.padLeft;
  out[0] = Math.max(0, y);
  out[1] = Math.min(g.h, y + g.kh);
  out[2] = Math.max(0, x);
  out[3] = Math.min(g.w, x + g.kw);
}

/** Y = pool(X). in [X], out [Y]; dims {rows}. */
export function pool2dKernel(inv: Invocation<'pool2d'>): Runnable {
  const X = cpuData(inv.inputs[0]);
  const Y = cpuData(inv.outputs[0]);
  const g = inv.attrs;
  const rows = inv.dims.rows ?? 1;
  const { h, w, c, oh, ow } = g;
  const max = g.mode === 'max';
  const win = new Int32Array(4);
  return () => {
    for (let n = 0; n < rows; n++) {
      const xBase = n * h * w * c;
      let o = n * oh * ow * c;
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++, o += c) {
          clip(g, oy, ox, win);
          const y0 = win[0], y1 = win[1], x0 = win[2], x1 = win[3];
          const count = (y1 - y0) * (x1 - x0);
          if (count <= 0) { Y.fill(0, o, o + c); continue; }
          Y.fill(max ? -Infinity : 0, o, o + c);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const s = xBase + (iy * w + ix) * c;
              if (max) for (let ch = 0; ch < c; ch++) { const v = X[s + ch]; if (v > Y[o + ch]) Y[o + ch] = v; }
              else for (let ch = 0; ch < c; ch++) Y[o + ch] += X[s + ch];
            }
          }
          if (!max) { const inv = 1 / count; for (let ch = 0; ch < c; ch++) Y[o + ch] *= inv; }
        }
      }
    }
  };
}

/** dX (+)= the gradient of pool2d. in [X, dY], out [dX]; dims {rows}. */
export function pool2dGradKernel(inv: Invocation<'pool2dGrad'>): Runnable {
  const X = cpuData(inv.inputs[0]);
  const dY = cpuData(inv.inputs[1]);
  const dX = cpuData(inv.outputs[0]);
  const g = inv.attrs;
  const rows = inv.dims.rows ?? 1;
  const { h, w, c, oh, ow } = g;
  const max = g.mode === 'max';
  const accumulate = g.accumulate;
  const win = new Int32Array(4);
  // Per channel of one window: the largest value so far and where it is.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  return () => {
    if (!accumulate) dX.fill(0, 0, rows * h * w * c);
    for (let n = 0; n < rows; n++) {
      const xBase = n * h * w * c;
      let o = n * oh * ow * c;
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++, o += c) {
          clip(g, oy, ox, win);
          const y0 = win[0], y1 = win[1], x0 = win[2], x1 = win[3];
          const count = (y1 - y0) * (x1 - x0);
          if (count <= 0) continue;
          if (!max) {
            const inv = 1 / count;
            for (let iy = y0; iy < y1; iy++) {
              for (let ix = x0; ix < x1; ix++) {
                const s = xBase + (iy * w + ix) * c;
                for (let ch = 0; ch < c; ch++) dX[s + ch] += dY[o + ch] * inv;
              }
            }
            continue;
          }
          best.fill(-Infinity);
          at.fill(-1);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const s = xBase + (iy * w + ix) * c;
              for (let ch = 0; ch < c; ch++) {
                const v = X[s + ch];
                // Strict: the first largest cell in scan order keeps the gradient.
                if (v > best[ch] || at[ch] < 0) { best[ch] = v; at[ch] = s + ch; }
              }
            }
          }
          for (let ch = 0; ch < c; ch++) dX[at[ch]] += dY[o + ch];
        }
      }
    }
  };
}
