/**
 * The CPU backend's buffers resident in the SIMD products' wasm memory (simdArena.ts): products
 * over them read and write in place and give the same floats as over plain arrays; a product
 * never writes past its C; a released block is reused only once its owner is done with it, and
 * a stale array cannot free a block someone else now owns.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { compileNetwork, TrainingSession, trainSettingsFrom } from '../../../src/engine';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import type { Dataset } from '../../../src/engine/data/dataset';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import { cpuData, RESIDENT_FLOATS } from '../../../src/engine/cpu/cpuBuffer';
import { Arena, ResidentMemory } from '../../../src/engine/cpu/simdArena';
import { PACKED_KC, isResident, releaseResident, residentArray, residentBytes, simdAvailable, simdMatmul, simdSplits, simdThreads, wasmApi } from '../../../src/engine/cpu/simdMatmul';
import { forceSplitFrom } from '../../../src/engine/cpu/simdPool';
import { Random } from '../../../src/engine/random';

const rand = (rng: Random, n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

/** A resident copy of `src` (the test fails if the memory cannot hold it: the path under test would not run). */
function resident(src: Float32Array): Float32Array {
  const a = residentArray(src.length);
  assert.ok(a, 'a resident array');
  a.set(src);
  return a;
}

const firstDiff = (a: Float32Array, b: Float32Array): number => a.findIndex((v, i) => !Object.is(v, b[i]));
const overlap = (a: Float32Array, b: Float32Array): boolean => a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

