// 2-D convolution and its two gradients as implicit GEMMs (gemmWgsl.ts) over images stored
// channels last (NHWC). Pixel indices run over the batch: p = (b·H + y)·W + x. Unsigned
// arithmetic wraps, so a window cell above or left of the image (a negative coordinate) becomes
// a huge number and fails the same `< H` test as one past the bottom: one comparison per axis.
//
//   forward      Y  (pixels·oh·ow × F)  = im2col(X) (· × kh·kw·C)  · Wᵀ
//   grad input   dX (pixels·h·w  × C)   = gather(dY) (· × kh·kw·F) · W' (W as [kh][kw][F][C])
//   grad weight  dW (F × kh·kw·C)       = dYᵀ · im2col(X), split over the pixels then summed
//
// The input gradient is written gather-style (each dX cell sums the windows that cover it), so
// no two invocations write one cell and no atomics are needed.
import type { Window2D } from '../../backend';
import { gemmKChunk, GEMM_TILE, type GemmSpec } from './gemmWgsl';
import { mapWgsl } from './mapWgsl';

/** The window's geometry as WGSL constants. */
function geometryConsts(g: Window2D & { filters: number }): string {
  return [
    `const H = ${g.h}u;`, `const W = ${g.w}u;`, `const C = ${g.c}u;`,
    `const KH = ${g.kh}u;`, `const KW = ${g.kw}u;`, `const SH = ${g.sh}u;`, `const SW = ${g.sw}u;`,
    `const PT = ${g.padTop}u;`, `const PL = ${g.padLeft}u;`, `const OH = ${g.oh}u;`, `const OW = ${g.ow}u;`,
    `const F = ${g.filters}u;`,
  ].join('\n');
}

/** im2col(X)[p, k]: the input cell under kernel tap k = (ky·KW + kx)·C + ch of output pixel p. */
const IM2COL = `fn im2col(p: u32, k: u32) -> f32 {
  let ox = p % OW;
  let t = p / OW;
  let oy = t % OH;
  let b = t / OH;
  let ch = k % C;
  let tap = k / C;
  let y = oy * SH + tap / KW - PT;
  let x = ox * SW + tap % KW - PL;
  if (y >= H || x >= W) { return 0.0; }
  return X[((b * H + y) * W + x) * C + ch];
}`;

const shapeName = (g: Window2D & { filters: number }, rows: number): string =>
  `${rows}x${g.h}x${g.w}x${g.c} k${g.kh}x${g.kw} s${g.sh}x${g.sw} pad${g.padTop},${g.padLeft} out${g.oh}x${g.ow}x${g.filters}`;

/** Y = conv(X, W). Bindings: 0 = X, 1 = W, 2 = Y. */
export function conv2dSpec(g: Window2D & { filters: number }, rows: number): GemmSpec {
  return {
    name: `conv2d ${shapeName(g, rows)}`, m: rows * g.oh * g.ow, k: g.kh * g.kw * g.c, n: g.filters,
    aContiguous: 'k', bContiguous: 'k',
    prelude: `@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> Wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
${geometryConsts(g)}
${IM2COL}
fn loadA(m: u32, k: u32) -> f32 { return im2col(m, k); }
fn loadB(k: u32, n: u32) -> f32 { return Wt[n * K + k]; }
fn store(m: u32, n: u32, split: u32, v: f32) { Y[m * N + n] = v; }`,
  };
}

/**
 * dX of conv2d. Bindings: 0 = dY, 1 = W, 2 = dX. Row p = (b·H + y)·W + x, column ch; the K index
 * (ky·KW + kx)·F + f picks dY at the output pixel whose window puts tap (ky, kx) on (y, x), if
 * the stride lands there and the pixel exists.
 */
