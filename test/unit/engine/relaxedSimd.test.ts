/**
 * Relaxed SIMD's fused multiply-add in the CPU's SIMD kernels: detected by validating a probe
 * module, falling back to multiply then add when the runtime says no, and on either path the
 * same products and the same training within float32 tolerance.
 */
import * as assert from 'node:assert/strict';
import { compileNetwork, train, trainSettingsFrom } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data/dataset';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { matmulReference } from '../../../src/engine/cpu/matmul';
import { forceRelaxedSimd, relaxedSimd, relaxedSimdProbe, relaxedSimdSupported } from '../../../src/engine/cpu/relaxedSimd';
import { FMA_TILE, PLAIN_TILE, simdAvailable, simdMatmul, simdTile, wasmApi } from '../../../src/engine/cpu/simdMatmul';
import { Random } from '../../../src/engine/random';
import { undoRelaxedSimd, useRelaxedSimd } from './backends';

function rand(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

describe('cpu SIMD kernels: relaxed SIMD fused multiply-add', () => {
  afterEach(() => undoRelaxedSimd());

  it('detection says no when the runtime rejects the probe (or its validator throws), yes when it accepts', () => {
    assert.equal(relaxedSimdSupported(() => false), false);
    assert.equal(relaxedSimdSupported(() => { throw new Error('no WebAssembly here'); }), false);
    let seen: Uint8Array | undefined;
    assert.equal(relaxedSimdSupported((b) => { seen = b; return true; }), true);
    assert.deepEqual(seen, relaxedSimdProbe());
  });

  it('the probe holds relaxed_madd (0xfd 0x105) and is valid WebAssembly where relaxed SIMD is on', function () {
    const probe = Array.from(relaxedSimdProbe());
    assert.ok(probe.some((b, i) => b === 0xfd && probe[i + 1] === 0x85 && probe[i + 2] === 0x02), 'relaxed_madd opcode');
    if (!useRelaxedSimd(true)) this.skip();
    assert.equal(wasmApi?.validate(relaxedSimdProbe()), true);
  });

  it('without relaxed SIMD the products run multiply-then-add on the 4×8 tile; with it, fused on the 5×8 tile', function () {
    if (!simdAvailable()) this.skip();
    forceRelaxedSimd(false);
    assert.equal(relaxedSimd(), false);
    assert.deepEqual(simdTile(), PLAIN_TILE);
    if (!useRelaxedSimd(true)) this.skip();
    assert.deepEqual(simdTile(), FMA_TILE);
  });

  it('NN_RELAXED_SIMD=0 forces the fallback even where relaxed SIMD is supported', function () {
    if (!useRelaxedSimd(true)) this.skip();
    undoRelaxedSimd();
    const before = process.env.NN_RELAXED_SIMD;
    process.env.NN_RELAXED_SIMD = '0';
    try {
      assert.equal(relaxedSimd(), false);
      assert.deepEqual(simdTile(), PLAIN_TILE);
    } finally {
      if (before === undefined) delete process.env.NN_RELAXED_SIMD; else process.env.NN_RELAXED_SIMD = before;
    }
  });

  for (const fused of [true, false]) {
    it(`${fused ? 'fused' : 'fallback'} kernel: A·B, Aᵀ·B and A·Bᵀ match the float64 reference at tile and panel edges`, function () {
      if (!simdAvailable() || !useRelaxedSimd(fused)) this.skip();
      const rng = new Random(21);
      for (const [m, k, n] of [[1, 1, 1], [4, 3, 5], [7, 9, 97], [10, 130, 193], [64, 300, 130]]) {
        for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
          const A = rand(rng, m * k), B = rand(rng, k * n), C = rand(rng, m * n);
          const before = Float32Array.from(C);
          simdMatmul(A, B, C, m, k, n, aT, bT, true);
          const ref = matmulReference(A, B, m, k, n, aT, bT);
          for (let i = 0; i < ref.length; i++) {
            const e = ref[i] + before[i];
            assert.ok(Math.abs(C[i] - e) <= 1e-4 * (1 + Math.abs(e)), `${m}×${k}×${n} ${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} [${i}]: ${C[i]} vs ${e}`);
          }
        }
      }
    });
  }

  it('a dense network trains the same on both paths: losses within 1e-4 relative over 8 epochs of Adam', async function () {
    this.timeout(30000);
    if (!simdAvailable() || !useRelaxedSimd(true)) this.skip();
    const { doc, analysis } = denseNet();
    const rng = new Random(9);
    const count = 192, inputs = 96, classes = 10;
    const x = rand(rng, count * inputs), y = new Float32Array(count * classes);
    for (let r = 0; r < count; r++) y[r * classes + (r % classes)] = 1;
    const ds: Dataset = { x, y, count, inputSize: inputs, outputSize: classes, featureNames: Array.from({ length: inputs }, (_, i) => `x${i}`), labelNames: Array.from({ length: classes }, (_, i) => `c${i}`), task: 'multiclass' };
    const losses = async (fused: boolean): Promise<number[]> => {
      useRelaxedSimd(fused);
      assert.equal(simdTile()?.fma, fused);
      const settings = trainSettingsFrom(doc.training);
      const r = await train(compileNetwork(doc, analysis, { seed: 5 }), { train: ds }, settings, { backend: 'cpu', onEvent: () => undefined });
      return r.history.map((h) => h.loss);
    };
    const a = await losses(true), b = await losses(false);
    assert.equal(a.length, 8);
    for (let s = 0; s < a.length; s++) assert.ok(Math.abs(a[s] - b[s]) <= 1e-4 * Math.abs(b[s]), `epoch ${s + 1}: fused ${a[s]}, fallback ${b[s]}`);
    assert.ok(a[a.length - 1] < a[0], `the loss went down: ${a.join(', ')}`);
  });
});

/** 96 → 64 relu → 48 relu → 10 softmax: products big enough for the SIMD kernels, batches of 32. */
function denseNet(): { doc: NetworkDoc; analysis: NonNullable<ReturnType<typeof checkNetwork>['analysis']> } {
  const r = checkNetwork(JSON.stringify({
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 96 }, { id: 'h', type: 'dense', units: 64, activation: 'relu' }, { id: 'h2', type: 'dense', units: 48, activation: 'relu' }, { id: 'y', type: 'dense', units: 10, activation: 'softmax' }],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'h2' }, { from: 'h2', to: 'y' }],
    training: { loss: 'categorical_crossentropy', optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 8, batchSize: 32, validationSplit: 0 },
  }));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return { doc: r.parsed.doc as NetworkDoc, analysis: r.analysis! };
}
