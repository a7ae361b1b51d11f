/**
 * im2col and its adjoint col2im over channels-last images: the lowering that turns a 2-D
 * convolution into one matrix product. Row p of the column matrix is output pixel p (sample n,
 * row oy, column ox, flattened as n·oh·ow + oy·ow + ox) and holds the kh×kw×c input cells under
 * the kernel there, in the weights' [kh][kw][c] order; cells in the padding are zeros.
 *
 * Both work on a range [p0, p1) of output pixels, so a caller can lower a batch in chunks and
 * keep the column matrix under a fixed size whatever the batch.
 */
import type { Window2D } from '../backend';

/** Floats of one im2col chunk: 2²¹ floats = 8 MiB, whatever the batch or image size. */
export const IM2COL_CAP_FLOATS = 1 << 21;

/** Output pixels per chunk so that pixels × K stays within `capFloats` (at least one pixel). */
export function im2colChunkPixels(totalPixels: number, K: number, capFloats = IM2COL_CAP_FLOATS): number {
  return Math.max(1, Math.min(totalPixels, Math.floor(capFloats / K)));
}

/**
 * Below this many channels a kernel row's run of kw·c cells is too short to copy one pixel at a
 * time (an image's first layer: c = 1 or 3); byPlanes walks along output rows instead.
 */
export const FEW_CHANNELS = 4;

/**
 * im2col (or, with `adjoint`, col2im adding into X) for few channels: for each output-row
 * segment of [p0, p1) and each kernel cell (ky, kx, ch), one loop along the segment's pixels,
 * reading X at stride sw·c and writing the column matrix at stride `stride`, with the range of
 * pixels whose cell lies inside the image computed up front instead of tested per cell.
 */
function byPlanes(X: Float32Array, col: Float32Array, off: number, stride: number, g: Window2D, p0: number, p1: number, adjoint: boolean): void {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const ohw = oh * ow, rowFloats = w * c, imgFloats = h * rowFloats, step = sw * c;
  for (let p = p0; p < p1;) {
    const n = Math.floor(p / ohw);
    const oy = Math.floor((p - n * ohw) / ow);
    const oxA = p - n * ohw - oy * ow;
    const oxB = Math.min(ow, oxA + (p1 - p));
    const dBase = off + (p - p0) * stride;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - padTop + ky;
      const inside = iy >= 0 && iy < h;
      const rowBase = n * imgFloats + iy * rowFloats;
      for (let kx = 0; kx < kw; kx++) {
        // Pixels ox in [lo, hi) read column ix = ox·sw − padLeft + kx inside [0, w).
        const lo = inside ? Math.min(oxB, Math.max(oxA, Math.ceil((padLeft - kx) / sw))) : oxB;
        const hi = inside ? Math.min(oxB, Math.max(lo, Math.floor((w - 1 + padLeft - kx) / sw) + 1)) : oxB;
        for (let ch = 0; ch < c; ch++) {
          const d0 = dBase + (ky * kw + kx) * c + ch;
          let s = rowBase + (lo * sw - padLeft + kx) * c + ch;
          if (adjoint) {
            for (let d = d0 + (lo - oxA) * stride, e = d0 + (hi - oxA) * stride; d < e; d += stride, s += step) X[s] += col[d];
            continue;
          }
          for (let d = d0, e = d0 + (lo - oxA) * stride; d < e; d += stride) col[d] = 0;
          for (let d = d0 + (lo - oxA) * stride, e = d0 + (hi - oxA) * stride; d < e; d += stride, s += step) col[d] = X[s];
          for (let d = d0 + (hi - oxA) * stride, e = d0 + (oxB - oxA) * stride; d < e; d += stride) col[d] = 0;
        }
      }
    }
    p += oxB - oxA;
  }
}

/**
 * Writes rows p0..p1−1 of the column matrix of X into `col` at `off`, each row `stride` floats
 * apart (stride ≥ kh·kw·c; the floats past kh·kw·c in a row are left as they are).
 */
