/**
 * The WebGPU backend against the CPU backend: every op of OP_NAMES on the same random inputs
 * (shapes that cross tile and workgroup edges), compared element by element with a relative
 * error ≤ 1e-4; the image ops (imageOpCases.ts) are also held to a naive float64 reference.
 * Also: one submission per step, the pipeline cache, and device errors.
 * Runs on Mesa's CPU driver without a GPU; see backends.ts for CI and NN_SKIP_WEBGPU=1.
 */
import * as assert from 'node:assert/strict';
import { OP_NAMES, prepareKernel, type ActivationFn, type Backend, type Invocation, type LossKind } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { Random } from '../../../src/engine/random';
import { Program } from '../../../src/engine/session';
import { WebGpuBackend } from '../../../src/engine/webgpu/webgpuBackend';
import { backendsUnderTest } from './backends';
import { imageOpCases, uniform, type OpCase } from './imageOpCases';

const ACTIVATIONS: ActivationFn[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softmax', 'step'];
const LOSSES: LossKind[] = ['sigmoidBceLogits', 'softmaxCeLogits', 'bce', 'ce', 'mse'];

/** Row-wise one-hot targets (for cross-entropy) of `rows` rows. */
function oneHot(rows: number, cols: number, rng: Random): Float32Array {
  const a = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) a[r * cols + Math.floor(rng.next() * cols)] = 1;
  return a;
}

function cases(): OpCase[] {
  const out: OpCase[] = [];
  for (const [tA, tB, layout] of [[false, false, 'A·B'], [true, false, 'Aᵀ·B'], [false, true, 'A·Bᵀ']] as const) {
    for (const accumulate of [false, true]) {
      const [m, k, n] = [67, 45, 130];
      out.push({ name: `matmul ${layout} ${m}×${k}×${n}${accumulate ? ' +=' : ''}`, op: 'matmul', attrs: { transposeA: tA, transposeB: tB, accumulate }, dims: { m, k, n }, inputs: [m * k, k * n], outputs: [m * n] });
    }
  }
  out.push({ name: 'biasAdd 70×33', op: 'biasAdd', attrs: {}, dims: { rows: 70, cols: 33 }, inputs: [70 * 33, 33], outputs: [70 * 33] });
  // 300 rows: one invocation per column; a convolution's bias sums batch·oh·ow rows, in two passes (chunk partials, then totals).
  for (const [rows, cols] of [[300, 17], [5000, 33], [2100, 1]]) {
    for (const accumulate of [false, true]) out.push({ name: `biasGrad ${rows}×${cols}${accumulate ? ' +=' : ''}`, op: 'biasGrad', attrs: { accumulate }, dims: { rows, cols }, inputs: [rows * cols], outputs: [cols] });
  }
  out.push({ name: 'add 5000', op: 'add', attrs: {}, dims: { size: 5000 }, inputs: [5000, 5000], outputs: [5000] });
  out.push({ name: 'mul 5000', op: 'mul', attrs: {}, dims: { size: 5000 }, inputs: [5000, 5000], outputs: [5000] });
  for (const accumulate of [false, true]) out.push({ name: `scale 5000${accumulate ? ' +=' : ''}`, op: 'scale', attrs: { factor: -0.37, accumulate }, dims: { size: 5000 }, inputs: [5000], outputs: [5000] });
  // More than 65,535 workgroups of 64: the grid spills into Y, which must still cover every element.
  const huge = 65535 * 64 + 1000;
  out.push({ name: `fill ${huge} (2-D grid)`, op: 'fill', attrs: { value: 0.25 }, dims: { size: huge }, inputs: [], outputs: [huge] });
  out.push({ name: 'concat 9×(3|17|1)', op: 'concat', attrs: { widths: [3, 17, 1] }, dims: { rows: 9, cols: 21 }, inputs: [27, 153, 9], outputs: [189] });
  for (const accumulate of [false, true]) out.push({ name: `concatGrad 9×(3|17|1)${accumulate ? ' +=' : ''}`, op: 'concatGrad', attrs: { widths: [3, 17, 1], accumulate }, dims: { rows: 9, cols: 21 }, inputs: [189], outputs: [27, 153, 9] });
  for (const fn of ACTIVATIONS) {
    const alpha = fn === 'elu' ? 0.7 : 0.1;
    const fill = (_j: number, n: number, rng: Random): Float32Array => uniform(n, rng, -4, 4);
    out.push({ name: `activation ${fn} 37×11`, op: 'activation', attrs: { fn, alpha }, dims: { rows: 37, cols: 11 }, inputs: [407], outputs: [407], fill });
    out.push({ name: `activationGrad ${fn} 37×11`, op: 'activationGrad', attrs: { fn, alpha }, dims: { rows: 37, cols: 11 }, inputs: [407, 407, 407], outputs: [407], fill });
  }
  out.push({ name: 'dropout 10007 rate 0.3', op: 'dropout', attrs: { rate: 0.3, seed: 12345 }, dims: { size: 10007 }, inputs: [10007], outputs: [10007, 10007], steps: 3 });
  for (const kind of LOSSES) {
    const cols = kind === 'softmaxCeLogits' || kind === 'ce' ? 5 : kind === 'mse' ? 3 : 1;
    const rows = 130;
    const fill = (j: number, n: number, rng: Random): Float32Array => {
      if (j === 0) return kind === 'bce' || kind === 'ce' ? uniform(n, rng, 0.02, 0.98) : uniform(n, rng, -6, 6);
      if (j === 1) return cols > 1 && kind !== 'mse' ? oneHot(rows, cols, rng) : kind === 'mse' ? uniform(n, rng) : uniform(n, rng, 0, 1).map(Math.round);
      return uniform(n, rng);
    };
    for (const accumulate of [false, true]) {
      out.push({ name: `loss ${kind} ${rows}×${cols}${accumulate ? ' +=' : ''}`, op: 'loss', attrs: { kind, accumulate }, dims: { rows, cols }, inputs: [rows * cols, rows * cols], outputs: [1, rows * cols], fill });
    }
  }
  const n = 1000;
  out.push({ name: 'sgdUpdate plain', op: 'sgdUpdate', attrs: { lr: 0.1, momentum: 0, nesterov: false, l1: 0, l2: 0 }, dims: { size: n }, inputs: [n], outputs: [n, n], steps: 3 });
  out.push({ name: 'sgdUpdate momentum + L1/L2', op: 'sgdUpdate', attrs: { lr: 0.05, momentum: 0.9, nesterov: false, l1: 0.01, l2: 0.02 }, dims: { size: n }, inputs: [n], outputs: [n, n], steps: 3 });
  out.push({ name: 'sgdUpdate nesterov', op: 'sgdUpdate', attrs: { lr: 0.05, momentum: 0.8, nesterov: true, l1: 0, l2: 0.01 }, dims: { size: n }, inputs: [n], outputs: [n, n], steps: 3 });
  out.push({ name: 'adamUpdate + L2', op: 'adamUpdate', attrs: { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l1: 0, l2: 0.01 }, dims: { size: n }, inputs: [n], outputs: [n, n, n], steps: 3,
    // Adam's second moment must start non-negative, as it always is in training.
    fill: (j, len, rng) => (j === 3 ? uniform(len, rng, 0, 0.01) : uniform(len, rng)) });
  out.push({ name: 'rmspropUpdate + L1', op: 'rmspropUpdate', attrs: { lr: 0.01, rho: 0.9, epsilon: 1e-7, l1: 0.01, l2: 0 }, dims: { size: n }, inputs: [n], outputs: [n, n], steps: 3,
    fill: (j, len, rng) => (j === 2 ? uniform(len, rng, 0, 0.01) : uniform(len, rng)) });
  out.push(...imageOpCases());
  return out;
}

