import * as assert from 'node:assert/strict';
import { fmt, formatTable, judgeTargets, type Row } from '../../../bench/report';
import { timeBoxSync, WORKLOADS } from '../../../bench/workloads';

const rows: Row[] = [
  { workload: 'tiny', impl: 'ours-cpu', samplesPerSec: 1_000_000 },
  { workload: 'tiny', impl: 'ours-webgpu', samplesPerSec: 50_000 },
  { workload: 'tiny', impl: 'hand-js', samplesPerSec: 1_250_000 },
  { workload: 'tiny', impl: 'pytorch-cpu', samplesPerSec: 80_000 },
  { workload: 'wide', impl: 'tfjs-wasm', samplesPerSec: 160 },
  { workload: 'wide', impl: 'pytorch-cpu', note: 'PyTorch: not installed (apt-get install python3-torch)' },
];

describe('bench report', () => {
  it('divides our best figure by each peer and shows why a figure is missing', () => {
    const table = formatTable(rows, WORKLOADS).split('\n');
    assert.match(table[0], /^workload\s+impl\s+samples\/s\s+ours\/theirs$/);
    assert.match(table.find((l) => l.includes('hand-js'))!, /1,250,000\s+0\.80× \(ours-cpu\)$/);
    assert.match(table.find((l) => l.includes('tiny') && l.includes('pytorch-cpu'))!, /80,000\s+12\.50× \(ours-cpu\)$/);
    assert.match(table.find((l) => l.includes('ours-webgpu'))!, /50,000$/); // our own rows carry no ratio
    assert.match(table.find((l) => l.includes('wide') && l.includes('pytorch'))!, /PyTorch: not installed \(apt-get install python3-torch\)$/);
    assert.match(table.find((l) => l.includes('tfjs-wasm'))!, /160$/); // no figure of ours on wide: no ratio
  });

  it('judges the issue targets from the figures', () => {
    const v = judgeTargets(rows, WORKLOADS);
    assert.deepEqual(v.map((t) => [t.workload, t.verdict]), [
      ['tiny', 'MET'], ['tiny', 'MET'], ['playground', 'no figure of ours'], ['mnist-like', 'no figure of ours'], ['wide', 'no figure of ours'],
    ]);
    assert.equal(v[1].ratio, 0.8);
    const slow = judgeTargets([{ workload: 'tiny', impl: 'ours-cpu', samplesPerSec: 100 }, ...rows.slice(2)], WORKLOADS.slice(0, 1));
    assert.deepEqual(slow.map((t) => t.verdict), ['NOT MET', 'NOT MET']);
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
