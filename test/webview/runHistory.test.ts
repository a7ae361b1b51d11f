/**
 * The run history in the training view (headless Chromium, real editor bundle): two real runs of
 * the spiral (trained here by the training process's core, recorded as the host records them) are
 * listed newest first; ticking them overlays both on the loss chart in their own colours, with a
 * legend; Restore sends one restoreTraining intent that the fake host applies with the real model
 * core; unreadable lines of the file are named.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunRecorder } from '../../src/extension/training/runRecorder';
import { formatRunLine, parseRunLog, trainingSectionOf, type LoggedRun } from '../../src/model';
import type { TrainingUpdate, TrainOverrides } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';

const root = path.resolve(__dirname, '../..');
const fixture = 'test/unit/trainer/fixtures/spiral.nn';

/** Trains the fixture for real and returns its line of the run history. */
async function recordRun(text: string, overrides: TrainOverrides, started: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-runs-'));
  try {
    const file = path.join(dir, 'spiral.nn');
    fs.writeFileSync(file, text);
    const recorder = new RunRecorder({ design: 'spiral.nn', started, training: trainingSectionOf(text)!, overrides });
    let line: string | undefined;
    const core = new TrainerCore((m) => {
      if (m.type !== 'update') return;
      const r = recorder.add(m.update as TrainingUpdate);
      if (r) line = formatRunLine(r);
    });
    core.receive({ type: 'train', runId: 1, text, file, allowedRoots: [dir], overrides, eventEveryMs: 1000 });
    await new Promise((r) => setTimeout(r, 50));
    await core.idle();
    assert.ok(line, 'the run was recorded');
    return line;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls an expression in the page (the page's CSP forbids waitForFunction's eval). */
async function until(page: FakeHost['page'], expr: string, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await page.evaluate(expr)) return;
    await page.waitForTimeout(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('run history in the training view (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();
  let host: FakeHost | undefined;
  let runs: LoggedRun[] = [];
  let warnings: string[] = [];
  const text = readRepoFile(fixture);

  before(async () => {
    const fast = await recordRun(text, { epochs: 60, learningRate: 0.02, backend: 'cpu' }, '2026-11-30T17:20:00.000Z');
    const slow = await recordRun(text, { epochs: 45, learningRate: 0.005, backend: 'cpu' }, '2026-11-30T17:31:00.000Z');
    // A line cut short in the middle: skipped with a warning, the two runs around it kept.
    const log = parseRunLog(`${fast}{"format":"nn-run/1","started":"2026-\n${slow}`, 'spiral.runs.jsonl');
    runs = log.runs;
    warnings = log.warnings;
    assert.equal(runs.length, 2);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`lists the runs, overlays the ticked ones on the chart with a legend, in distinct colours (${theme})`, async () => {
      host = await browser.open(text, { theme, width: 1280, height: 760, fileName: 'spiral.nn' });
      const page = host.page;
      await host.rendered();
      assert.equal(await page.isHidden('[data-testid="training"]'), true, 'no run and no history: no view');
      await host.post({ type: 'runs', file: 'spiral.runs.jsonl', runs, warnings });
      await page.waitForSelector('[data-testid="run-history"]:not([hidden])', { timeout: 5000 });
      assert.equal(await page.isVisible('[data-testid="training"]'), true, 'a design with past runs shows them');
      const labels = await page.$$eval('[data-testid="run-history"] li .label', (ls) => ls.map((l) => l.textContent ?? ''));
      assert.equal(labels.length, 2);
      assert.match(labels[0], /^#2 · \d\d:\d\d · adam lr 0\.005 · 45 ep · loss [\d.]+$/, 'newest first');
      assert.match(labels[1], /^#1 · \d\d:\d\d · adam lr 0\.02 · 60 ep · loss [\d.]+$/);
      assert.match(await page.textContent('[data-testid="run-warnings"]') ?? '', /spiral\.runs\.jsonl:2: skipped: the line is not valid JSON/);
      const ticked = await page.$$eval('[data-testid="run-toggle"]', (bs) => bs.map((b) => (b as unknown as { checked: boolean }).checked));
      assert.deepEqual(ticked, [true, false], 'the newest run is drawn from the start');
      for (const box of await page.$$('[data-testid="run-toggle"]')) await box.check();
      await until(page, 'document.querySelectorAll(\'[data-testid="loss-chart"] .u-legend .u-series\').length >= 4', 'the legend of both runs');
      const legend = await page.$$eval('[data-testid="loss-chart"] .u-legend .u-series .u-label', (ls) => ls.map((l) => l.textContent ?? ''));
      assert.deepEqual(legend, ['#1 loss', '#1 validation', '#2 loss', '#2 validation']);
      const lines = (await page.evaluate('window.neuralCanvasTraining.history.curves.lines().map((l) => ({ label: l.label, color: l.color, n: l.x.length, first: l.y[0], last: l.y[l.y.length - 1] }))')) as { label: string; color: string; n: number; first: number; last: number }[];
      assert.deepEqual(lines.map((l) => l.n), [60, 60, 45, 45], 'one point per epoch of each run');
      assert.notEqual(lines[0].color, lines[2].color, 'each run its own colour');
      assert.ok(lines[0].last < lines[0].first, `run #1's loss fell: ${lines[0].first} → ${lines[0].last}`);
      const swatches = await page.$$eval('[data-testid="run-history"] .swatch', (s) => s.map((e) => (e as unknown as { style: { background: string } }).style.background));
      assert.equal(new Set(swatches).size, 2);
      // The chart is painted.
      const painted = (await page.evaluate(`(() => { const cv = document.querySelector('[data-testid="loss-chart"] canvas'); const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`)) as number;
      assert.ok(painted > 500, `chart painted (${painted} px)`);
      await page.waitForTimeout(100);
      fs.mkdirSync(path.join(root, 'test-results/webview'), { recursive: true });
      await page.screenshot({ path: path.join(root, `test-results/webview/run-history-${theme}.png`) });
      // Unticking takes a run off the chart.
      await (await page.$$('[data-testid="run-toggle"]'))[1].uncheck();
      await until(page, 'window.neuralCanvasTraining.history.curves.lines().length === 2', 'one run off the chart');
    });
  }

  it('Restore makes a run\'s settings the current ones in one intent, and says so; again, it says they already are', async () => {
    host = await browser.open(text, { fileName: 'spiral.nn' });
    const page = host.page;
    await host.rendered();
    await host.post({ type: 'runs', file: 'spiral.runs.jsonl', runs, warnings: [] });
    await page.waitForSelector('[data-testid="run-restore"]');
    const before = host.text;
    // The older run (#1, learning rate 0.02 for 60 epochs) is the list's second row.
    await (await page.$$('[data-testid="run-restore"]'))[1].click();
    await until(page, '/Restored the settings of run #1/.test(document.querySelector(\'[data-testid="run-history"] .runs-status\').textContent)', 'the restored message');
    assert.equal(host.intents('restoreTraining').length, 1);
    assert.deepEqual(trainingSectionOf(host.text), runs[0].training);
    assert.equal(trainingSectionOf(host.text)?.epochs, 60);
    assert.deepEqual((trainingSectionOf(host.text)?.optimizer as Record<string, unknown>).learningRate, 0.02);
    const changedLines = host.text.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    assert.ok(changedLines.length <= 2, `only the differing settings changed: ${changedLines.join(' | ')}`);
    await (await page.$$('[data-testid="run-restore"]'))[1].click();
    await until(page, '/already the current ones/.test(document.querySelector(\'[data-testid="run-history"] .runs-status\').textContent)', 'the already-current message');
  });
});
