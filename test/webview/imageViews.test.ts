/**
 * The views of an image network in headless Chromium, fed a real run (the training process's core
 * in-process on a tiny digits convnet): the editor's training view shows validation images with
 * predicted and true classes, mistakes first, beside the confusion matrix (no decision boundary);
 * clicking an image tells the host. The gradients panel shows the first conv layer's filters per
 * epoch with a slider, and asks for the feature maps of the picked node and image, which the test
 * answers through the same training process.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, ToPanel, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { encodeTyped, PanelBrowser } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const shots = [path.join(root, 'test-results/webview'), ...(process.env.NN_SHOTS_DIR ? [process.env.NN_SHOTS_DIR] : [])];
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

async function screenshot(page: Page, name: string): Promise<void> {
  for (const dir of shots) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name) });
  }
}

/** A finished run of the digits convnet and the trainer that ran it (it answers feature maps from the saved weights). */
async function recordRun(): Promise<{ updates: TrainingUpdate[]; maps: (node: string, row: number) => Promise<ResponseMessage> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-image-views-'));
  const file = path.join(dir, 'digits-conv.nn');
  fs.copyFileSync(path.join(root, 'test/unit/trainer/fixtures/digits-conv.nn'), file);
  const job = { text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] };
  const updates: TrainingUpdate[] = [];
  const answers = new Map<number, ResponseMessage>();
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
    if (m.type === 'update') updates.push(m.update);
    else if (m.type === 'response') answers.set(m.requestId, m);
  });
  core.receive({ type: 'train', runId: 1, overrides: { backend: 'cpu', epochs: 6 }, eventEveryMs: 20, ...job });
  await new Promise((r) => setTimeout(r, 50));
  await core.idle();
  let id = 1;
  const maps = async (node: string, row: number): Promise<ResponseMessage> => {
    const requestId = id++;
    core.receive({ type: 'featureMaps', requestId, node, row, ...job });
    for (let i = 0; i < 500 && !answers.has(requestId); i++) await new Promise((r) => setTimeout(r, 20));
    return answers.get(requestId) as ResponseMessage;
  };
  return { updates, maps };
}

