/**
 * The gradients panel in headless Chromium, fed a real training stream (the trainer's core run
 * in-process on the spiral fixture) and hand-made updates for the warning cases.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FromTrainer, GradientCheckResult, LayerSummary, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { PanelBrowser, type PanelPage } from './panelHarness';

const root = path.resolve(__dirname, '../..');

/** Runs the spiral fixture for `ms` in-process and returns every update. */
async function recordRun(ms: number): Promise<TrainingUpdate[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-panel-'));
  const file = path.join(dir, 'spiral.nn');
  fs.copyFileSync(path.join(root, 'test/unit/trainer/fixtures/spiral.nn'), file);
  const updates: TrainingUpdate[] = [];
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'update') updates.push(m.update); });
  core.receive({ type: 'train', runId: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir], overrides: { backend: 'cpu' } });
  await new Promise((r) => setTimeout(r, ms));
  core.receive({ type: 'stop', runId: 1 });
  await new Promise((r) => setTimeout(r, 50));
  await core.idle();
  return updates;
}

function layer(id: string, gradL2: number): LayerSummary {
  const h = { min: -1, max: 1, counts: [1, 2, 3, 2, 1] };
  return { id, weight: { l2: 1, mean: 0, std: 0.5, histogram: h }, grad: { l2: gradL2, mean: 0, std: gradL2, histogram: h } };
}

async function tableLayers(p: PanelPage): Promise<string[]> {
  return p.page.$$eval('tbody tr[data-layer]', (rows) => rows.map((r) => r.getAttribute('data-layer') ?? ''));
}

describe('gradients panel (Chromium)', function () {
  this.timeout(90000);
  const browser = new PanelBrowser();
  let run: TrainingUpdate[];
  before(async () => {
    [run] = await Promise.all([recordRun(2500), browser.start()]);
  });
  after(() => browser.stop());

  it('shows per-layer norms, histograms and the weight heatmap of a real run, and restores from a replay', async () => {
    const p = await browser.open('light');
    await p.post({ type: 'follow', file: 'spiral.nn', layers: [], updates: [] });
    await p.updates('spiral.nn', run);
    await p.frames();
    assert.deepEqual(await tableLayers(p), ['h1', 'h2', 'y']);
    const norms = await p.page.$$eval('tbody tr[data-layer] td:nth-child(2)', (tds) => tds.map((t) => Number(t.textContent)));
    assert.ok(norms.every((n) => n > 0 && Number.isFinite(n)), `gradient norms ${norms}`);
    assert.equal(await p.page.locator('[data-testid="grad-norms"] canvas').count() > 0, true, 'the norm chart is drawn');
    assert.match(await p.page.textContent('figcaption:last-of-type') ?? '', /./);
    const caption = await p.page.$$eval('figcaption', (f) => f.map((x) => x.textContent ?? ''));
    assert.ok(caption.some((c) => /W: 16×2/.test(c)), caption.join(' | '));
    const report = p.posted.filter((m) => m.type === 'panelRendered').pop();
    assert.deepEqual(report?.layers, ['h1', 'h2', 'y']);
    await p.page.screenshot({ path: path.join(root, 'test-results/webview/gradients-panel-light.png') });
    // A fresh page given the replay shows the same layers (hidden and shown again).
    const again = await browser.open('dark');
    const replay = run.filter((u) => u.kind !== 'progress');
    await again.post({ type: 'follow', file: 'spiral.nn', layers: ['h1', 'h2', 'y'], updates: replay, selected: 'h2' });
    await again.frames();
    assert.deepEqual(await tableLayers(again), ['h1', 'h2', 'y']);
    assert.equal(await again.page.getAttribute('tbody tr.selected', 'data-layer'), 'h2');
    await again.page.screenshot({ path: path.join(root, 'test-results/webview/gradients-panel-dark.png') });
    assert.deepEqual([...p.errors, ...again.errors], []);
    await p.page.close();
    await again.page.close();
  });

  it('clicking a layer selects it and tells the host (which selects the node in the graph)', async () => {
    const p = await browser.open();
    await p.post({ type: 'follow', file: 'spiral.nn', layers: [], updates: run.filter((u) => u.kind === 'start' || u.kind === 'layers') });
    await p.frames();
    await p.page.click('tbody tr[data-layer="y"]');
    await p.frames();
    assert.deepEqual(p.posted.filter((m) => m.type === 'select').pop(), { type: 'select', id: 'y' });
    assert.equal(await p.page.getAttribute('tbody tr.selected', 'data-layer'), 'y');
    await p.post({ type: 'select', id: 'h1' });
    await p.frames();
    assert.equal(await p.page.getAttribute('tbody tr.selected', 'data-layer'), 'h1');
    await p.page.close();
  });

  it('warns about exploding, NaN and (after 100 steps) vanishing gradients, naming the layer', async () => {
    const p = await browser.open();
    await p.post({ type: 'follow', file: 'deep.nn', layers: [], updates: [] });
    const start: TrainingUpdate = { kind: 'start', runId: 2, file: 'deep.nn', backend: 'cpu', reason: '', mode: 'train', paramCounts: [], totalParams: 0, trainCount: 1, validationCount: 0, epochs: 1, stepsPerEpoch: 1, batchSize: 1, notices: [] };
    const steps: TrainingUpdate[] = [start];
    for (let s = 1; s <= 60; s++) steps.push({ kind: 'layers', runId: 2, globalStep: s * 2, layers: [layer('early', 1e-9), layer('mid', 0.5), layer('late', 0.3)] });
    await p.updates('deep.nn', steps);
    await p.frames();
    let warnings = await p.page.$$eval('[data-testid="warnings"] li', (li) => li.map((l) => l.textContent ?? ''));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /^early: vanishing gradient/);
    await p.updates('deep.nn', [{ kind: 'layers', runId: 2, globalStep: 122, layers: [layer('early', 0.1), layer('mid', 5e3), layer('late', NaN)] }]);
    await p.frames();
    warnings = await p.page.$$eval('[data-testid="warnings"] li', (li) => li.map((l) => l.textContent ?? ''));
    assert.deepEqual(warnings.map((w) => w.split(':')[0]), ['mid', 'late']);
    assert.match(warnings[0], /exploding/);
    assert.match(warnings[1], /NaN/);
    await p.page.close();
  });

  it('shows Check Gradients side by side with relative errors, and asks the host to run it', async () => {
    const p = await browser.open();
    await p.post({ type: 'follow', file: 'interview.nn', layers: [], updates: [] });
    const result: GradientCheckResult = { file: 'interview.nn', what: 'test', rows: [
      { tensor: 'hidden.weight', checked: 6, analyticNorm: 0.5, numericNorm: 0.5, relativeError: 2e-7, samples: [{ index: 0, analytic: 0.1, numeric: 0.1 }] },
      { tensor: 'y.bias', checked: 1, analyticNorm: 0.2, numericNorm: 0.3, relativeError: 0.2, samples: [{ index: 0, analytic: 0.2, numeric: 0.3 }] },
    ] };
    await p.post({ type: 'gradientCheck', result });
    await p.frames();
    const cells = await p.page.$$eval('[data-testid="gradient-check"] tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => `${td.textContent}${td.className ? `[${td.className}]` : ''}`)));
    assert.equal(cells.length, 2);
    assert.equal(cells[0][0], 'hidden.weight');
    assert.equal(cells[0][4], '2.00e-7[good]');
    assert.equal(cells[1][4], '2.00e-1[bad]');
    await p.page.click('button:has-text("Check Gradients")');
    assert.ok(p.posted.some((m) => m.type === 'checkGradients'));
    await p.page.close();
  });
});
