import * as assert from 'node:assert/strict';
import { fmt, formatTable, formatVerdict, judgeTargets, lossAgreement, loadLine, TARGETS, type Row } from '../../../bench/report';
import { pinnedThreadsEnv } from '../../../bench/peers/pytorch';
import { timeBoxSync, WORKLOADS } from '../../../bench/workloads';

const rows: Row[] = [
  { workload: 'tiny', impl: 'ours-train-1t', samplesPerSec: 1_000_000, rounds: [900_000, 1_000_000, 1_100_000] },
  { workload: 'tiny', impl: 'ours-train-2t', samplesPerSec: 500_000, rounds: [500_000, 500_000, 500_000] },
  { workload: 'tiny', impl: 'ours-replay', samplesPerSec: 2_000_000 },
  { workload: 'tiny', impl: 'hand-js', samplesPerSec: 1_250_000, rounds: [1_125_000, 1_250_000, 1_375_000] },
  { workload: 'tiny', impl: 'pytorch-1t', samplesPerSec: 40_000, rounds: [36_000, 40_000, 44_000] },
  { workload: 'tiny', impl: 'pytorch-2t', samplesPerSec: 50_000, rounds: [50_000, 50_000, 50_000] },
  { workload: 'wide', impl: 'tfjs-wasm', samplesPerSec: 160 },
  { workload: 'wide', impl: 'pytorch', note: 'PyTorch: not installed (apt-get install python3-torch)' },
];

