/**
 * The training view inside the graph editor (headless Chromium, real editor bundle): a real
 * spiral run streams in; the loss chart, metrics, decision boundary and edge colours follow.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { streamRun } from './trainingStream';

const root = path.resolve(__dirname, '../..');
const fixture = path.join(root, 'test/unit/trainer/fixtures/spiral.nn');

describe('training view in the graph editor (Chromium)', function () {
  this.timeout(120000);
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`draws the loss falling, metrics, the boundary and weight-coloured edges during a run (${theme})`, async () => {
      const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { theme, width: 1280, height: 760, fileName: 'spiral.nn' });
      const page = host.page;
      assert.equal(await page.isHidden('[data-testid="training"]'), true, 'hidden until a run starts');
      const figures = await streamRun(page, fixture, theme === 'light' ? 5000 : 3000);
      assert.ok(figures.appliedPerSec > 5, `updates reached the view: ${figures.appliedPerSec.toFixed(1)}/s`);
      assert.equal(await page.isVisible('[data-testid="training"]'), true);
      const state = (await page.evaluate('(() => { const s = window.neuralCanvasTraining.state; return { loss: s.loss, val: s.valLoss.filter((v) => v !== null), acc: s.metrics.accuracy, boundary: !!s.boundary, points: s.points ? s.points.label.length : 0 }; })()')) as
        { loss: number[]; val: number[]; acc?: number; boundary: boolean; points: number };
      assert.ok(state.loss.length > 10, `loss points: ${state.loss.length}`);
      const head = state.loss.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
      const tail = state.loss.slice(-5).reduce((a, b) => a + b, 0) / 5;
      assert.ok(tail < head, `loss fell: ${head} → ${tail}`);
      assert.ok(state.val.length > 0, 'validation loss arrived');
      assert.ok(state.acc !== undefined && state.acc > 0.5, `accuracy ${state.acc}`);
      assert.ok(state.boundary && state.points === 400);
      assert.match(await page.textContent('[data-testid="training-stats"]') ?? '', /step .* samples\/s · cpu · 337 params/);
      assert.equal(await page.locator('[data-testid="loss-chart"] canvas').count() > 0, true);
      assert.match(await page.textContent('[data-testid="training-metrics"]') ?? '', /accuracy \d+\.\d%/);
      assert.equal(await page.locator('table.confusion tr').count(), 3);
      // The boundary canvas is painted (not blank) and edges into dense layers carry a weight colour.
      const painted = (await page.evaluate(`(() => {
        const cv = document.querySelector('[data-testid="boundary"]');
        const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n / (d.length / 4);
      })()`)) as number;
      assert.ok(painted > 0.9, `boundary painted: ${painted}`);
      const strokes = (await page.evaluate(`[...document.querySelectorAll('g.edge[data-to] .edge-line')].map((l) => l.style.stroke)`)) as string[];
      assert.ok(strokes.length >= 3 && strokes.every((s) => s.startsWith('rgb')), strokes.join(','));
      await page.click('[data-testid="training"] label');
      assert.equal(await page.isChecked('[data-testid="training"] input[type="checkbox"]'), true, 'log scale toggled');
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(root, `test-results/webview/editor-training-${theme}.png`) });
      // The shared harness serves no favicon; Chromium reports that 404 as a console error.
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });
  }

  it('says when the file has saved weights, and shows a dead training process as an error', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { fileName: 'spiral.nn' });
    await host.post({ type: 'training', update: { kind: 'saved', runId: 0, weightsFile: 'spiral.weights.safetensors' } });
    await host.page.waitForSelector('[data-testid="training"]:not([hidden])', { timeout: 5000 });
    assert.match(await host.page.textContent('[data-testid="training-stats"]') ?? '', /saved weights: spiral\.weights\.safetensors/);
    await host.post({ type: 'training', update: { kind: 'exited', runId: 3, message: 'The training process was killed (SIGKILL) during the run. Nothing was saved from this run; press Train to start again.' } });
    await host.page.waitForSelector('[data-testid="training"] .outcome.error', { timeout: 5000 });
    assert.match(await host.page.textContent('[data-testid="training"] .outcome') ?? '', /killed \(SIGKILL\).*press Train/);
    await host.page.close();
  });

  it('colours edges by the streamed weights, keeps the colours across a text change, and takes them off on Reset Weights', async () => {
    const text = readRepoFile('test/unit/trainer/fixtures/spiral.nn');
    const host = await browser.open(text, { fileName: 'spiral.nn' });
    const page = host.page;
    await host.post({ type: 'training', update: { kind: 'saved', runId: 0, weightsFile: 'spiral.weights.safetensors' } });
    // Typed arrays are built in the page, as the host's messages arrive there.
    await page.evaluate(`window.postMessage({ type: 'training', update: { kind: 'weights', runId: 1, layers: {
      h1: { shape: [16, 2], data: new Float32Array(32).fill(0.5) },
      h2: { shape: [16, 16], data: new Float32Array(256).fill(-0.25) },
    } } }, '*')`);
    const strokes = (): Promise<Record<string, [string, string]>> => page.evaluate(`Object.fromEntries([...document.querySelectorAll('g.edge[data-to]')].map((g) => {
      const l = g.querySelector('.edge-line');
      return [g.getAttribute('data-to'), [l.style.stroke, l.style.strokeWidth]];
    }))`) as Promise<Record<string, [string, string]>>;
    const expected = { h1: ['rgb(245, 147, 34)', '5'], h2: ['rgb(8, 119, 189)', '3'], y: ['', ''] };
    // Polled with evaluate: waitForFunction compiles its predicate in the page, which the strict CSP forbids.
    const until = async (ok: (s: Record<string, [string, string]>) => boolean): Promise<void> => {
      for (let i = 0; i < 250 && !ok(await strokes()); i++) await page.waitForTimeout(20);
    };
    await until((s) => s.h1?.[0] !== '');
    assert.deepEqual(await strokes(), expected, 'orange into h1 (positive, largest RMS), blue into h2, none into y (no weights)');
    // A new snapshot redraws the graph: the colours stay.
    await host.setText(text.replace('"id": "y"', '"id": "y", "label": "class"'));
    await host.rendered();
    assert.deepEqual(await strokes(), expected, 'after a text change');
    await host.post({ type: 'training', update: { kind: 'reset', runId: 0, message: 'Weights reset: spiral.weights.safetensors was deleted; the next run starts from fresh weights.' } });
    await until((s) => s.h1?.[0] === '');
    assert.deepEqual(await strokes(), { h1: ['', ''], h2: ['', ''], y: ['', ''] }, 'the theme\'s colours again');
    assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
    await page.close();
  });

  it('selects the node the gradients panel picked', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { fileName: 'spiral.nn' });
    await host.post({ type: 'selectNode', id: 'h2' });
    await host.page.waitForSelector('[data-node-id="h2"].selected', { timeout: 5000 });
    // And back: a click in the graph tells the host, which points the panel at that layer.
    await host.page.click('[data-node-id="y"]');
    for (let i = 0; i < 50 && !host.rejected.length && !host.received.some((m) => m.type === 'selectionChanged'); i++) await host.page.waitForTimeout(20);
    assert.deepEqual(host.rejected, []);
    assert.deepEqual(host.received.filter((m) => m.type === 'selectionChanged').pop(), { type: 'selectionChanged', ids: ['y'] });
    await host.page.close();
  });
});
