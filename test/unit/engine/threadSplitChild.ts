/**
 * Run in a child process by simdThreads.test.ts (the thread choice is made once per process):
 * reports the thread count the CPU backend chose, and, where a helper thread runs, products and
 * a short training run computed on one thread and split across two, for the test to compare.
 * Prints one JSON line.
 */
import { compileNetwork, train, trainSettingsFrom } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data/dataset';
import { forceRelaxedSimd, relaxedSimdSupported } from '../../../src/engine/cpu/relaxedSimd';
import { simdMatmul, simdSplits, simdThreads } from '../../../src/engine/cpu/simdMatmul';
import { cpuCount, forceSplitFrom } from '../../../src/engine/cpu/simdPool';
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

/** C on one thread and split, for every case; whether every float is the same and whether each split. */
function products(): { same: boolean; splitAll: boolean; firstDiff?: string } {
  let same = true, splitAll = true, firstDiff: string | undefined;
  for (const [m, k, n, aT, bT] of CASES) {
    const A = wave(m * k, 0.37), B = wave(k * n, 0.11), C0 = wave(m * n, 0.05);
    const one = Float32Array.from(C0), two = Float32Array.from(C0);
    forceSplitFrom(Infinity);
    simdMatmul(A, B, one, m, k, n, aT, bT, true);
    forceSplitFrom(0);
    const before = simdSplits();
    simdMatmul(A, B, two, m, k, n, aT, bT, true);
    if (simdSplits() === before) splitAll = false;
    const i = one.findIndex((v, j) => !Object.is(v, two[j]));
    if (i >= 0 && same) { same = false; firstDiff = `${m}×${k}×${n} ${aT ? 'Aᵀ' : 'A'}·${bT ? 'Bᵀ' : 'B'}: C[${i}] ${one[i]} on one thread, ${two[i]} split`; }
  }
  forceSplitFrom(undefined);
  return { same, splitAll, firstDiff };
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
