// Matrix multiply in WGSL for the three layouts training needs: A·B (forward), Aᵀ·B (weight
// gradients) and A·Bᵀ (input gradients). It is the tiled product of gemmWgsl with its operands
// read from storage arrays. Shapes are baked into the shader as constants: the engine replays a
// static program, so each shape compiles once and the compiler can unroll.
import { GEMM_TILE, gemmGrid, gemmWgsl, type GemmSpec } from './gemmWgsl';

/** Which operands are stored transposed: 'nn' = A·B, 'tn' = Aᵀ·B, 'nt' = A·Bᵀ. */
export type MatmulLayout = 'nn' | 'tn' | 'nt';

/** Output tile edge per workgroup; 8×8 invocations each compute a 4×4 block. */
export const MATMUL_TILE = GEMM_TILE;

/** Geometry of one product: C (m×n) = op(A) (m×k) · op(B) (k×n). */
export interface MatmulShape {
  m: number;
  k: number;
  n: number;
  layout: MatmulLayout;
  /** Add into C instead of overwriting it (gradient accumulation across consumers). */
  accumulate?: boolean;
}

/** The product as a GEMM over bindings 0 = A, 1 = B, 2 = C. */
function matmulGemm(s: MatmulShape): GemmSpec {
  const ta = s.layout === 'tn';
  const tb = s.layout === 'nt';
  return {
    name: `matmul ${s.layout}${s.accumulate ? ' accumulate' : ''}`,
    m: s.m,
    k: s.k,
    n: s.n,
    prelude: `@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
fn loadA(m: u32, k: u32) -> f32 { return A[${ta ? 'k * M + m' : 'm * K + k'}]; }
fn loadB(k: u32, n: u32) -> f32 { return B[${tb ? 'n * K + k' : 'k * N + n'}]; }
fn store(m: u32, n: u32, split: u32, v: f32) { let idx = m * N + n; C[idx] = ${s.accumulate ? 'C[idx] + v' : 'v'}; }`,
    // Consecutive invocations read consecutive addresses in storage (coalesced).
    aContiguous: ta ? 'm' : 'k',
    bContiguous: tb ? 'k' : 'n',
  };
}

/** Workgroup grid for a product of this shape. */
export function matmulGrid(s: MatmulShape): [number, number, number] {
  return gemmGrid(matmulGemm(s));
}

/**
 * WGSL for C = op(A)·op(B). Bindings: 0 = A, 1 = B, 2 = C. Tiles of A and B are staged in
 * workgroup memory so each element read from storage serves 32 multiply-adds.
 */
export function matmulWgsl(s: MatmulShape): string {
  return gemmWgsl(matmulGemm(s));
}