describe('cpu SIMD products over resident buffers', function () {
  before(function () {
    if (!simdAvailable() || typeof SharedArrayBuffer !== 'function') this.skip();
  });

  it('give the same floats as over plain arrays, in every layout, set or accumulated, whole tiles or not, resident or mixed', () => {
    const rng = new Random(21);
    const shapes = [[8, 40, 16], [12, 2 * PACKED_KC + 3, 24], [5, 37, 16], [9, PACKED_KC + 1, 11], [16, 64, 10], [3, 5, 2]];
    const live: Float32Array[] = [];
    for (const [m, k, n] of shapes) {
      for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
        for (const accumulate of [false, true]) {
          for (const which of ['abc', 'a', 'b', 'c']) {
            const A = rand(rng, m * k), B = rand(rng, k * n), C0 = rand(rng, m * n);
            const want = Float32Array.from(C0);
            simdMatmul(A, B, want, m, k, n, aT, bT, accumulate);
            const Ar = which.includes('a') ? resident(A) : A, Br = which.includes('b') ? resident(B) : B, Cr = which.includes('c') ? resident(C0) : Float32Array.from(C0);
            simdMatmul(Ar, Br, Cr, m, k, n, aT, bT, accumulate);
            const i = firstDiff(want, Cr);
            assert.equal(i, -1, `${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n} resident ${which}${accumulate ? ', accumulated' : ''}: C[${i}] ${Cr[i]}, over plain arrays ${want[i]}`);
            assert.ok(Array.from(A).every((v, j) => Object.is(v, Ar[j])) && Array.from(B).every((v, j) => Object.is(v, Br[j])), 'the operands are left as they were');
            live.push(Ar, Br, Cr);
          }
        }
      }
    }
    for (const a of live) releaseResident(a);
  });

  it('never writes past C: rows off the tile (5 rows fused, 4 not), columns off the 8-column tile, the next buffer intact', () => {
    const rng = new Random(22);
    for (const [m, k, n] of [[5, 33, 16], [4, 20, 12], [7, 9, 10], [1, 64, 64], [12, 40, 24]]) {
      for (const [aT, bT] of [[false, false], [true, false], [false, true]]) {
        for (const accumulate of [false, true]) {
          const A = resident(rand(rng, m * k)), B = resident(rand(rng, k * n));
          // C and the floats right after it: one resident block, C a view of its start.
          const block = resident(rand(rng, m * n + 64));
          const C = block.subarray(0, m * n), guard = block.subarray(m * n);
          const g0 = Float32Array.from(guard);
          const want = Float32Array.from(C);
          simdMatmul(Float32Array.from(A), Float32Array.from(B), want, m, k, n, aT, bT, accumulate);
          simdMatmul(A, B, C, m, k, n, aT, bT, accumulate);
          const i = firstDiff(g0, guard);
          assert.equal(i, -1, `${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n}: the floats after C changed at ${i}`);
          assert.equal(firstDiff(want, C), -1, `${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n}: C`);
          for (const a of [A, B, block]) releaseResident(a);
        }
      }
    }
  });

  it('split across the helper thread, C written in place gives the same floats as on one thread over plain arrays, and nothing past C', async function () {
    if (simdThreads() !== 2) this.skip();
    const rng = new Random(24);
    forceSplitFrom(0);
    try {
      // The helper compiles its kernels in the background: wait until it takes a share (a few ms).
      const t0 = Date.now();
      const probe = resident(rand(rng, 64 * 64)), pc = resident(new Float32Array(64 * 64));
      for (let before = simdSplits(); simdSplits() === before && Date.now() - t0 < 20000;) {
        simdMatmul(probe, probe, pc, 64, 64, 64, false, true, false);
        if (simdSplits() === before) await new Promise((r) => setTimeout(r, 10));
      }
      for (const [m, k, n] of [[64, 300, 96], [256, 64, 128], [61, 40, 24]]) {
        for (const [aT, bT, acc] of [[false, false, true], [true, false, true], [false, true, true], [false, false, false], [true, false, false]]) {
          const A = rand(rng, m * k), B = rand(rng, k * n), C0 = rand(rng, m * n);
          const want = Float32Array.from(C0);
          forceSplitFrom(Infinity);
          simdMatmul(A, B, want, m, k, n, aT, bT, acc);
          forceSplitFrom(0);
          // C and the floats right after it in one resident block: the last tile's rows past m
          // (m is no multiple of the tile) must not be written by either thread.
          const Ar = resident(A), Br = resident(B), block = resident(Float32Array.of(...C0, ...rand(rng, 64)));
          const Cr = block.subarray(0, m * n), guard = block.subarray(m * n), g0 = Float32Array.from(guard);
          const before = simdSplits();
          simdMatmul(Ar, Br, Cr, m, k, n, aT, bT, acc);
          assert.ok(simdSplits() > before, 'the product was split');
          const i = firstDiff(want, Cr);
          assert.equal(i, -1, `${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'} ${m}×${k}×${n} split, in place: C[${i}] ${Cr[i]}, on one thread ${want[i]}`);
          assert.equal(firstDiff(g0, guard), -1, `${m}×${k}×${n} split: the floats after C changed`);
          for (const a of [Ar, Br, block]) releaseResident(a);
        }
      }
      releaseResident(probe);
      releaseResident(pc);
    } finally {
      forceSplitFrom(undefined);
    }
  });

  it('arrays made before the memory grows stay valid and are still used in place after it', () => {
    const rng = new Random(23);
    const m = 8, k = 16, n = 8;
    const A = resident(rand(rng, m * k)), B = resident(rand(rng, k * n)), C = resident(new Float32Array(m * n));
    const a0 = Float32Array.from(A);
    // More than the whole memory holds now (earlier suites may have grown it): it grows, and shows a new buffer object.
    const big = residentArray(Math.max(8 << 20, (A.buffer.byteLength >> 2) + 1));
    assert.ok(big && A.buffer !== big.buffer, 'the memory grew');
    assert.equal(firstDiff(a0, A), -1, 'values written before the growth are still there');
    assert.ok(isResident(A) && isResident(C), 'arrays from before the growth are recognised as resident');
    const want = new Float32Array(m * n);
    simdMatmul(Float32Array.from(A), Float32Array.from(B), want, m, k, n, false, false, false);
    simdMatmul(A, B, C, m, k, n, false, false, false);
    assert.equal(firstDiff(want, C), -1);
    for (const a of [A, B, C, big]) releaseResident(a);
  });

  it('the backend puts buffers from RESIDENT_FLOATS floats in the memory, and gives it back on dispose', () => {
    const before = residentBytes();
    const be = new CpuBackend();
    const w = be.createBuffer(1024 * 64, 'w'), small = be.createBuffer(RESIDENT_FLOATS - 1, 'b');
    assert.ok(isResident(cpuData(w)), 'a weight matrix lives in the wasm memory');
    assert.ok(!isResident(cpuData(small)), 'a tiny buffer stays a plain array');
    assert.ok(residentBytes() >= before + 1024 * 64 * 4);
    be.dispose();
    assert.ok(residentBytes() <= before, `disposed: ${residentBytes()} bytes in use, ${before} before`);
  });

  it('a backend dropped without dispose gives its memory back once it is collected', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const before = residentBytes();
    ((): void => {
      const be = new CpuBackend();
      for (let i = 0; i < 4; i++) be.createBuffer(1 << 16, `w${i}`);
    })();
    assert.ok(residentBytes() >= before + 4 * (1 << 18), 'the buffers took memory');
    for (let i = 0; i < 50 && residentBytes() > before; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(residentBytes() <= before, `${residentBytes()} bytes in use, ${before} before`);
  });

  it('a disposed backend\'s memory goes to new buffers, never over a live one, and a second dispose frees nothing of theirs', () => {
    const live = new CpuBackend(), gone = new CpuBackend();
    const keep = cpuData(live.createBuffer(4096, 'keep'));
    keep.fill(7);
    const old = [cpuData(gone.createBuffer(4096, 'x')), cpuData(gone.createBuffer(2000, 'y'))];
    assert.ok([keep, ...old].every(isResident), 'the buffers under test are resident');
    gone.dispose();
    const next = new CpuBackend();
    const fresh = [cpuData(next.createBuffer(4096, 'x2')), cpuData(next.createBuffer(2000, 'y2'))];
    assert.ok(fresh.some((f) => old.some((o) => overlap(f, o))), 'the freed blocks are reused');
    assert.ok(fresh.every((f) => f.every((v) => v === 0)), 'a reused block starts at zero');
    fresh.forEach((f) => f.fill(3));
    gone.dispose(); // again, and its stale arrays given back by hand: neither may free the blocks `next` owns now
    assert.deepEqual(old.map((o) => releaseResident(o)), [false, false]);
    const later = new CpuBackend();
    const more = [cpuData(later.createBuffer(4096, 'x3')), cpuData(later.createBuffer(2000, 'y3'))];
    for (const a of more) for (const b of [...fresh, keep]) assert.ok(!overlap(a, b), `a new buffer at byte ${a.byteOffset} overlaps a live one at ${b.byteOffset}`);
    assert.ok(keep.every((v) => v === 7) && fresh.every((f) => f.every((v) => v === 3)), 'live buffers keep their values');
    for (const b of [live, next, later]) b.dispose();
  });

  it('a session disposed while a Step is pending stops there, never running on memory a new session owns now', async () => {
    const open = (): TrainingSession => {
      const r = checkNetwork(JSON.stringify({
        format: 'nn/1',
        nodes: [{ id: 'x', type: 'input', units: 40 }, { id: 'h', type: 'dense', units: 64, activation: 'relu' }, { id: 'y', type: 'dense', units: 4, activation: 'softmax' }],
        edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
        training: { loss: 'categorical_crossentropy', optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 1, batchSize: 32, validationSplit: 0, shuffle: false },
      }));
      const doc = r.parsed.doc as NetworkDoc;
      const count = 96, rng = new Random(25);
      const y = new Float32Array(count * 4);
      for (let i = 0; i < count; i++) y[i * 4 + (i % 4)] = 1;
      const ds: Dataset = { x: rand(rng, count * 40), y, count, inputSize: 40, outputSize: 4, featureNames: Array.from({ length: 40 }, (_, i) => `f${i}`), labelNames: ['a', 'b', 'c', 'd'], task: 'multiclass' };
      return new TrainingSession(new CpuBackend(), compileNetwork(doc, r.analysis!, { seed: 4 }), { train: ds }, trainSettingsFrom(doc.training));
    };
    const alone = open();
    for (let i = 0; i < 3; i++) await alone.step();
    const want = await alone.finalWeights();
    alone.dispose();
    const stale = open();
    await stale.step();
    stale.dispose(); // Reset while the Step's next await is pending
    const fresh = open(); // takes the blocks the stale session gave back
    await fresh.step();
    await assert.rejects(stale.step(), /has ended .*start it again/);
    await assert.rejects(stale.finalWeights(), /has ended .*start it again/);
    for (let i = 0; i < 2; i++) await fresh.step();
    const got = await fresh.finalWeights();
    for (const [key, w] of want) assert.equal(firstDiff(w.data, got.get(key)!.data), -1, `${key}: the new session's weights are its own`);
    fresh.dispose();
  });
});

