/**
 * The Predict pane in the graph editor's training view (headless Chromium, real editor bundle,
 * the real training process's core in this process playing the host's part): fields named after
 * the features (GPA, Experience), the lecture's check (2.3, 10.2) → 0.226 as bars with class
 * names, the point drawn on the boundary, a click on the boundary setting the fields, and
 * errors in words. Screenshots light and dark under test-results/webview/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FromTrainer, PredictInfo, PredictPane, ResponseMessage, ToTrainer } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { editorSuite, readRepoFile, type FakeHost } from './editorHarness';
import { encodeTyped } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** The training process's core, asked as the host asks it. */
class Trainer {
  private readonly waiting = new Map<number, (r: ResponseMessage) => void>();
  private next = 1;
  private readonly core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'response') this.waiting.get(m.requestId)?.(m); });

  ask<T>(m: Record<string, unknown> & { type: string }): Promise<T> {
    const requestId = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(requestId, (r) => (r.ok ? resolve(r.value as T) : reject(new Error(r.error))));
      this.core.receive({ ...m, requestId } as unknown as ToTrainer);
    });
  }
}

/** Posts a message with typed arrays (they are rebuilt in the page, as postMessage delivers them). */
async function postTyped(host: FakeHost, m: unknown): Promise<void> {
  await host.page.evaluate(`(() => { ${REVIVE} window.postMessage(__revive(${JSON.stringify(encodeTyped(m))}), '*'); })()`);
}

/** Plays the host's part of the pane for `file`: rows and refreshes go to the training process. */
function serve(host: FakeHost, trainer: Trainer, file: string): { text: string; file: string; allowedRoots: string[] } {
  const job = { text: host.text, file, allowedRoots: [path.dirname(file)] };
  // The host sends the text as the editor holds it now.
  host.handlers.predictRow = (m) => trainer.ask({ type: 'predict', inputs: m.inputs, ...job, text: host.text });
  host.handlers.refreshPredict = async (m) => postTyped(host, { type: 'predictPane', info: await trainer.ask<PredictInfo>({ type: 'predictInfo', ...job, text: host.text, ...(m.inputs ? { inputs: m.inputs } : {}) }) });
  return job;
}

/** What the Predict command does with given values: the pane opens with them and their prediction. */
async function openWith(host: FakeHost, trainer: Trainer, job: object, inputs: number[]): Promise<void> {
  const info = await trainer.ask<PredictInfo>({ type: 'predictInfo', ...job, inputs });
  const reply = await trainer.ask<{ outputs: number[]; source: string }>({ type: 'predict', ...job, inputs });
  const pane: PredictPane = { info, open: true, inputs, outputs: reply.outputs, source: reply.source };
  await postTyped(host, { type: 'predictPane', ...pane });
  await host.page.waitForSelector('[data-testid="predict-pane"]:not([hidden])', { timeout: 5000 });
}

