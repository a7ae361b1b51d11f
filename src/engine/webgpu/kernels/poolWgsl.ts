// Max and average pooling over images stored channels last, one invocation per output cell,
// and their backward written gather-style: one invocation per input cell sums the gradient of
// every window that covers it, so overlapping windows never race on a write. Max pooling's
// backward finds each covering window's winner again (its first largest cell in row-major scan
// order, as the CPU kernel picks it) instead of storing an argmax mask in the forward pass.
// Padding cells are never read: max ignores them and average divides by the cells inside.
import type { Window2D } from '../../backend';
import { mapWgsl } from './mapWgsl';

type Mode = 'max' | 'avg';

function consts(g: Window2D): string {
  return [
    `const H = ${g.h}u;`, `const W = ${g.w}u;`, `const C = ${g.c}u;`,
    `const KH = ${g.kh}u;`, `const KW = ${g.kw}u;`, `const SH = ${g.sh}u;`, `const SW = ${g.sw}u;`,
    `const PT = ${g.padTop}u;`, `const PL = ${g.padLeft}u;`, `const OH = ${g.oh}u;`, `const OW = ${g.ow}u;`,
  ].join('\n');
}

const shape = (g: Window2D, rows: number): string =>
  `${rows}x${g.h}x${g.w}x${g.c} k${g.kh}x${g.kw} s${g.sh}x${g.sw} pad${g.padTop},${g.padLeft} out${g.oh}x${g.ow}`;

/**
 * The window of output cell (b, oy, ox, ch) as a helper: its result (max or mean over the cells
 * inside the image) and, for max, the flat index of the winning input cell. Unsigned wrap-around
 * makes a cell above/left of the image fail the same `< H` test as one below/right.
 */
function windowFn(mode: Mode): string {
  return `struct Win { value: f32, at: u32 }
fn pool(b: u32, oy: u32, ox: u32, ch: u32) -> Win {
  var best = 0.0;
  var at = 0xffffffffu;
  var sum = 0.0;
  var count = 0u;
  for (var ky = 0u; ky < KH; ky = ky + 1u) {
    let y = oy * SH + ky - PT;
    if (y >= H) { continue; }
    for (var kx = 0u; kx < KW; kx = kx + 1u) {
      let x = ox * SW + kx - PL;
      if (x >= W) { continue; }
      let j = ((b * H + y) * W + x) * C + ch;
      let v = X[j];
      ${mode === 'max' ? 'if (count == 0u || v > best) { best = v; at = j; }' : 'sum = sum + v;'}
      count = count + 1u;
    }
  }
  ${mode === 'max' ? 'return Win(best, at);' : 'return Win(select(sum / f32(count), 0.0, count == 0u), count);'}
}`;
}

/** Y = pool(X). Bindings: 0 = X, 1 = Y. One invocation per output cell. */
export function pool2dWgsl(g: Window2D, rows: number, mode: Mode): string {
  return mapWgsl({
    name: `pool2d ${mode} ${shape(g, rows)}`, size: rows * g.oh * g.ow * g.c, inputs: ['X'], outputs: ['Y'],
    prelude: `${consts(g)}\n${windowFn(mode)}`,
    body: `let ch = i % C;
  let t = i / C;
  let ox = t % OW;
  let t2 = t / OW;
  Y[i] = pool(t2 / OH, t2 % OH, ox, ch).value;`,
  });
}

/** How many cells of window o along an axis lie inside the image (average pooling's divisor). */
const INSIDE = `fn inside(o: u32, s: u32, pad: u32, k: u32, len: u32) -> u32 {
  let start = o * s; // the window spans [start − pad, start − pad + k) in image coordinates
  let lo = max(start, pad);
  let hi = min(start + k, len + pad);
  return hi - lo;
}`;

/**
 * dX of pool2d. Bindings: max 0 = X, 1 = dY, 2 = dX; avg (which needs no X) 0 = dY, 1 = dX. One invocation per input cell (b, y, x, ch):
 * the covering windows are the output rows oy with oy·SH − PT ≤ y ≤ oy·SH − PT + KH − 1
 * (likewise columns); each adds its gradient (max: if this cell won it; avg: divided by its count).
 */
export function pool2dGradWgsl(g: Window2D, rows: number, mode: Mode, accumulate: boolean): string {
  const take = mode === 'max'
    ? 'if (pool(b, oy, ox, ch).at == i) { s = s + DY[((b * OH + oy) * OW + ox) * C + ch]; }'
    : 's = s + DY[((b * OH + oy) * OW + ox) * C + ch] / f32(inside(oy, SH, PT, KH, H) * inside(ox, SW, PL, KW, W));';
  return mapWgsl({
    name: `pool2dGrad ${mode} ${shape(g, rows)}${accumulate ? ' accumulate' : ''}`, size: rows * g.h * g.w * g.c,
    inputs: mode === 'max' ? ['X', 'DY'] : ['DY'], outputs: ['DX'],
    prelude: `${consts(g)}\n${mode === 'max' ? windowFn(mode) : INSIDE}
/** The output range [first, last + 1) of windows along an axis that cover input position p. */
fn covering(p: u32, pad: u32, k: u32, s: u32, outLen: u32) -> vec2<u32> {
  let hi = p + pad; // window o covers p when o·s ≤ p + pad ≤ o·s + k − 1
  var first = 0u;
  if (hi + 1u > k) { first = (hi + 1u - k + s - 1u) / s; }
  let end = min(outLen, hi / s + 1u);
  return vec2<u32>(first, max(first, end));
}`,
    body: `let ch = i % C;
  let t = i / C;
  let x = t % W;
  let t2 = t / W;
  let y = t2 % H;
  let b = t2 / H;
  let ry = covering(y, PT, KH, SH, OH);
  let rx = covering(x, PL, KW, SW, OW);
  var s = 0.0;
  for (var oy = ry.x; oy < ry.y; oy = oy + 1u) {
    for (var ox = rx.x; ox < rx.y; ox = ox + 1u) {
      ${take}
    }
  }
  DX[i] = ${accumulate ? 'DX[i] + s' : 's'};`,
  });
}