export function conv2dGradInputSpec(g: Window2D & { filters: number }, rows: number, accumulate: boolean): GemmSpec {
  return {
    name: `conv2dGradInput ${shapeName(g, rows)}${accumulate ? ' accumulate' : ''}`, m: rows * g.h * g.w, k: g.kh * g.kw * g.filters, n: g.c,
    aContiguous: 'k', bContiguous: 'n',
    prelude: `@group(0) @binding(0) var<storage, read> DY: array<f32>;
@group(0) @binding(1) var<storage, read> Wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> DX: array<f32>;
${geometryConsts(g)}
fn loadA(m: u32, k: u32) -> f32 {
  let x = m % W;
  let t = m / W;
  let y = t % H;
  let b = t / H;
  let f = k % F;
  let tap = k / F;
  let ty = y + PT - tap / KW;
  let tx = x + PL - tap % KW;
  let oy = ty / SH;
  let ox = tx / SW;
  if (oy * SH != ty || ox * SW != tx || oy >= OH || ox >= OW) { return 0.0; }
  return DY[((b * OH + oy) * OW + ox) * F + f];
}
fn loadB(k: u32, n: u32) -> f32 {
  let f = k % F;
  let tap = k / F;
  return Wt[(f * KH * KW + tap) * C + n];
}
fn store(m: u32, n: u32, split: u32, v: f32) { ${accumulate ? 'DX[m * N + n] = DX[m * N + n] + v;' : 'DX[m * N + n] = v;'} }`,
  };
}

/** How a weight gradient is split over the batch's pixels, and the scratch that needs. */
export interface GradWeightPlan {
  spec: GemmSpec;
  /** K slices; 1 writes dW directly, more write partial sums for convGradReduceWgsl. */
  splits: number;
  /** Floats of scratch the partial sums need (0 when not split). */
  scratch: number;
}

/** Most scratch a split weight gradient may use (floats): 16 MiB. */
const MAX_SPLIT_SCRATCH = 4 * 2 ** 20;
/** Fewest pixels one K slice sums (shorter slices cost more in partial sums than they gain). */
const MIN_SLICE = 256;
/** Workgroups a weight gradient aims for, so a GPU's cores all have work. */
const TARGET_GROUPS = 256;

/**
 * dW of conv2d: rows F, columns kh·kw·C, summed over every output pixel of the batch. Bindings
 * when not split: 0 = X, 1 = dY, 2 = dW; when split: 0 = X, 1 = dY, 2 = scratch (partials).
 */
export function conv2dGradWeightPlan(g: Window2D & { filters: number }, rows: number, accumulate: boolean): GradWeightPlan {
  const m = g.filters, n = g.kh * g.kw * g.c, k = rows * g.oh * g.ow;
  const tiles = Math.ceil(m / GEMM_TILE) * Math.ceil(n / GEMM_TILE);
  let splits = Math.max(1, Math.min(Math.ceil(TARGET_GROUPS / tiles), Math.floor(k / MIN_SLICE), Math.floor(MAX_SPLIT_SCRATCH / (m * n)), 64));
  if (splits > 1) splits = Math.ceil(k / gemmKChunk({ k, splits })); // no empty slice
  const store = splits > 1
    ? 'P[(split * M + m) * N + n] = v;'
    : accumulate ? 'P[m * N + n] = P[m * N + n] + v;' : 'P[m * N + n] = v;';
  const spec: GemmSpec = {
    name: `conv2dGradWeight ${shapeName(g, rows)}${accumulate ? ' accumulate' : ''}`, m, k, n, splits,
    aContiguous: 'm', bContiguous: 'n',
    prelude: `@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> P: array<f32>;
${geometryConsts(g)}
${IM2COL}
fn loadA(m: u32, k: u32) -> f32 { return DY[k * F + m]; }
fn loadB(k: u32, n: u32) -> f32 { return im2col(k, n); }
fn store(m: u32, n: u32, split: u32, v: f32) { ${store} }`,
  };
  return { spec, splits, scratch: splits > 1 ? splits * m * n : 0 };
}

/** Sums the K slices' partial weight gradients into dW. Bindings: 0 = scratch, 1 = dW. */
export function convGradReduceWgsl(size: number, splits: number, accumulate: boolean): string {
  return mapWgsl({
    name: `conv2dGradWeight sum of ${splits} slices${accumulate ? ' accumulate' : ''}`, size, inputs: ['P'], outputs: ['DW'],
    body: `var s = 0.0;
  for (var j = 0u; j < ${splits}u; j = j + 1u) { s = s + P[j * SIZE + i]; }
  DW[i] = ${accumulate ? 'DW[i] + s' : 's'};`,
  });
}
