import * as assert from 'node:assert/strict';
import { pytorchCudaUnavailable, pytorchUnavailable } from '../../../bench/peers/pytorch';
import { runRounds } from '../../../bench/rounds';
import { WORKLOADS } from '../../../bench/workloads';
import { SMALL_IMAGE } from './smallImage';

describe('bench rounds (child processes: ours through train(), the hand-written loop, PyTorch)', function () {
  this.timeout(180_000);

  it('measures every contender in every round and compares the losses from the same initial weights', async () => {
    const tiny = WORKLOADS.filter((w) => w.name === 'tiny');
    const r = await runRounds({ workloads: tiny, budgetMs: 60, rounds: 2, threads: [1], peers: true, ours: true, log: () => undefined });
    const row = (impl: string) => r.rows.find((x) => x.workload === 'tiny' && x.impl === impl);
    for (const impl of ['ours-train-1t', 'hand-js']) {
      assert.equal(row(impl)?.rounds?.length, 2, `${impl}: ${JSON.stringify(row(impl))}`);
      assert.ok(row(impl)!.rounds!.every((v) => v! > 0), impl);
    }
    assert.equal(r.load.length, r.rows.reduce((n, x) => n + (x.rounds?.length ?? 0), 0), 'the load is sampled before every figure');
    assert.equal(r.agreement.length, 1);
    if (pytorchUnavailable()) {
      assert.match(row('pytorch')!.note!, /^PyTorch: not installed/);
      assert.match(r.agreement[0], /no loss to compare \(PyTorch reported none\)/);
    } else {
      assert.equal(row('pytorch-1t')?.rounds?.length, 2, JSON.stringify(row('pytorch-1t')));
      // Same weights, same batches in order (the last one smaller), same loss: to float rounding.
      assert.match(r.agreement[0], /^tiny\s+after \d+ epoch\(s\), \d+ steps: ours [\d.]+, PyTorch [\d.]+, relative difference [\d.e+-]+: agree$/);
    }
  });

  it('the GPU row: ours through train() on WebGPU gives a figure and a loss, and PyTorch on CUDA says why it has none', async () => {
    const tiny = WORKLOADS.filter((w) => w.name === 'tiny');
    const r = await runRounds({ workloads: tiny, budgetMs: 60, rounds: 1, threads: [1], peers: true, ours: true, gpu: true, gpuWorkloads: ['tiny'], log: () => undefined });
    const gpu = r.rows.find((x) => x.impl === 'ours-webgpu-train');
    assert.ok(gpu?.samplesPerSec && gpu.samplesPerSec > 0, JSON.stringify(gpu));
    const cuda = r.rows.find((x) => x.impl === 'pytorch-cuda')!;
    if (pytorchCudaUnavailable()) assert.ok(cuda.note && !cuda.samplesPerSec, JSON.stringify(cuda));
    else assert.ok(cuda.samplesPerSec! > 0, JSON.stringify(cuda));
    assert.match(r.agreement.find((a) => a.endsWith('(WebGPU)'))!, /^tiny\s+(after \d+ epoch|no loss to compare \(PyTorch CUDA reported none\))/);
  });

  it('an image workload: PyTorch (channels first) trains from the same bytes as ours to the same losses', async function () {
    if (pytorchUnavailable()) this.skip();
    const r = await runRounds({ workloads: [SMALL_IMAGE], budgetMs: 60, rounds: 1, threads: [1], peers: true, ours: true, log: () => undefined });
    for (const impl of ['ours-train-1t', 'pytorch-1t']) {
      const row = r.rows.find((x) => x.impl === impl);
      assert.ok(row?.samplesPerSec && row.samplesPerSec > 0, `${impl}: ${JSON.stringify(row)}`);
    }
    assert.match(r.agreement[0], /^cnn\s+after \d+ epoch\(s\), \d+ steps: ours [\d.]+, PyTorch [\d.]+, relative difference [\d.e+-]+: agree$/);
  });
});
