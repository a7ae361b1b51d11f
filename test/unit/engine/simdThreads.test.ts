/**
 * Both cores for the CPU backend's matrix products: the helper thread is on by default where the
 * machine has two cores (NN_THREADS=auto), NN_THREADS=1 and =2 force the count, and a product
 * split across the two threads gives the same floats as on one, so training is the same either
 * way. Each case runs in a child process: the choice is made once per process.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { chunkStarts, cpuCount, threadSetting, threadSettingOrAuto, wantsHelper } from '../../../src/engine/cpu/simdPool';
import { simdAvailable } from '../../../src/engine/cpu/simdMatmul';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs threadSplitChild.ts with NN_THREADS set to `threads` (undefined: not set at all). */
/** The child's JSON line (threadSplitChild.ts). */
interface ChildReport {
  threads: number;
  cores: number;
  ready?: boolean;
  fused?: ProductsReport;
  plain?: ProductsReport;
  slow?: { same: boolean; helperJobs: number; helperChunks: number; accounted: boolean; firstDiff?: string };
  trainSplits?: number;
  losses?: { one: number[]; two: number[] };
}
interface ProductsReport { same: boolean; splitAll: boolean; firstDiff?: string }

let compared: ChildReport | undefined;

/** The --compare child's report, run once for the tests that read it. */
function compare(): ChildReport {
  compared ??= child('2', '--compare');
  return compared;
}

function child(threads: string | undefined, ...args: string[]): ChildReport {
  const env = { ...process.env };
  delete env.NN_THREADS;
  if (threads !== undefined) env.NN_THREADS = threads;
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'threadSplitChild.ts'), ...args], { env, encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildReport;
}

describe('cpu SIMD kernels: both cores', function () {
  this.timeout(60000);

  before(function () {
    if (!simdAvailable() || typeof SharedArrayBuffer !== 'function') this.skip();
  });

  it('NN_THREADS reads auto (unset, empty or "auto"), 1 or 2; anything else is an error that says what to write', () => {
    assert.equal(threadSetting({}), 'auto');
    assert.equal(threadSetting({ NN_THREADS: '' }), 'auto');
    assert.equal(threadSetting({ NN_THREADS: 'Auto' }), 'auto');
    assert.equal(threadSetting({ NN_THREADS: '1' }), 1);
    assert.equal(threadSetting({ NN_THREADS: ' 2 ' }), 2);
    assert.throws(() => threadSetting({ NN_THREADS: '4' }), /NN_THREADS=4 .*use 1 \(one core\), 2 \(a helper thread\) or auto/);
    // A mistyped value in the trainer's environment warns and goes on with auto (never fails a step).
    const warn = console.warn;
    const said: string[] = [];
    console.warn = (m: string) => { said.push(m); };
    try {
      assert.equal(threadSettingOrAuto({ NN_THREADS: 'two' }), 'auto');
    } finally {
      console.warn = warn;
    }
    assert.match(said.join('\n'), /NN_THREADS=two .*Training goes on with auto/);
    // auto takes the second core only where there is one; the forced counts ignore the cores.
    assert.equal(wantsHelper('auto', 1), false);
    assert.equal(wantsHelper('auto', 2), true);
    assert.equal(wantsHelper(1, 16), false);
    assert.equal(wantsHelper(2, 1), true);
  });

  it('a split product is cut into chunks of whole tiles, big ones first: each about a quarter of the rows left, 16 to 256 rows', () => {
    // wide's 256 rows (64 tiles of 4), 1024 rows, mnist-like's 64, and sizes off every boundary.
    assert.deepEqual(chunkStarts(64, 4), [0, 16, 28, 37, 44, 49, 53, 57, 61, 64]);
    assert.deepEqual(chunkStarts(16, 4), [0, 4, 8, 12, 16]);
    for (const tiles of [1, 2, 3, 5, 16, 33, 64, 97, 256, 1000, 100000]) {
      const s = chunkStarts(tiles, 4);
      assert.equal(s[0], 0);
      assert.equal(s[s.length - 1], tiles, `${tiles} tiles: every tile in a chunk`);
      assert.ok(s.length - 1 <= 255, `${tiles} tiles: at most 255 chunks`);
      for (let j = 1; j < s.length; j++) {
        const size = s[j] - s[j - 1];
        assert.ok(size >= 1, `${tiles} tiles: chunk ${j - 1} not empty`);
        if (tiles <= 4096) assert.ok(size * 4 <= 256, `${tiles} tiles: chunk ${j - 1} of ${size * 4} rows`);
        if (j < s.length - 1) assert.ok(size * 4 >= 16, `${tiles} tiles: only the last chunk under 16 rows`);
        if (j > 1) assert.ok(size <= s[j - 1] - s[j - 2], `${tiles} tiles: chunks never grow`);
      }
    }
  });

  it('by default (NN_THREADS not set) a machine with two cores or more uses both', () => {
    const out = child(undefined);
    assert.equal(out.cores, cpuCount());
    assert.equal(out.threads, cpuCount() >= 2 ? 2 : 1, `${out.cores} core(s)`);
  });

  it('NN_THREADS=1 keeps one thread, NN_THREADS=2 starts the helper', () => {
    assert.equal(child('1').threads, 1);
    assert.equal(child('2').threads, 2);
  });

  it('a product split across two threads gives the same floats as on one, in every layout, and so does training', () => {
    const out = compare();
    assert.equal(out.threads, 2);
    assert.equal(out.ready, true, 'the helper thread started and took a share of a product');
    for (const path of ['fused', 'plain'] as const) {
      const p = out[path];
      if (!p) continue; // no relaxed SIMD in this runtime: the fused kernels are not used
      assert.equal(p.splitAll, true, `${path}: every product was split`);
      assert.equal(p.same, true, `${path}: ${p.firstDiff}`);
    }
    assert.ok((out.trainSplits ?? 0) > 0, 'the training run split its products');
  });

  it('both threads pack the operands, and the product waits for every packed panel even when the helper is slow', () => {
    const out = compare();
    const slow = out.slow;
    assert.ok(slow, 'the child ran the slow-helper products');
    assert.equal(slow.same, true, slow.firstDiff);
    assert.ok(slow.helperJobs > 0, 'the helper took packing jobs');
    assert.equal(slow.accounted, true, "the stamps account for every chunk of each product, and someone packed");
    assert.equal(out.losses?.one.length, 4);
    assert.deepEqual(out.losses?.two, out.losses?.one, 'the same losses, epoch by epoch, on one thread and split');
  });
});