describe('bench report', () => {
  it('divides our train() figure at the same thread count by each peer, with the rounds\' spread, and shows why a figure is missing', () => {
    const table = formatTable(rows, WORKLOADS).split('\n');
    assert.match(table[0], /^workload\s+impl\s+samples\/s\s+spread \(min–max\)\s+ours\/theirs$/);
    assert.match(table.find((l) => l.includes('hand-js'))!, /1,250,000\s+1,125,000–1,375,000 \(3 rounds\)\s+0\.80× \(ours-train-1t\)$/);
    assert.match(table.find((l) => l.includes('pytorch-1t'))!, /40,000\s+36,000–44,000 \(3 rounds\)\s+25\.00× \(ours-train-1t\)$/);
    // The 2-thread peer is compared with ours at 2 threads, not with our best figure (the replay).
    assert.match(table.find((l) => l.includes('pytorch-2t'))!, /10\.00× \(ours-train-2t\)$/);
    assert.match(table.find((l) => l.includes('ours-replay'))!, /2,000,000$/); // our own rows carry no ratio
    assert.match(table.find((l) => l.includes('wide') && l.includes('pytorch'))!, /PyTorch: not installed \(apt-get install python3-torch\)$/);
    assert.match(table.find((l) => l.includes('tfjs-wasm'))!, /160$/); // no train() figure of ours on wide: no ratio
    // The note runs on past the columns; it does not push the figures of every other row to the right.
    assert.equal(table[0].indexOf('samples/s'), table.find((l) => l.includes('pytorch-1t'))!.indexOf('40,000') + '40,000'.length - 'samples/s'.length);
    assert.ok(table[0].indexOf('samples/s') < 40, `the samples/s column starts at ${table[0].indexOf('samples/s')}`);
  });

  it('compares PyTorch on CUDA with ours through train() on WebGPU, not with our CPU figure', () => {
    const gpuRows: Row[] = [
      { workload: 'wide', impl: 'ours-train-1t', samplesPerSec: 100 },
      { workload: 'wide', impl: 'ours-webgpu-train', samplesPerSec: 3000 },
      { workload: 'wide', impl: 'pytorch-cuda', samplesPerSec: 10000 },
    ];
    const line = formatTable(gpuRows, WORKLOADS).split('\n').find((l) => l.includes('pytorch-cuda'))!;
    assert.match(line, /0\.30× \(ours-webgpu-train\)$/);
    const v = judgeTargets(gpuRows, WORKLOADS).find((t) => t.target.includes('CUDA'))!;
    assert.deepEqual([v.verdict, v.ratio], ['NOT MET', 0.3]);
  });

  it('judges every issue-15 target, also those of workloads not run, and never the replay', () => {
    const v = judgeTargets(rows, WORKLOADS.slice(0, 1));
    assert.deepEqual(v.map((t) => [t.workload, t.target, t.verdict]), [
      ['tiny', 'ours-train-1t ≥ 25× PyTorch, 1 thread', 'MET'],
      ['tiny', 'ours-train-1t ≥ 0.8× the hand-written loop', 'MET'],
      ['playground', 'ours-train-1t ≥ 10× PyTorch, 1 thread', 'not run (workload not selected)'],
      ['mnist-like', 'ours-train-1t ≥ 0.8× PyTorch, 1 thread', 'not run (workload not selected)'],
      ['wide', 'ours-train-1t ≥ 0.8× PyTorch, 1 thread', 'not run (workload not selected)'],
      ['wide', 'ours-train-2t 2 threads ≥ 1.6× our 1-thread speed', 'not run (workload not selected)'],
      ['wide', 'ours-webgpu-train WebGPU ≥ 0.5× PyTorch CUDA (real GPU)', 'not run (workload not selected)'],
      ['cnn', 'ours-train-1t ≥ 2× TF.js-wasm (1 thread)', 'not run (workload not selected)'],
      ['cnn', 'ours-train-1t ≥ 0.3× PyTorch, 1 thread', 'not run (workload not selected)'],
    ]);
    assert.equal(v[0].ratio, 25);
    assert.equal(v[1].ratio, 0.8);
    assert.deepEqual([v[0].min, v[0].max], [25, 25]);
    const all = judgeTargets(rows, WORKLOADS);
    assert.equal(all.length, TARGETS.length);
    assert.deepEqual(all.slice(2).map((t) => t.verdict), ['no ours-train-1t figure', 'no ours-train-1t figure', 'no ours-train-1t figure', 'no ours-train-2t figure', 'no ours-webgpu-train figure', 'no ours-train-1t figure', 'no ours-train-1t figure']);
  });

  it('holds each target at the issue\'s factor: just below it is NOT MET', () => {
    const factors = new Map(TARGETS.map((t) => [`${t.workload} ${t.ours} ${t.peer}`, t.factor]));
    assert.deepEqual([...factors.values()], [25, 0.8, 10, 0.8, 0.8, 1.6, 0.5, 2, 0.3]);
    for (const t of TARGETS) {
      for (const [scale, verdict] of [[1, 'MET'], [0.99, 'NOT MET']] as const) {
        const r: Row[] = [
          { workload: t.workload, impl: t.ours, samplesPerSec: 1000 * t.factor * scale },
          { workload: t.workload, impl: t.peer, samplesPerSec: 1000 },
        ];
        const got = judgeTargets(r, WORKLOADS).find((x) => x.workload === t.workload && x.target.startsWith(`${t.ours} ${t.wording}`))!;
        assert.equal(got.verdict, verdict, `${t.workload} ${t.wording} at ${scale}×`);
      }
    }
  });

  it('judges the cnn workload against TF.js-wasm (measured once, beside our rounds) and PyTorch at 1 thread, and prints both verdicts', () => {
    const r: Row[] = [
      { workload: 'cnn', impl: 'ours-train-1t', samplesPerSec: 280, rounds: [270, 290] },
      { workload: 'cnn', impl: 'pytorch-1t', samplesPerSec: 1000, rounds: [1000, 1000] },
      { workload: 'cnn', impl: 'tfjs-wasm', samplesPerSec: 100 },
    ];
    const cnn = WORKLOADS.filter((w) => w.name === 'cnn');
    const v = judgeTargets(r, cnn).filter((t) => t.workload === 'cnn');
    assert.deepEqual(v.map((t) => [t.target, t.verdict]), [
      ['ours-train-1t ≥ 2× TF.js-wasm (1 thread)', 'MET'],
      ['ours-train-1t ≥ 0.3× PyTorch, 1 thread', 'NOT MET'],
    ]);
    assert.equal(v[0].ratio, 2.8);
    assert.ok(Math.abs(v[1].ratio! - 0.28) < 1e-12, `ratio ${v[1].ratio}`);
    assert.match(formatVerdict(v[1]), /^cnn\s+ours-train-1t ≥ 0\.3× PyTorch, 1 thread\s+NOT MET \(0\.28×, rounds 0\.27–0\.29\)$/);
    const table = formatTable(r, cnn).split('\n');
    assert.match(table.find((l) => l.includes('tfjs-wasm'))!, /100\s+2\.80× \(ours-train-1t\)$/);
  });

  it('judges the median of the per-round ratios (rounds paired), not the ratio of the medians', () => {
    const r: Row[] = [
      { workload: 'wide', impl: 'ours-train-1t', samplesPerSec: 50, rounds: [100, 50, 10] },
      { workload: 'wide', impl: 'pytorch-1t', samplesPerSec: 40, rounds: [120, 40, 13] },
    ];
    const v = judgeTargets(r, WORKLOADS).find((t) => t.workload === 'wide' && t.target.includes('PyTorch, 1 thread'))!;
    assert.equal(v.verdict, 'MET');
    assert.ok(Math.abs(v.ratio! - 100 / 120) < 1e-12, `ratio ${v.ratio}`);
    assert.ok(Math.abs(v.min! - 10 / 13) < 1e-12 && v.max === 1.25);
    assert.match(formatTable(r, WORKLOADS).split('\n').find((l) => l.includes('pytorch-1t'))!, /0\.83× \(0\.77–1\.25\) \(ours-train-1t\)$/);
  });

  it('writes the loss agreement line after the last epoch both ran', () => {
    const w = { name: 'tiny' as const, samples: 1000, batch: 32 };
    assert.equal(lossAgreement(w, [0.8, 0.6, 0.5], [0.8, 0.6000001]),
      'tiny        after 2 epoch(s), 64 steps: ours 0.600000, PyTorch 0.600000, relative difference 1.7e-7: agree');
    assert.match(lossAgreement(w, [0.8, 0.7], [0.8, 0.6]), /relative difference 1\.7e-1: DIFFER \(more than 0\.001 relative\)$/);
    assert.match(lossAgreement(w, [0.8], undefined), /no loss to compare \(PyTorch reported none\)$/);
    assert.match(lossAgreement(w, [0.8, NaN], [0.8, 0.6]), /DIFFER/);
  });

  it('prints the load during the run and warns when other work competed', () => {
    assert.equal(loadLine([0.5, 0.7, 0.6], 2), 'load average (1 min) during the rounds: median 0.6, 0.5–0.7 on 2 cores');
    assert.match(loadLine([9, 11, 10], 2), /median 10\.0, 9\.0–11\.0 on 2 cores; other work competed for the cores/);
  });

  it('pins the PyTorch peer\'s BLAS to the thread count (OpenBLAS ignores torch.set_num_threads)', () => {
    assert.deepEqual(pinnedThreadsEnv(1), { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
    assert.equal(pinnedThreadsEnv(2).OPENBLAS_NUM_THREADS, '2');
  });

  it('formats figures for people', () => {
    assert.equal(fmt(1234567.8), '1,234,568');
    assert.equal(fmt(26.54), '26.5');
  });

  it('timeBoxSync counts samples over the timed steps only (on a fake clock)', () => {
    const realNow = performance.now;
    let clock = 0;
    performance.now = () => clock;
    try {
      let calls = 0;
      // Each step of 10 samples takes 2 ms: 5,000 samples/s, whatever the warm-up did.
      const rate = timeBoxSync(4, () => {
        calls++;
        clock += 2;
        return 10;
      }, 60);
      assert.equal(rate, 5000);
      assert.equal(calls, 5 + 30); // 10 ms of warm-up (a sixth of the budget), 60 ms timed
    } finally {
      performance.now = realNow;
    }
  });
});