/** Every buffer's seeded contents before the run (inputs, then outputs). */
function initialData(c: OpCase): Float32Array[] {
  const rng = new Random(42);
  return [...c.inputs, ...c.outputs].map((n, j) => (c.fill ? c.fill(j, n, rng) : uniform(n, rng)));
}

/** Runs a case on a backend from the same seeded data; returns every output buffer. */
async function runCase(backend: Backend, c: OpCase): Promise<Float32Array[]> {
  const bufs = initialData(c).map((data, j) => {
    const b = backend.createBuffer(data.length, `${c.name}#${j}`);
    backend.write(b, data);
    return b;
  });
  const inv = { op: c.op, attrs: c.attrs, dims: c.dims, inputs: bufs.slice(0, c.inputs.length), outputs: bufs.slice(c.inputs.length) } as Invocation;
  const ctx = { step: 0 };
  const program = new Program(backend, [prepareKernel(backend, inv, ctx)]);
  for (let t = 1; t <= (c.steps ?? 1); t++) {
    ctx.step = t;
    program.run();
  }
  return Promise.all(inv.outputs.map((b) => backend.read(b)));
}

/** A case's naive reference run for as many steps as the backends run it. */
function runReference(c: OpCase, reference: (bufs: Float32Array[]) => Float32Array[]): Float32Array[] {
  let state = initialData(c);
  let outs: Float32Array[] = [];
  for (let t = 1; t <= (c.steps ?? 1); t++) {
    outs = reference(state);
    state = [...state.slice(0, c.inputs.length), ...outs];
  }
  return outs;
}

