/**
 * Cache-blocked float32 matrix products in the three layouts training uses:
 * A·B (dX = dY·W), Aᵀ·B (dW = dYᵀ·X) and A·Bᵀ (Y = X·Wᵀ). Row-major, no allocation.
 *
 * Why these loop orders: every inner loop walks memory contiguously (JS engines do not
 * vectorise, so the win is from cache locality and from reusing loaded values across 2–4
 * outputs held in locals). Blocks keep the touched panel of C (and B) in L1/L2 for big layers.
 */

/** Column block: a C/B row panel of 256 floats (1 KiB) per row stays in L1. */
const JB = 256;
/** Depth block: 128 rows of B × JB columns = 128 KiB, sized for L2. */
const KB = 128;

/** C(m×n) (+)= A(m×k)·B(k×n). */
export function matmulNN(A: Float32Array, B: Float32Array, C: Float32Array, m: number, k: number, n: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, 0, m * n);
  for (let j0 = 0; j0 < n; j0 += JB) {
    const j1 = Math.min(n, j0 + JB);
    for (let p0 = 0; p0 < k; p0 += KB) {
      const p1 = Math.min(k, p0 + KB);
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        const ai = i * k;
        let p = p0;
        // Two rows of B per pass halve the read-modify-write traffic on C's row.
        for (; p + 1 < p1; p += 2) {
          const a0 = A[ai + p];
          const a1 = A[ai + p + 1];
          if (a0 === 0 && a1 === 0) continue; // ReLU gradients are often zero.
          const b0 = p * n;
          const b1 = b0 + n;
          for (let j = j0; j < j1; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j];
        }
        if (p < p1) {
          const a0 = A[ai + p];
          if (a0 !== 0) {
            const b0 = p * n;
            for (let j = j0; j < j1; j++) C[ci + j] += a0 * B[b0 + j];
          }
        }
      }
    }
  }
}

/** C(m×n) (+)= Aᵀ·B with A stored k×m and B stored k×n. */
export function matmulTN(A: Float32Array, B: Float32Array, C: Float32Array, m: number, k: number, n: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, 0, m * n);
  const IB = 64;
  for (let i0 = 0; i0 < m; i0 += IB) {
    const i1 = Math.min(m, i0 + IB);
    for (let j0 = 0; j0 < n; j0 += JB) {
      const j1 = Math.min(n, j0 + JB);
      for (let p = 0; p < k; p++) {
        const ap = p * m;
        const bp = p * n;
        for (let i = i0; i < i1; i++) {
          const a = A[ap + i];
          if (a === 0) continue;
          const ci = i * n;
          for (let j = j0; j < j1; j++) C[ci + j] += a * B[bp + j];
        }
      }
    }
  }
}

/**
 * C(m×n) (+)= A·Bᵀ with A stored m×k and B stored n×k: dot products of contiguous rows.
 * The workhorse: a 2×4 register block keeps 8 sums in locals (doubles, so no float32 rounding
 * per add) and loads each element once per 2–4 uses; measured ~2 GFLOP/s single-threaded on
 * this machine against ~0.3–0.5 for the read-modify-write loops it replaced.
 */
export function matmulNT(A: Float32Array, B: Float32Array, C: Float32Array, m: number, k: number, n: number, accumulate: boolean): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    const c0 = i * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p];
        const y0 = B[b0 + p]; s00 += x0 * y0; s10 += x1 * y0;
        const y1 = B[b1 + p]; s01 += x0 * y1; s11 += x1 * y1;
        const y2 = B[b2 + p]; s02 += x0 * y2; s12 += x1 * y2;
        const y3 = B[b3 + p]; s03 += x0 * y3; s13 += x1 * y3;
      }
      if (accumulate) {
        C[c0 + j] += s00; C[c0 + j + 1] += s01; C[c0 + j + 2] += s02; C[c0 + j + 3] += s03;
        C[c1 + j] += s10; C[c1 + j + 1] += s11; C[c1 + j + 2] += s12; C[c1 + j + 3] += s13;
      } else {
        C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c0 + j + 2] = s02; C[c0 + j + 3] = s03;
        C[c1 + j] = s10; C[c1 + j + 1] = s11; C[c1 + j + 2] = s12; C[c1 + j + 3] = s13;
      }
    }
    for (; j < n; j++) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = B[b0 + p];
        s0 += A[a0 + p] * y;
        s1 += A[a1 + p] * y;
      }
      if (accumulate) { C[c0 + j] += s0; C[c1 + j] += s1; } else { C[c0 + j] = s0; C[c1 + j] = s1; }
    }
  }
  for (; i < m; i++) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[a0 + p] * B[b0 + p];
      if (accumulate) C[i * n + j] += s; else C[i * n + j] = s;
    }
  }
}

/** dst(cols×rows) = src(rows×cols)ᵀ, in 32×32 tiles so both sides stay in cache. */
export function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        const o = r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[o + c];
      }
    }
  }
}

/** Below this many multiply-adds the direct loops win: a transpose would cost more than it saves. */
export const SMALL_MATMUL = 4096;

/** Reference product in float64 for tests: op(A)·op(B), no blocking. */
export function matmulReference(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const a = transposeA ? A[p * m + i] : A[i * k + p];
        const b = transposeB ? B[j * k + p] : B[p * n + j];
        s += a * b;
      }
      C[i * n + j] = s;
    }
  }
  return C;
}
