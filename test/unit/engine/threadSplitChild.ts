/**
 * Run in a child process by simdThreads.test.ts (the thread choice is made once per process):
 * reports the thread count the CPU backend chose, and, where a helper thread runs, products and
 * a short training run computed on one thread and split across two, for the test to compare.
 * Prints one JSON line.
 */
import { compileNetwork, train, trainSettingsFrom } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data/dataset';
import { forceRelaxedSimd, relaxedSimdSupported } from '../../../src/engine/cpu/relaxedSimd';
import { releaseResident, residentArray, simdMatmul, simdSplits, simdThreads, simdTile } from '../../../src/engine/cpu/simdMatmul';
import { chunkStarts, cpuCount, forceSplitFrom, startedHelper } from '../../../src/engine/cpu/simdPool';
import { checkNetwork, type NetworkDoc } from '../../../src/model';
import * as v8 from 'node:v8';

// Relaxed SIMD (Node 20 has it behind a flag), before any kernel compiles, so the fused kernels are compared too.
if (!relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const wave = (n: number, f: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f) + 0.25 * Math.cos(i * f * 7));

/** The products a dense layer runs, at sizes off every tile and panel edge, in the three layouts. */
const CASES: [number, number, number, boolean, boolean][] = [
  [7, 130, 9, false, true], [50, 97, 131, false, true], [64, 784, 128, false, true],
  [33, 64, 70, false, false], [61, 120, 45, true, false], [130, 300, 70, true, false], [70, 300, 130, false, false],
];

/**
 * C on one thread and split, for every case, accumulating into C and not (only then are the
 * operands packed by both threads), from plain arrays and from arrays resident in the wasm
 * memory (packed where they lie, C written in place); whether every float is the same and
 * whether each product split.
 */
function products(): { same: boolean; splitAll: boolean; firstDiff?: string } {
  let same = true, splitAll = true, firstDiff: string | undefined;
  const made: Float32Array[] = [];
  const resident = (src: Float32Array): Float32Array => {
    const a = residentArray(src.length);
    if (!a) return Float32Array.from(src);
    made.push(a);
    a.set(src);
    return a;
  };
  for (const variant of ['accumulate', 'overwrite', 'resident'] as const) {
    for (const [m, k, n, aT, bT] of CASES) {
      const acc = variant !== 'overwrite', place = variant === 'resident' ? resident : (x: Float32Array) => x;
      const A = place(wave(m * k, 0.37)), B = place(wave(k * n, 0.11)), C0 = wave(m * n, 0.05);
      const one = Float32Array.from(C0), two = place(Float32Array.from(C0));
      // Split first: panels the one-thread product leaves in the scratch space must not hide a wrong split.
      forceSplitFrom(0);
      const before = simdSplits();
      simdMatmul(A, B, two, m, k, n, aT, bT, acc);
      if (simdSplits() === before) splitAll = false;
      forceSplitFrom(Infinity);
      simdMatmul(A, B, one, m, k, n, aT, bT, acc);
      const i = one.findIndex((v, j) => !Object.is(v, two[j]));
      if (i >= 0 && same) { same = false; firstDiff = `${variant} ${m}×${k}×${n} ${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'}: C[${i}] ${one[i]} on one thread, ${two[i]} split`; }
    }
  }
  made.forEach((a) => releaseResident(a));
  forceSplitFrom(undefined);
  return { same, splitAll, firstDiff };
}

/**
 * The same products split while the helper sleeps 3 ms before each packing job it takes: the
 * kernel must wait for every packed panel (the barrier). Also whether the helper took packing
 * jobs and chunks, and whether the stamps account for every job and chunk of a product.
 */