/** Asserts that every output agrees within a relative error of 1e-4 (relative to max(1, |want|)). */
function assertClose(c: OpCase, got: Float32Array[], want: Float32Array[], wantName: string): void {
  assert.equal(got.length, want.length);
  for (let o = 0; o < want.length; o++) {
    const w = want[o], g = got[o];
    assert.equal(g.length, w.length);
    for (let i = 0; i < w.length; i++) {
      const err = Math.abs(g[i] - w[i]) / Math.max(1, Math.abs(w[i]));
      if (!(err <= 1e-4)) assert.fail(`${c.name}: output ${o}[${i}] = ${g[i]} on webgpu, ${w[i]} on ${wantName} (relative error ${err.toExponential(2)})`);
    }
  }
}

describe('webgpu backend against the cpu backend', function () {
  this.timeout(120000);
  let gpu: WebGpuBackend | undefined;
  const cpu = new CpuBackend();
  before(async function () {
    const entry = backendsUnderTest.find((b) => b.name === 'webgpu');
    assert.ok(entry, 'backends.ts lists the webgpu backend');
    gpu = (await entry.create()) as WebGpuBackend | undefined;
    if (!gpu) this.skip();
  });
  after(() => gpu?.dispose());

  it('the case table covers every op in OP_NAMES', () => {
    const covered = new Set(cases().map((c) => c.op));
    assert.deepEqual(OP_NAMES.filter((op) => !covered.has(op)), []);
  });

  for (const c of cases()) {
    it(`${c.name}: relative error ≤ 1e-4`, async () => {
      const got = await runCase(gpu as Backend, c);
      if (c.reference) assertClose(c, got, runReference(c, c.reference), 'the naive reference');
      assertClose(c, got, await runCase(cpu, c), 'cpu');
    });
  }

  it('a training step is one queue submission and its kernels come from the pipeline cache', async () => {
    const rt = (gpu as WebGpuBackend).runtime;
    const c = cases().find((x) => x.op === 'matmul') as OpCase;
    await runCase(gpu as Backend, c); // compiles the pipeline
    const pipelines = rt.pipelineCount;
    const a = gpu!.createBuffer(67 * 45, 'a'), b = gpu!.createBuffer(45 * 130, 'b'), out = gpu!.createBuffer(67 * 130, 'c'), out2 = gpu!.createBuffer(67 * 130, 'c2');
    const mm = (dst: typeof out): Invocation => ({ op: 'matmul', attrs: { transposeA: false, transposeB: false, accumulate: false }, dims: { m: 67, k: 45, n: 130 }, inputs: [a, b], outputs: [dst] });
    const act: Invocation = { op: 'activation', attrs: { fn: 'relu', alpha: 0 }, dims: { rows: 67, cols: 130 }, inputs: [out], outputs: [out2] };
    const ctx = { step: 1 };
    const program = new Program(gpu!, [mm(out), act].map((inv) => prepareKernel(gpu!, inv, ctx)));
    program.run();
    const submits = rt.submitCount, dispatches = rt.dispatchCount, bindGroups = rt.bindGroupCount, reads = rt.readCount;
    program.run();
    program.run();
    assert.equal(rt.submitCount - submits, 2, 'one submission per step');
    assert.equal(rt.dispatchCount - dispatches, 4, 'two dispatches per step');
    assert.equal(rt.bindGroupCount, bindGroups, 'replayed steps reuse their bind groups');
    assert.equal(rt.readCount, reads, 'a step reads nothing back unless asked');
    // The same matmul shape on new buffers reuses the compiled pipeline; the relu is new.
    assert.equal(rt.pipelineCount, pipelines + 1);
  });

  it('refuses writes that overflow a buffer, naming it', () => {
    const b = gpu!.createBuffer(4, 'small');
    assert.throws(() => gpu!.write(b, new Float32Array(5)), /overflows buffer 'small' of 4/);
  });

  it('refuses a tensor larger than the adapter allows, naming it and the way out', () => {
    const limit = (gpu as WebGpuBackend).runtime.ctx.maxBufferBytes;
    assert.throws(() => gpu!.createBuffer(limit / 4 + 1, 'h1.weight'), /'h1\.weight' needs [\d.]+ MiB, more than the \d+ MiB one buffer may hold on .*--backend cpu/);
  });

  it('a device error makes the next read fail loudly instead of returning stale numbers', async () => {
    const rt = (gpu as WebGpuBackend).runtime;
    const b = rt.createBuffer(4, 'victim');
    rt.dispatch('this is not WGSL', [b], [1]);
    await assert.rejects(rt.read(b), /WebGPU reported an error, so results cannot be trusted[\s\S]*use --backend cpu/);
    // The error is consumed: the device keeps working for the next step.
    rt.upload(b, Float32Array.of(1, 2, 3, 4));
    assert.deepEqual(Array.from(await rt.read(b)), [1, 2, 3, 4]);
  });

  it('rejects a buffer of another backend with a clear error', () => {
    const foreign = cpu.createBuffer(4, 'cpu-buffer');
    assert.throws(() => gpu!.write(foreign, new Float32Array(4)), /'cpu-buffer' does not belong to the webgpu backend/);
  });
});
