// A tiled matrix-multiply skeleton whose operands are read through functions instead of arrays,
// so convolutions run as implicit GEMMs: the im2col matrix is never stored, each tile of it is
// gathered straight from the image into workgroup memory (zeros where the window hangs over the
// padding); matmulWgsl is this product over stored arrays. 32×32 output tiles, K in steps of 16, 8×8 invocations
// each computing a 4×4 block, so every value loaded from storage serves 32 multiply-adds.

/** Output tile edge per workgroup. */
export const GEMM_TILE = 32;
const TK = 16;
/** Workgroups per grid dimension (WebGPU's guaranteed limit). */
const MAX_GROUPS = 65535;

/** One implicit product C (m×n) = A (m×k) · B (k×n). */
export interface GemmSpec {
  /** Comment naming the op and its shape (also makes the shader text a distinct cache key). */
  name: string;
  m: number;
  k: number;
  n: number;
  /** Binding declarations, constants and helper functions at module scope. */
  prelude: string;
  /**
   * `fn loadA(m: u32, k: u32) -> f32` and `fn loadB(k: u32, n: u32) -> f32` (called only with
   * m < M, k < K, n < N) and `fn store(m: u32, n: u32, split: u32, v: f32)`; all in the prelude.
   * aContiguous/bContiguous say which index of each operand is contiguous in memory, so that
   * consecutive invocations load consecutive addresses.
   */
  aContiguous: 'm' | 'k';
  bContiguous: 'k' | 'n';
  /**
   * Split the K range into this many slices, one per workgroup in Z (`split` passed to store):
   * a product with a small output and a long K (a weight gradient summed over every pixel of
   * the batch) would otherwise run on a handful of workgroups.
   */
  splits?: number;
}

/** Length of each K slice when the product is split (a multiple of the K step). */
export function gemmKChunk(s: Pick<GemmSpec, 'k' | 'splits'>): number {
  const splits = s.splits ?? 1;
  return Math.max(TK, Math.ceil(s.k / splits / TK) * TK);
}

/** Workgroup grid: X over N tiles, Y (and Z past 65,535) over M tiles, or Z over K slices. */
export function gemmGrid(s: GemmSpec): [number, number, number] {
  const tilesN = Math.ceil(s.n / GEMM_TILE);
  const tilesM = Math.ceil(s.m / GEMM_TILE);
  if ((s.splits ?? 1) > 1) return [tilesN, tilesM, s.splits ?? 1];
  const z = Math.ceil(tilesM / MAX_GROUPS);
  return [tilesN, Math.ceil(tilesM / z), z];
}

/** The WGSL module of an implicit GEMM. */
export function gemmWgsl(s: GemmSpec): string {
  const split = (s.splits ?? 1) > 1;
  const chunk = gemmKChunk(s);
  const loadA = s.aContiguous === 'm' ? 'let mm = e % 32u; let kk = e / 32u;' : 'let kk = e % 16u; let mm = e / 16u;';
  const loadB = s.bContiguous === 'n' ? 'let nn = e % 32u; let kk = e / 32u;' : 'let kk = e % 16u; let nn = e / 16u;';
  const tiles = split
    ? `let tileM = wg.y;\n  let split = wg.z;\n  let kBegin = split * ${chunk}u;\n  let kEnd = min(K, kBegin + ${chunk}u);`
    : 'let tileM = wg.y + wg.z * nwg.y;\n  let split = 0u;\n  let kBegin = 0u;\n  let kEnd = K;';
  return `// gemm ${s.name} ${s.m}x${s.k}x${s.n}${split ? ` in ${s.splits} K slices of ${chunk}` : ''} (a${s.aContiguous} b${s.bContiguous})
const M = ${s.m}u;
const K = ${s.k}u;
const N = ${s.n}u;
${s.prelude}
var<workgroup> As: array<f32, ${TK * GEMM_TILE}>;
var<workgroup> Bs: array<f32, ${TK * GEMM_TILE}>;

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  ${tiles}
  // Uniform across the workgroup (it depends on the workgroup id only), so barriers stay legal.
  if (tileM * 32u >= M) { return; }
  let tid = lid.y * 8u + lid.x;
  let row0 = tileM * 32u;
  let col0 = wg.x * 32u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + ${TK}u) {
    for (var i = 0u; i < 8u; i = i + 1u) {
      let e = tid + i * 64u;
      {
        ${loadA}
        let gm = row0 + mm;
        let gk = k0 + kk;
        var v = 0.0;
        if (gm < M && gk < kEnd) { v = loadA(gm, gk); }
        As[kk * 32u + mm] = v;
      }
      {
        ${loadB}
        let gn = col0 + nn;
        let gk = k0 + kk;
        var v = 0.0;
        if (gn < N && gk < kEnd) { v = loadB(gk, gn); }
        Bs[kk * 32u + nn] = v;
      }
    }
    workgroupBarrier();
${innerProduct()}
    workgroupBarrier();
  }
${storeBlock()}
}
`;
}

/**
 * The multiply-adds of one K step, written out: the 4×4 accumulators are four vec4 registers
 * indexed by constants only (a loop over a private array may put it in slow local memory), each
 * element summed in the same order as before (k ascending, one fma each), so results are unchanged.
 */
function innerProduct(): string {
  const lines: string[] = [];
  for (let kk = 0; kk < TK; kk++) {
    const base = kk * GEMM_TILE;
    lines.push(`    {\n      let b = vec4<f32>(Bs[${base}u + lid.x], Bs[${base + 8}u + lid.x], Bs[${base + 16}u + lid.x], Bs[${base + 24}u + lid.x]);`);
    for (let r = 0; r < 4; r++) lines.push(`      acc${r} = fma(vec4<f32>(As[${base + r * 8}u + lid.y]), b, acc${r});`);
    lines.push('    }');
  }
  return lines.join('\n');
}

/** Writes the 4×4 block back: row r of the block is acc<r>, column c its component c. */
function storeBlock(): string {
  const lines: string[] = [];
  for (let r = 0; r < 4; r++) {
    lines.push(`  {\n    let gm = row0 + lid.y + ${r * 8}u;`);
    for (let c = 0; c < 4; c++) lines.push(`    if (gm < M && col0 + lid.x + ${c * 8}u < N) { store(gm, col0 + lid.x + ${c * 8}u, split, acc${r}[${c}]); }`);
    lines.push('  }');
  }
  return lines.join('\n');
}
