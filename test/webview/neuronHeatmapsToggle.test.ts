/**
 * The training view's "Neuron heatmaps" toggle (headless Chromium, real editor bundle, the
 * updates of a real spiral run): it shows the user's setting as the host sends it, a click asks
 * the host to change the setting and takes the tiles off the graph at once, heatmaps that arrive
 * while off are not drawn, and the host's answer turns them back on. Screenshots light and dark.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { encodeTyped } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const fixture = path.join(root, 'test/unit/trainer/fixtures/spiral.nn');
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** Every update of a short real run of the spiral fixture (the training process's core, in this process). */
async function recordRun(): Promise<TrainingUpdate[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-toggle-'));
  try {
    const file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
    const updates: TrainingUpdate[] = [];
    let done!: () => void;
    const ended = new Promise<void>((r) => { done = r; });
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      if (m.type !== 'update') return;
      updates.push(m.update);
      if (m.update.kind === 'done' || m.update.kind === 'error') done();
    });
    core.receive({ type: 'train', runId: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir], overrides: { epochs: 3, backend: 'cpu' } });
    await ended;
    await core.idle();
    return updates;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Posts updates into the page as the host's 'training' messages. */
async function postUpdates(page: Page, updates: TrainingUpdate[]): Promise<void> {
  const batch = updates.map((update) => encodeTyped({ type: 'training', update }));
  await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(batch)}) window.postMessage(__revive(m), '*'); })()`);
}

const TOGGLE = '[data-testid="neuron-heatmaps-toggle"]';
const TILES = '[data-testid="neuron-heatmap"]';

describe('neuron heatmaps toggle in the training view (Chromium)', function () {
  this.timeout(120000);
  const browser = new EditorBrowser();
  let run: TrainingUpdate[];
  before(async () => {
    run = await recordRun();
    await browser.start();
  });
  after(() => browser.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`shows the setting, asks the host to change it, and takes the tiles off at once (${theme})`, async () => {
      const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { theme, width: 1280, height: 760, fileName: 'spiral.nn' });
      const page = host.page;
      const neurons = run.filter((u) => u.kind === 'neurons');
      assert.ok(neurons.length > 0, 'the run sent heatmaps');
      await host.post({ type: 'viewOptions', neuronHeatmaps: true });
      await postUpdates(page, run);
      await page.waitForFunction(`document.querySelectorAll('${TILES}').length === 4`, undefined, { timeout: 10000 });
      assert.equal(await page.isVisible(TOGGLE), true, 'the toggle shows for a two-input network');
      assert.equal(await page.isChecked(TOGGLE), true);
      assert.match(await page.locator('label', { has: page.locator(TOGGLE) }).getAttribute('title') ?? '', /neuralCanvas\.training\.neuronHeatmaps/, 'the toggle names the setting it changes');
      await page.screenshot({ path: path.join(root, `test-results/webview/neuron-heatmaps-toggle-on-${theme}.png`) });

      // Off: the host is asked to change the setting, and the tiles go without waiting for it.
      await page.click(TOGGLE);
      await page.waitForFunction(`document.querySelectorAll('${TILES}').length === 0`, undefined, { timeout: 5000 });
      assert.deepEqual(host.received.filter((m) => m.type === 'setNeuronHeatmaps'), [{ type: 'setNeuronHeatmaps', on: false }]);
      assert.equal(await page.isChecked(TOGGLE), false);
      // Heatmaps still on their way from the run are not drawn.
      await postUpdates(page, neurons.slice(-1));
      await page.waitForTimeout(300);
      assert.equal(await page.locator(TILES).count(), 0, 'no tiles while off');
      await page.screenshot({ path: path.join(root, `test-results/webview/neuron-heatmaps-toggle-off-${theme}.png`) });

      // Turned on in Settings: the host tells the view; the next heatmaps are drawn again.
      await host.post({ type: 'viewOptions', neuronHeatmaps: true });
      assert.equal(await page.isChecked(TOGGLE), true);
      await postUpdates(page, neurons.slice(-1));
      await page.waitForFunction(`document.querySelectorAll('${TILES}').length === 4`, undefined, { timeout: 5000 });
      // And off from the host: the toggle follows and the tiles go.
      await host.post({ type: 'viewOptions', neuronHeatmaps: false });
      await page.waitForFunction(`document.querySelectorAll('${TILES}').length === 0`, undefined, { timeout: 5000 });
      assert.equal(await page.isChecked(TOGGLE), false);
      assert.equal(host.received.filter((m) => m.type === 'setNeuronHeatmaps').length, 1, 'the host\'s own word is not sent back');
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });
  }
});
