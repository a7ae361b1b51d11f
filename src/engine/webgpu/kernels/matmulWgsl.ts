// Tiled matrix multiply in WGSL for the three layouts training needs: A·B (forward), Aᵀ·B
// (weight gradients) and A·Bᵀ (input gradients). Shapes are baked into the shader as constants:
// the engine replays a static program, so each shape compiles once and the compiler can unroll.

/** Which operands are stored transposed: 'nn' = A·B, 'tn' = Aᵀ·B, 'nt' = A·Bᵀ. */
export type MatmulLayout = 'nn' | 'tn' | 'nt';

/** Output tile edge per workgroup; 8×8 invocations each compute a 4×4 block. */
export const MATMUL_TILE = 32;
const TK = 16;

/** Geometry of one product: C (m×n) = op(A) (m×k) · op(B) (k×n). */
export interface MatmulShape {
  m: number;
  k: number;
  n: number;
  layout: MatmulLayout;
  /** Add into C instead of overwriting it (gradient accumulation across consumers). */
  accumulate?: boolean;
}

/** Workgroup grid for a product of this shape. */
export function matmulGrid(s: MatmulShape): [number, number] {
  return [Math.ceil(s.n / MATMUL_TILE), Math.ceil(s.m / MATMUL_TILE)];
}

/**
 * WGSL for C = op(A)·op(B). Bindings: 0 = A, 1 = B, 2 = C. Tiles of A and B are staged in
 * workgroup memory so each element read from storage serves 32 multiply-adds.
 */
export function matmulWgsl(s: MatmulShape): string {
  const ta = s.layout === 'tn';
  const tb = s.layout === 'nt';
  // Load mapping: consecutive invocations read consecutive addresses in storage (coalesced).
  const loadA = ta
    ? `let mm = e % 32u; let kk = e / 32u;` // A stored k×m: m is contiguous
    : `let kk = e % 16u; let mm = e / 16u;`; // A stored m×k: k is contiguous
  const addrA = ta ? `gk * M + gm` : `gm * K + gk`;
  const loadB = tb
    ? `let kk = e % 16u; let nn = e / 16u;` // B stored n×k: k is contiguous
    : `let nn = e % 32u; let kk = e / 32u;`; // B stored k×n: n is contiguous
  const addrB = tb ? `gn * K + gk` : `gk * N + gn`;
  const store = s.accumulate ? `C[idx] = C[idx] + acc[r * 4u + c];` : `C[idx] = acc[r * 4u + c];`;
  return `// matmul ${s.layout} ${s.m}x${s.k}x${s.n}${s.accumulate ? ' accumulate' : ''}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
const M = ${s.m}u;
const K = ${s.k}u;
const N = ${s.n}u;
var<workgroup> As: array<f32, ${TK * MATMUL_TILE}>;
var<workgroup> Bs: array<f32, ${TK * MATMUL_TILE}>;

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * 8u + lid.x;
  let row0 = wg.y * 32u;
  let col0 = wg.x * 32u;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${TK}u) {
    for (var i = 0u; i < 8u; i = i + 1u) {
      let e = tid + i * 64u;
      {
        ${loadA}
        let gm = row0 + mm;
        let gk = k0 + kk;
        var v = 0.0;
        if (gm < M && gk < K) { v = A[${addrA}]; }
        As[kk * 32u + mm] = v;
      }
      {
        ${loadB}
        let gn = col0 + nn;
        let gk = k0 + kk;
        var v = 0.0;
        if (gn < N && gk < K) { v = B[${addrB}]; }
        Bs[kk * 32u + nn] = v;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk = kk + 1u) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var r = 0u; r < 4u; r = r + 1u) {
        a[r] = As[kk * 32u + lid.y + r * 8u];
        b[r] = Bs[kk * 32u + lid.x + r * 8u];
      }
      for (var r = 0u; r < 4u; r = r + 1u) {
        for (var c = 0u; c < 4u; c = c + 1u) {
          acc[r * 4u + c] = fma(a[r], b[c], acc[r * 4u + c]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r = r + 1u) {
    let gm = row0 + lid.y + r * 8u;
    for (var c = 0u; c < 4u; c = c + 1u) {
      let gn = col0 + lid.x + c * 8u;
      if (gm < M && gn < N) {
        let idx = gm * N + gn;
        ${store}
      }
    }
  }
}
`;
}
