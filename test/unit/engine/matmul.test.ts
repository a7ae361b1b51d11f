/** The CPU matmul kernels directly: the JS loops, the transposes, and the wasm SIMD kernel. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { matmulNN, matmulNT, matmulReference, matmulTN, transpose } from '../../../src/engine/cpu/matmul';
import { PACKED_KC, PACKED_MC, PLAIN_TILE, simdAvailable, simdMatmul, wasmApi } from '../../../src/engine/cpu/simdMatmul';
import { packedModuleBytes, packModuleBytes } from '../../../src/engine/cpu/simdPacked';
import { Random } from '../../../src/engine/random';

function rand(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

function maxErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
}

const SIZES = [[1, 1, 1], [2, 3, 4], [5, 7, 3], [17, 33, 9], [40, 300, 270]];

describe('cpu matmul kernels', () => {
  it('JS A·B, Aᵀ·B and A·Bᵀ agree with the float64 reference at every edge case', () => {
    const rng = new Random(8);
    for (const [m, k, n] of SIZES) {
      const A = rand(rng, m * k), B = rand(rng, k * n), C = new Float32Array(m * n);
      matmulNN(A, B, C, m, k, n, false);
      assert.ok(maxErr(C, matmulReference(A, B, m, k, n, false, false)) < 1e-4, `NN ${m}×${k}×${n}`);
      matmulTN(A, B, C, m, k, n, false); // A read as k×m
      assert.ok(maxErr(C, matmulReference(A, B, m, k, n, true, false)) < 1e-4, `TN ${m}×${k}×${n}`);
      matmulNT(A, B, C, m, k, n, false); // B read as n×k
      assert.ok(maxErr(C, matmulReference(A, B, m, k, n, false, true)) < 1e-4, `NT ${m}×${k}×${n}`);
    }
  });

  it('transpose is exact across tile edges', () => {
    const rng = new Random(9);
    const src = rand(rng, 37 * 70), dst = new Float32Array(37 * 70);
    transpose(src, 37, 70, dst);
    for (let r = 0; r < 37; r++) for (let c = 0; c < 70; c++) assert.equal(dst[c * 37 + r], src[r * 70 + c]);
  });

  it('the emitted SIMD module validates and its kernel matches the reference in all three layouts', function () {
    assert.ok(wasmApi?.validate(packedModuleBytes(PLAIN_TILE)) && wasmApi.validate(packModuleBytes()), 'the emitted module is valid WebAssembly');
    if (!simdAvailable()) this.skip();
    const rng = new Random(10);
    for (const [m, k, n] of SIZES) {
      for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
        const A = rand(rng, m * k), B = rand(rng, k * n), C = rand(rng, m * n);
        const before = Float32Array.from(C);
        simdMatmul(A, B, C, m, k, n, aT, bT, true);
        const ref = matmulReference(A, B, m, k, n, aT, bT).map((v, i) => v + before[i]);
        assert.ok(maxErr(C, ref) < 1e-4, `simd ${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n} (accumulate)`);
      }
    }
  });

  it('the packed SIMD product: depths over several depth blocks, rows over several row blocks, sizes off the tile (5×8 fused, 4×8 not), every layout, set or accumulated', function () {
    if (!simdAvailable()) this.skip();
    const rng = new Random(11);
    // 2·PACKED_MC + 9 rows: two row blocks on one thread, the last tile a partial one.
    for (const [m, k, n] of [[5, 2 * PACKED_KC + 5, 11], [9, PACKED_KC, 8], [4, PACKED_KC + 1, 17], [13, 3, 2], [2 * PACKED_MC + 9, 40, 19], [1, 7, 16], [6, 12, 8]]) {
      for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
        for (const accumulate of [false, true]) {
          const A = rand(rng, m * k), B = rand(rng, k * n), C = rand(rng, m * n);
          const before = Float32Array.from(C);
          simdMatmul(A, B, C, m, k, n, aT, bT, accumulate);
          const ref = matmulReference(A, B, m, k, n, aT, bT).map((v, i) => v + (accumulate ? before[i] : 0));
          assert.ok(maxErr(C, ref) < 1e-4 * Math.sqrt(k), `${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n}${accumulate ? ' accumulated' : ''}: max error ${maxErr(C, ref)}`);
        }
      }
    }
  });

  it('with NN_THREADS=2 a helper thread takes half the rows and the result is the same', function () {
    this.timeout(30000);
    // The runtime is chosen once per process, so the threaded path runs in a child process.
    const dir = path.resolve(__dirname, '../../../src/engine');
    const script = `
      const { simdMatmul, simdThreads } = require(${JSON.stringify(path.join(dir, 'cpu/simdMatmul'))});
      const { matmulReference } = require(${JSON.stringify(path.join(dir, 'cpu/matmul'))});
      const m = 70, k = 300, n = 130, A = new Float32Array(m * k).map((_, i) => Math.sin(i)), B = new Float32Array(k * n).map((_, i) => Math.cos(i));
      let err = 0;
      for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
        const C = new Float32Array(m * n);
        simdMatmul(A, B, C, m, k, n, aT, bT, false);
        const ref = matmulReference(A, B, m, k, n, aT, bT);
        for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(ref[i] - C[i]));
      }
      console.log(JSON.stringify({ threads: simdThreads(), err }));`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { env: { ...process.env, NN_THREADS: '2' }, encoding: 'utf8', cwd: path.resolve(__dirname, '../../..') });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    assert.equal(out.threads, 2);
    assert.ok(out.err < 1e-3, `max error ${out.err}`);
  });
});
