/**
 * CPU kernels of pool2d (max and average, per channel, channels last) and its gradient.
 * Padding cells are ignored: max takes the largest cell inside the input, avg divides by the
 * number of window cells inside the input (Keras; PyTorch's count_include_pad=False). The
 * gradient of max goes to each window's first largest cell in row-major scan order, recomputed
 * from X; overlapping windows add up. 2×2 max pooling of stride 2 over channels divisible by 4
 * runs in wasm SIMD (simdMaxPool.ts), with the same results.
 */
import type { Invocation, Runnable } from '../backend';
import { cpuData } from './cpuBuffer';
import { simdMaxPool, simdMaxPoolFits, simdMaxPoolGrad } from './simdMaxPool';

/** Options for tests: whether to use the SIMD kernels where they fit (default: yes). */
export interface PoolKernelOptions {
  simd?: boolean;
}

/** Y = pool(X). in [X], out [Y]; dims {rows}. */
export function pool2dKernel(inv: Invocation<'pool2d'>, _ctx?: unknown, opts: PoolKernelOptions = {}): Runnable {
  const X = cpuData(inv.inputs[0]);
  const Y = cpuData(inv.outputs[0]);
  const g = inv.attrs;
  const rows = inv.dims.rows ?? 1;
  if ((opts.simd ?? true) && simdMaxPoolFits(g)) return simdMaxPool(X, Y, g, rows);
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const max = g.mode === 'max';
  const rowFloats = w * c;
  return () => {
    let o = 0;
    for (let n = 0; n < rows; n++) {
      const xBase = n * h * rowFloats;
      for (let oy = 0; oy < oh; oy++) {
        const y0 = Math.max(0, oy * sh - padTop), y1 = Math.min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++, o += c) {
          const x0 = Math.max(0, ox * sw - padLeft), x1 = Math.min(w, ox * sw - padLeft + kw);
          const count = (y1 - y0) * (x1 - x0);
          if (count <= 0) { Y.fill(0, o, o + c); continue; }
          // Channel by channel over the window's cells, the running value in a local.
          const first = xBase + y0 * rowFloats + x0 * c;
          const span = (x1 - x0) * c;
          if (max && count === 4 && kh === 2 && kw === 2) {
            // The common 2×2 window inside the image: four loads per channel.
            for (let ch = 0, a = first; ch < c; ch++, a++) {
              const b = a + rowFloats;
              Y[o + ch] = Math.max(X[a], X[a + c], X[b], X[b + c]);
            }
          } else if (max) {
            for (let ch = 0; ch < c; ch++) {
              let acc = -Infinity;
              for (let iy = y0, r = first + ch; iy < y1; iy++, r += rowFloats) {
                for (let s = r, e = r + span; s < e; s += c) if (X[s] > acc) acc = X[s];
              }
              Y[o + ch] = acc;
            }
          } else {
            const inv = 1 / count;
            for (let ch = 0; ch < c; ch++) {
              let acc = 0;
              for (let iy = y0, r = first + ch; iy < y1; iy++, r += rowFloats) {
                for (let s = r, e = r + span; s < e; s += c) acc += X[s];
              }
              Y[o + ch] = acc * inv;
            }
          }
        }
      }
    }
  };
}

/** dX (+)= the gradient of pool2d. in [X, dY], out [dX]; dims {rows}. */
export function pool2dGradKernel(inv: Invocation<'pool2dGrad'>, _ctx?: unknown, opts: PoolKernelOptions = {}): Runnable {
  const X = cpuData(inv.inputs[0]);
  const dY = cpuData(inv.inputs[1]);
  const dX = cpuData(inv.outputs[0]);
  const g = inv.attrs;
  const rows = inv.dims.rows ?? 1;
  if ((opts.simd ?? true) && simdMaxPoolFits(g)) return simdMaxPoolGrad(X, dY, dX, g, rows, g.accumulate);
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const max = g.mode === 'max';
  const accumulate = g.accumulate;
  const rowFloats = w * c;
  return () => {
    if (!accumulate) dX.fill(0, 0, rows * h * rowFloats);
    let o = 0;
    for (let n = 0; n < rows; n++) {
      const xBase = n * h * rowFloats;
      for (let oy = 0; oy < oh; oy++) {
        const y0 = Math.max(0, oy * sh - padTop), y1 = Math.min(h, oy * sh - padTop + kh);
        for (let ox = 0; ox < ow; ox++, o += c) {
          const x0 = Math.max(0, ox * sw - padLeft), x1 = Math.min(w, ox * sw - padLeft + kw);
          const count = (y1 - y0) * (x1 - x0);
          if (count <= 0) continue;
          const first = xBase + y0 * rowFloats + x0 * c;
          const span = (x1 - x0) * c;
          if (!max) {
            const inv = 1 / count;
            for (let ch = 0; ch < c; ch++) {
              const d = dY[o + ch] * inv;
              for (let iy = y0, r = first + ch; iy < y1; iy++, r += rowFloats) {
                for (let s = r, e = r + span; s < e; s += c) dX[s] += d;
              }
            }
            continue;
          }
          if (count === 4 && kh === 2 && kw === 2) {
            for (let ch = 0, a = first; ch < c; ch++, a++) {
              // Strict >, in scan order: the first largest cell takes the gradient.
              const b = a + rowFloats;
              let at = a, best = X[a];
              if (X[a + c] > best) { at = a + c; best = X[at]; }
              if (X[b] > best) { at = b; best = X[b]; }
              if (X[b + c] > best) at = b + c;
              dX[at] += dY[o + ch];
            }
            continue;
          }
          for (let ch = 0; ch < c; ch++) {
            // Strict >: the first largest cell in row-major scan order takes the gradient.
            let best = X[first + ch], at = first + ch;
            for (let iy = y0, r = first + ch; iy < y1; iy++, r += rowFloats) {
              for (let s = r, e = r + span; s < e; s += c) {
                const v = X[s];
                if (v > best) { best = v; at = s; }
              }
            }
            dX[at] += dY[o + ch];
          }
        }
      }
    }
  };
}