describe('image network views (Chromium)', function () {
  this.timeout(120000);
  const editor = new EditorBrowser();
  const panel = new PanelBrowser();
  let run: Awaited<ReturnType<typeof recordRun>>;
  before(async () => {
    run = await recordRun();
    await editor.start();
    await panel.start();
  });
  after(async () => {
    await editor.stop();
    await panel.stop();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`the training view shows validation images, mistakes first, beside the confusion matrix (${theme})`, async () => {
      const host = await editor.open(readRepoFile('test/unit/trainer/fixtures/digits-conv.nn'), { theme, width: 1400, height: 900, fileName: 'digits-conv.nn' });
      const page = host.page;
      const msgs = run.updates.map((update) => encodeTyped({ type: 'training', update }));
      await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(msgs)}) window.postMessage(__revive(m), '*'); })()`);
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const last = run.updates.filter((u): u is Extract<TrainingUpdate, { kind: 'images' }> => u.kind === 'images').pop();
      assert.ok(last, 'the run sent an image grid');
      assert.equal(await page.isVisible('[data-testid="image-grid"]'), true);
      assert.equal(await page.isHidden('[data-testid="boundary"]'), true, 'no decision boundary for images');
      assert.equal(await page.locator('table.confusion tr').count(), 11, 'the 10-class confusion matrix beside the grid');
      const cells = (await page.evaluate(`[...document.querySelectorAll('[data-testid="image-grid"] figure')].map((f) => ({ row: f.getAttribute('data-row'), wrong: f.classList.contains('wrong'), caption: f.textContent, w: f.querySelector('canvas').width }))`)) as
        { row: string; wrong: boolean; caption: string; w: number }[];
      assert.equal(cells.length, last.rows.length);
      const wrong = cells.filter((c) => c.wrong).length;
      assert.equal(wrong, Math.min(last.wrong, last.rows.length));
      assert.ok(cells.slice(0, wrong).every((c) => c.wrong) && cells.slice(wrong).every((c) => !c.wrong), 'mistakes first');
      if (wrong > 0) assert.match(cells[0].caption, /^\S+ \/ \S+$/, 'a mistake reads "predicted / true"');
      assert.equal(cells[0].w, 8, 'drawn at the image\'s own 8 pixels');
      assert.match(await page.textContent('[data-testid="image-grid"] .grid-summary') ?? '', new RegExp(`${last.wrong} of 359 wrong`));
      // The picture is the image: some pixels dark, some light.
      const spread = (await page.evaluate(`(() => { const c = document.querySelector('[data-testid="image-grid"] canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let lo = 255, hi = 0; for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); } return hi - lo; })()`)) as number;
      assert.ok(spread > 200, `pixel spread ${spread}`);
      await page.click(`[data-testid="image-grid"] figure[data-row="${last.rows[2]}"]`);
      await page.waitForTimeout(50);
      assert.deepEqual(host.received.filter((m) => m.type === 'pickImage'), [{ type: 'pickImage', row: last.rows[2] }]);
      await screenshot(page, `image-grid-${theme}.png`);
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });

    it(`the gradients panel shows the filters per epoch and a conv node's feature maps for the picked image (${theme})`, async () => {
      const p = await panel.open(theme, { width: 1400, height: 900 });
      await p.post({ type: 'follow', file: 'digits-conv.nn', layers: [], updates: run.updates.filter((u) => u.kind !== 'progress') });
      // Play the host: answer the panel's feature-map requests through the training process.
      const answered = new Set<number>();
      const answer = async (): Promise<number> => {
        let n = 0;
        for (const [i, m] of p.posted.entries()) {
          if (m.type !== 'featureMaps' || answered.has(i)) continue;
          answered.add(i);
          const r = await run.maps(m.node as string, m.row as number);
          await p.post({ type: 'featureMaps', node: m.node as string, row: m.row as number, ...(r.ok ? { maps: r.value } : { error: r.error }) } as ToPanel);
          n++;
        }
        await p.frames();
        return n;
      };
      await p.frames();
      assert.equal(await answer(), 1, 'the panel asked once for the first conv layer\'s maps of the first grid image');
      const grids = run.updates.filter((u): u is Extract<TrainingUpdate, { kind: 'images' }> => u.kind === 'images');
      const first = p.posted.find((m) => m.type === 'featureMaps');
      assert.deepEqual(first, { type: 'featureMaps', node: 'c1', row: grids[grids.length - 1].rows[0] });
      const filters = new Set(run.updates.map((u) => (u.kind === 'filters' ? u.epoch : -1)).filter((e) => e >= 0)).size;
      assert.equal(await p.page.locator('[data-testid="filters"] canvas').count(), 4, 'four 3×3 filters');
      assert.equal(await p.page.getAttribute('.conv input[type="range"]', 'max'), String(filters - 1), 'one slider position per epoch snapshot');
      assert.equal(await p.page.locator('[data-testid="feature-maps"] .cells canvas').count(), 4, 'one map per filter');
      assert.match(await p.page.textContent('.conv .caption') ?? '', /c1: 4 maps of 6×6 .*digits-conv\.weights\.safetensors/);
      // An earlier epoch's filters differ from the latest's.
      const pixels = async (): Promise<string> => (await p.page.evaluate(`[...document.querySelectorAll('[data-testid="filters"] canvas')].map((c) => Array.from(c.getContext('2d').getImageData(0, 0, 3, 3).data).join()).join('|')`)) as string;
      const latest = await pixels();
      await p.page.locator('.conv input[type="range"]').fill('0');
      await p.frames();
      assert.match(await p.page.textContent('.conv .slider-label') ?? '', /^epoch 1 ·/);
      assert.notEqual(await pixels(), latest, 'the filters changed while training');
      // Picking an image in the editor's grid (relayed by the host) shows its maps.
      const row = grids[grids.length - 1].rows[5];
      await p.post({ type: 'pickImage', row });
      await p.frames();
      assert.equal(await answer(), 1);
      assert.match(await p.page.textContent('.conv h3:nth-of-type(2)') ?? '', new RegExp(`Feature maps of c1 · image ${row}`));
      // Selecting a dense node in the graph: the trainer says why it has no maps.
      await p.post({ type: 'select', id: 'y' });
      await p.frames();
      await answer();
      assert.match(await p.page.textContent('[data-testid="feature-maps"]') ?? '', /'y' outputs a vector of 10 values, not images/);
      await p.post({ type: 'select', id: 'c1' });
      await p.frames();
      await answer();
      await p.page.locator('.conv input[type="range"]').fill(String(filters - 1));
      await p.frames();
      await screenshot(p.page, `conv-panel-${theme}.png`);
      assert.deepEqual(p.errors, []);
      await p.page.close();
    });
  }
});