describe('the arena allocator', () => {
  it('resident arrays: zeroed when a block is reused, refused past the limit or over a memory that cannot be shared', function () {
    if (!wasmApi || typeof SharedArrayBuffer !== 'function') this.skip();
    const api = wasmApi as NonNullable<typeof wasmApi>;
    const mem = new api.Memory({ initial: 1, maximum: 64, shared: true });
    const res = new ResidentMemory(mem, true, 128, 64 * 1024);
    const a = res.alloc(8000) as Float32Array, b = res.alloc(8000) as Float32Array;
    assert.ok(a && b && !overlap(a, b));
    assert.equal(res.alloc(1000), null, 'past the limit: the caller uses a plain array');
    a.fill(5);
    b.fill(6);
    assert.ok(res.release(a) && !res.release(a));
    const c = res.alloc(4000) as Float32Array, d = res.alloc(4000) as Float32Array;
    assert.ok(overlap(c, a) && overlap(d, a), 'the released block is reused');
    assert.ok(c.every((v) => v === 0) && d.every((v) => v === 0), 'and starts at zero');
    assert.ok(b.every((v) => v === 6), 'the live neighbour keeps its values');
    assert.equal(new ResidentMemory(new api.Memory({ initial: 1 }), false, 128).alloc(100), null, 'a memory that cannot be shared detaches its views when it grows: no resident arrays');
  });


  it('hands out aligned disjoint blocks, reuses released ones first fit, coalesces, and ignores a second release', () => {
    let end = 0;
    const arena = new Arena(100, (e) => { end = Math.max(end, e); return e <= 4096; });
    const a = arena.alloc(10) as number, b = arena.alloc(100) as number, c = arena.alloc(64) as number;
    assert.deepEqual([a, b, c], [128, 192, 320], 'cache-line aligned, from the base up');
    assert.ok(arena.release(b));
    assert.ok(!arena.release(b), 'released twice: nothing happens');
    assert.ok(!arena.release(b + 64), 'not a block start: nothing happens');
    assert.equal(arena.alloc(64), b, 'first fit in the hole');
    assert.equal(arena.alloc(64), b + 64);
    assert.equal(arena.alloc(64), 384, 'past the top when no hole fits');
    arena.release(a); arena.release(b); arena.release(b + 64);
    assert.equal(arena.alloc(192), a, 'neighbouring holes coalesce');
    assert.equal(arena.alloc(8192), null, 'the memory cannot grow that far');
    assert.equal(arena.inUse(), 192 + 64 + 64);
  });
});