export function im2col(X: Float32Array, col: Float32Array, off: number, stride: number, g: Window2D, p0: number, p1: number): void {
  // Each path in a function of its own, so each hot loop is optimised for its own case.
  if (g.c < FEW_CHANNELS) byPlanes(X, col, off, stride, g, p0, p1, false);
  else byPixels(X, col, off, stride, g, p0, p1);
}

/** im2col one output pixel at a time, each kernel row inside the image copied as one run. */
function byPixels(X: Float32Array, col: Float32Array, off: number, stride: number, g: Window2D, p0: number, p1: number): void {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const ohw = oh * ow, rowFloats = w * c, imgFloats = h * rowFloats;
  let n = Math.floor(p0 / ohw);
  let oy = Math.floor((p0 - n * ohw) / ow);
  let ox = p0 - n * ohw - oy * ow;
  for (let p = p0; p < p1; p++) {
    let o = off + (p - p0) * stride;
    const xBase = n * imgFloats;
    const iy0 = oy * sh - padTop, ix0 = ox * sw - padLeft;
    for (let ky = 0; ky < kh; ky++) {
      const iy = iy0 + ky;
      if (iy < 0 || iy >= h) {
        for (let e = o + kw * c; o < e; o++) col[o] = 0;
        continue;
      }
      const rowBase = xBase + iy * rowFloats;
      if (ix0 >= 0 && ix0 + kw <= w) {
        // The kernel row lies inside the image: its kw·c cells are one contiguous run of X.
        let s = rowBase + ix0 * c;
        for (let e = o + kw * c; o < e; o++) col[o] = X[s++];
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        const ix = ix0 + kx;
        if (ix < 0 || ix >= w) {
          for (let e = o + c; o < e; o++) col[o] = 0;
          continue;
        }
        let s = rowBase + ix * c;
        for (let e = o + c; o < e; o++) col[o] = X[s++];
      }
    }
    if (++ox === ow) { ox = 0; if (++oy === oh) { oy = 0; n++; } }
  }
}

/**
 * The adjoint of im2col: adds rows p0..p1−1 of the column-matrix gradient `dcol` (at `off`,
 * rows `stride` floats apart) onto the input gradient dX; padding cells are dropped.
 */
export function col2im(dcol: Float32Array, off: number, stride: number, dX: Float32Array, g: Window2D, p0: number, p1: number): void {
  if (g.c < FEW_CHANNELS) byPlanes(dX, dcol, off, stride, g, p0, p1, true);
  else byPixelsAdjoint(dcol, off, stride, dX, g, p0, p1);
}

/** col2im one output pixel at a time (the adjoint of byPixels). */
function byPixelsAdjoint(dcol: Float32Array, off: number, stride: number, dX: Float32Array, g: Window2D, p0: number, p1: number): void {
  const { h, w, c, kh, kw, sh, sw, padTop, padLeft, oh, ow } = g;
  const ohw = oh * ow, rowFloats = w * c, imgFloats = h * rowFloats;
  let n = Math.floor(p0 / ohw);
  let oy = Math.floor((p0 - n * ohw) / ow);
  let ox = p0 - n * ohw - oy * ow;
  for (let p = p0; p < p1; p++) {
    let o = off + (p - p0) * stride;
    const xBase = n * imgFloats;
    const iy0 = oy * sh - padTop, ix0 = ox * sw - padLeft;
    for (let ky = 0; ky < kh; ky++) {
      const iy = iy0 + ky;
      if (iy < 0 || iy >= h) { o += kw * c; continue; }
      const rowBase = xBase + iy * rowFloats;
      if (ix0 >= 0 && ix0 + kw <= w) {
        let s = rowBase + ix0 * c;
        for (let e = o + kw * c; o < e; o++) dX[s++] += dcol[o];
        continue;
      }
      for (let kx = 0; kx < kw; kx++) {
        const ix = ix0 + kx;
        if (ix < 0 || ix >= w) { o += c; continue; }
        let s = rowBase + ix * c;
        for (let e = o + c; o < e; o++) dX[s++] += dcol[o];
      }
    }
    if (++ox === ow) { ox = 0; if (++oy === oh) { oy = 0; n++; } }
  }
}