/** Polls `expression` in the page until it is true (the webview's CSP refuses waitForFunction's eval). */
async function until(host: FakeHost, expression: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await host.page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bars = (host: FakeHost): Promise<string[]> => host.page.$$eval('[data-testid="predict-bars"] .bar', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
/** The fields of the pane: [name, value]. */
const fields = (host: FakeHost): Promise<[string, string][]> => host.page.evaluate(`[...document.querySelectorAll('[data-testid="predict-pane"] input')].map((e) => [e.getAttribute('aria-label'), e.value])`) as Promise<[string, string][]>;

describe('Predict pane in the graph editor (Chromium)', function () {
  this.timeout(120000);
  const browser = editorSuite();
  const trainer = new Trainer();
  const interview = path.join(root, 'examples/interview.nn');

  for (const theme of ['light', 'dark'] as const) {
    it(`shows the lecture's check on the interview network: GPA and Experience fields, bars, the class, the point on the boundary (${theme})`, async () => {
      const host = await browser.open(readRepoFile('examples/interview.nn'), { theme, width: 1280, height: 760, fileName: 'interview.nn' });
      const page = host.page;
      const job = serve(host, trainer, interview);
      await openWith(host, trainer, job, [2.3, 10.2]);
      assert.deepEqual(await fields(host), [['GPA', '2.3'], ['Experience', '10.2']]);
      assert.deepEqual(await page.$$eval('[data-testid="predict-pane"] .fields .name', (els) => els.map((e) => e.textContent)), ['GPA', 'Experience']);
      assert.deepEqual(await bars(host), ['not Interview: 77.4%', 'Interview: 22.6%']);
      assert.match(await page.textContent('[data-testid="predict-class"]') ?? '', /^Predicted: not Interview · y = 0\.226$/);
      assert.match(await page.textContent('[data-testid="predict-source"]') ?? '', /weights: inline weights/);
      assert.equal(await page.textContent('[data-testid="predict-hint"]'), 'On the boundary, GPA runs left to right and Experience bottom to top: click it to predict there.');
      // The boundary shows, with the point drawn where (2.3, 10.2) lies on its plane: an opaque ring over the translucent tint.
      await page.waitForSelector('[data-testid="boundary"]:not([hidden])', { timeout: 5000 });
      await page.waitForTimeout(100);
      const ring = (await page.evaluate(`(() => {
        const view = window.neuralCanvasTraining, cv = document.querySelector('[data-testid="boundary"]');
        const [x0, x1, y0, y1] = view.state.boundary.extent, [px, py] = view.predict.point, side = 150, k = cv.width / side;
        const x = (px - x0) / (x1 - x0) * side, y = side - (py - y0) / (y1 - y0) * side;
        const at = (dx, dy) => cv.getContext('2d').getImageData(Math.round((x + dx) * k), Math.round((y + dy) * k), 1, 1).data[3];
        return { x, y, ring: [at(6, 0), at(-6, 0), at(0, 6), at(0, -6)], far: at(30, 30) };
      })()`)) as { x: number; y: number; ring: number[]; far: number };
      assert.ok(ring.x > 0 && ring.x < 150 && ring.y > 0 && ring.y < 150, `the point lies on the plane: ${JSON.stringify(ring)}`);
      assert.ok(ring.ring.every((a) => a >= 240), `an opaque ring around the point: ${JSON.stringify(ring)}`);
      assert.ok(ring.far < 255, `the boundary elsewhere is translucent: ${ring.far}`);
      await page.waitForTimeout(100);
      fs.mkdirSync(path.join(root, 'test-results/webview'), { recursive: true });
      await page.screenshot({ path: path.join(root, `test-results/webview/editor-predict-${theme}.png`) });
      await page.locator('[data-testid="predict-pane"]').screenshot({ path: path.join(root, `test-results/webview/editor-predict-pane-${theme}.png`) });
    });
  }

  it('sets the fields from a click on the boundary and predicts there', async () => {
    const host = await browser.open(readRepoFile('examples/interview.nn'), { width: 1280, height: 760, fileName: 'interview.nn' });
    const page = host.page;
    const job = serve(host, trainer, interview);
    await openWith(host, trainer, job, [3.5, 2]);
    const before = await bars(host);
    const box = (await page.locator('[data-testid="boundary"]').boundingBox())!;
    assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="boundary"]')).cursor`), 'crosshair');
    await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.8);
    await until(host, `window.neuralCanvasTraining.predict.texts.join(',') !== '3.5,2'`, 5000);
    const expected = (await page.evaluate(`(() => {
      const [x0, x1, y0, y1] = window.neuralCanvasTraining.state.boundary.extent;
      return [x0 + 0.2 * (x1 - x0), y0 + 0.2 * (y1 - y0)];
    })()`)) as [number, number];
    const texts = (await fields(host)).map(([, v]) => Number(v));
    assert.ok(Math.abs(texts[0] - expected[0]) < 0.02 && Math.abs(texts[1] - expected[1]) < 0.05, `fields ${texts} ≈ ${expected}`);
    await until(host, `[...document.querySelectorAll('[data-testid="predict-bars"] .bar')].map((e) => e.getAttribute('aria-label')).join('|') !== ${JSON.stringify(before.join('|'))}`, 10000);
    const asked = host.intents('predictRow').pop()!;
    assert.deepEqual(asked.inputs, texts, 'the clicked point was predicted');
    const reply = await trainer.ask<{ outputs: number[] }>({ type: 'predict', ...job, inputs: texts });
    const p = reply.outputs[0];
    assert.deepEqual(await bars(host), [`not Interview: ${((1 - p) * 100).toFixed(1)}%`, `Interview: ${(p * 100).toFixed(1)}%`]);
    assert.match(await page.textContent('[data-testid="predict-class"]') ?? '', new RegExp(`^Predicted: ${p >= 0.5 ? 'Interview' : 'not Interview'} · `));

    // The design changes to three inputs without data: the fields follow, and the two-input boundary goes.
    await host.setText(JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 3 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid', weights: [[1, -1, 0.5]], bias: [0] }],
      edges: [{ from: 'x', to: 'y' }],
    }, null, 2));
    await until(host, `document.querySelectorAll('[data-testid="predict-pane"] input').length === 3`, 10000);
    assert.deepEqual((await fields(host)).map(([name]) => name), ['input 1', 'input 2', 'input 3']);
    assert.equal(await page.isHidden('[data-testid="boundary"]'), true, 'no boundary for three inputs');
    await page.fill('[data-testid="predict-input-0"]', '1');
    await page.fill('[data-testid="predict-input-1"]', '0');
    await page.fill('[data-testid="predict-input-2"]', '0');
    await page.click('[data-testid="predict-run"]');
    await until(host, `document.querySelectorAll('[data-testid="predict-bars"] .bar').length === 2`, 10000);
    assert.deepEqual(await bars(host), ['class 0: 26.9%', 'class 1: 73.1%'], 'σ(1) = 0.731');
    // Escape closes the pane; the view without a run has nothing else to show, so it goes too.
    await page.press('[data-testid="predict-input-0"]', 'Escape');
    assert.equal(await page.isHidden('[data-testid="predict-pane"]'), true);
    await until(host, `document.querySelector('[data-testid="training"]').hidden`);
  });

  it('says in words what is wrong: a field that is not a number, an empty one, no weights yet', async () => {
    const host = await browser.open(readRepoFile('examples/interview.nn'), { width: 1280, height: 760, fileName: 'interview.nn' });
    const page = host.page;
    const job = serve(host, trainer, interview);
    await openWith(host, trainer, job, [2.3, 10.2]);
    await page.fill('[data-testid="predict-input-0"]', 'abc');
    await page.waitForSelector('[data-testid="predict-error"]:not([hidden])', { timeout: 5000 });
    assert.equal(await page.textContent('[data-testid="predict-error"]'), 'GPA: "abc" is not a number. Enter a number, e.g. 2.5 or -1.');
    assert.equal(await page.getAttribute('[data-testid="predict-input-0"]', 'aria-invalid'), 'true');
    assert.deepEqual(await bars(host), [], 'no stale bars beside an error');
    await page.fill('[data-testid="predict-input-0"]', '3,5');
    await page.press('[data-testid="predict-input-0"]', 'Enter');
    assert.equal(await page.textContent('[data-testid="predict-error"]'), 'GPA: "3,5" is not a number. Write decimals with a point: 3.5.');
    await page.fill('[data-testid="predict-input-1"]', '');
    await page.fill('[data-testid="predict-input-0"]', '3.5');
    await page.click('[data-testid="predict-run"]');
    assert.equal(await page.textContent('[data-testid="predict-error"]'), 'Enter a number for Experience.');

    const spiralFile = path.join(root, 'test/unit/trainer/fixtures/spiral.nn');
    const other = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const spiralJob = serve(other, trainer, spiralFile);
    await postTyped(other, { type: 'predictPane', open: true, info: await trainer.ask<PredictInfo>({ type: 'predictInfo', ...spiralJob }) });
    await other.page.waitForSelector('[data-testid="predict-error"]:not([hidden])', { timeout: 5000 });
    assert.deepEqual((await fields(other)).map(([name]) => name), ['x1', 'x2']);
    assert.match(await other.page.textContent('[data-testid="predict-error"]') ?? '', /spiral\.nn has no trained weights yet: run Neural Canvas: Train first/);
    await other.page.fill('[data-testid="predict-input-0"]', '0.5');
    await other.page.fill('[data-testid="predict-input-1"]', '-0.5');
    await other.page.click('[data-testid="predict-run"]');
    await until(other, `document.querySelector('[data-testid="predict-error"]')?.textContent?.includes('no trained weights yet') && !document.querySelector('[data-testid="predict-bars"] .bar')`, 10000);
    assert.deepEqual(other.intents('predictRow').map((m) => m.inputs), [[0.5, -0.5]]);
    assert.deepEqual(other.rejected, []);
    await other.page.close();
  });
});