function slowHelper(): { same: boolean; helperJobs: number; helperChunks: number; accounted: boolean; firstDiff?: string } {
  const h = startedHelper();
  let same = true, helperJobs = 0, helperChunks = 0, accounted = true, firstDiff: string | undefined;
  h?.delayPacking(3000);
  try {
    for (let round = 0; round < 3; round++) {
      for (const [m, k, n, aT, bT] of CASES) {
        // Split first, with operands new to the scratch space: panels left there by the previous
        // product (another shape, other values) must not be read in place of this one's.
        const A = wave(m * k, 0.37 + round * 0.01), B = wave(k * n, 0.11 + round * 0.01);
        const one = new Float32Array(m * n), two = new Float32Array(m * n);
        forceSplitFrom(0);
        simdMatmul(A, B, two, m, k, n, aT, bT, false);
        const t = h?.timing();
        forceSplitFrom(Infinity);
        simdMatmul(A, B, one, m, k, n, aT, bT, false);
        if (t) {
          helperJobs += t.jobs[1];
          helperChunks += t.chunks[1];
          const mr = simdTile()?.rows ?? 4;
          if (t.chunks[0] + t.chunks[1] !== chunkStarts(Math.ceil(m / mr), mr).length - 1 || t.jobs[0] + t.jobs[1] === 0) accounted = false;
        }
        const i = one.findIndex((v, j) => !Object.is(v, two[j]));
        if (i >= 0 && same) { same = false; firstDiff = `${m}×${k}×${n} ${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'}: C[${i}] ${one[i]} on one thread, ${two[i]} split with a slow helper`; }
      }
    }
  } finally {
    h?.delayPacking(0);
    forceSplitFrom(undefined);
  }
  return { same, helperJobs, helperChunks, accounted, firstDiff };
}

/** 100 → 72 relu → 40 tanh → 5 softmax, Adam, batches of 32 with a short last one. */
async function trainedLosses(): Promise<number[]> {
  const r = checkNetwork(JSON.stringify({
    format: 'nn/1',
    nodes: [{ id: 'x', type: 'input', units: 100 }, { id: 'h', type: 'dense', units: 72, activation: 'relu' }, { id: 'h2', type: 'dense', units: 40, activation: 'tanh' }, { id: 'y', type: 'dense', units: 5, activation: 'softmax' }],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'h2' }, { from: 'h2', to: 'y' }],
    training: { loss: 'categorical_crossentropy', optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 4, batchSize: 32, validationSplit: 0, shuffle: false },
  }));
  const doc = r.parsed.doc as NetworkDoc;
  const count = 200;
  const x = wave(count * 100, 0.013);
  const y = new Float32Array(count * 5);
  for (let i = 0; i < count; i++) y[i * 5 + (i % 5)] = 1;
  const ds: Dataset = { x, y, count, inputSize: 100, outputSize: 5, featureNames: Array.from({ length: 100 }, (_, i) => `f${i}`), labelNames: ['a', 'b', 'c', 'd', 'e'], task: 'multiclass' };
  const run = await train(compileNetwork(doc, r.analysis!, { seed: 3 }), { train: ds }, trainSettingsFrom(doc.training), { backend: 'cpu', onEvent: () => undefined });
  return run.history.map((h) => h.loss);
}

/** Until the helper has compiled its kernels nothing is split: wait for it (a few ms), at most 20 s. */
async function helperReady(): Promise<boolean> {
  const A = wave(64 * 64, 0.3), C = new Float32Array(64 * 64);
  forceSplitFrom(0);
  const t0 = Date.now();
  while (Date.now() - t0 < 20000) {
    const before = simdSplits();
    simdMatmul(A, A, C, 64, 64, 64, false, true, false);
    if (simdSplits() > before) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  forceSplitFrom(undefined);
  return simdSplits() > 0;
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { threads: simdThreads(), cores: cpuCount() };
  if (simdThreads() === 2 && process.argv.includes('--compare')) {
    out.ready = await helperReady();
    const fused = relaxedSimdSupported();
    out.fused = fused ? products() : undefined;
    forceRelaxedSimd(false);
    out.plain = products();
    out.slow = slowHelper();
    forceRelaxedSimd(undefined);
    forceSplitFrom(Infinity);
    const one = await trainedLosses();
    forceSplitFrom(0);
    const before = simdSplits();
    const two = await trainedLosses();
    out.trainSplits = simdSplits() - before;
    forceSplitFrom(undefined);
    out.losses = { one, two };
  }
  console.log(JSON.stringify(out));
}

void main();
