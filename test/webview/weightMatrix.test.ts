/**
 * The inspector's weight matrix before any run (headless Chromium, real editor bundle): a dense
 * layer with inline weights in the file shows them (marked "from the file") until training sends
 * its own, and again after Reset Weights; a dense layer without any says when its weights appear,
 * and one too large to stream says so instead of promising them.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { TrainingUpdate } from '../../src/protocol';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { encodeTyped } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;
const MATRIX = '[data-testid="weight-matrix"]';

async function postUpdate(page: Page, update: TrainingUpdate): Promise<void> {
  await page.evaluate(`(() => { ${REVIVE} window.postMessage(__revive(${JSON.stringify(encodeTyped({ type: 'training', update }))}), '*'); })()`);
}

async function select(page: Page, id: string): Promise<void> {
  await page.click(`g.node[data-node-id="${id}"] .node-title`);
  await page.waitForSelector(`${MATRIX}[data-node="${id}"]`, { timeout: 5000 });
}

describe('weight matrix in the inspector before training (Chromium)', function () {
  this.timeout(60000);
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  it('shows a layer\'s inline weights from the file, training\'s once they come, and the file\'s again after a reset', async () => {
    const host = await browser.open(readRepoFile('examples/interview.nn'), { width: 1280, height: 760, fileName: 'interview.nn' });
    const page = host.page;
    await select(page, 'hidden');
    const matrix = `${MATRIX}[data-node="hidden"]`;
    assert.equal(await page.getAttribute(matrix, 'data-source'), 'file');
    assert.equal((await page.textContent(`${matrix} h3`))?.trim(), 'Weights 3 units × 2 inputs · from the file');
    assert.equal(await page.isVisible(`${matrix} canvas`), true);
    // The value under the pointer is the file's: row 1 is [-0.1, 0.3].
    const m = (await page.locator(`${matrix} canvas`).boundingBox())!;
    await page.mouse.move(m.x + m.width * 0.75, m.y + m.height * 0.5);
    assert.match(await page.textContent('[data-testid="weight-readout"]') ?? '', /^hidden\[1\] ← input 1: 0\.3/);
    await page.screenshot({ path: path.join(root, 'test-results/webview/weight-matrix-inline-light.png') });

    // Training's weights replace the file's in place, then a reset brings the file's back.
    await postUpdate(page, { kind: 'progress', runId: 1, epoch: 1, step: 1, totalSteps: 10, globalStep: 1, loss: 0.5, samplesPerSec: 100 });
    await postUpdate(page, { kind: 'weights', runId: 1, layers: { hidden: { shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) } } });
    await page.waitForSelector(`${matrix}[data-source="training"]`, { timeout: 5000 });
    assert.equal((await page.textContent(`${matrix} h3`))?.trim(), 'Weights 3 units × 2 inputs');
    await postUpdate(page, { kind: 'reset', runId: 0, message: 'Weights reset.' });
    await page.waitForSelector(`${matrix}[data-source="file"]`, { timeout: 5000 });
    assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
    await page.close();
  });

  it('a dense layer without weights says they appear once training starts, or that it is too large to draw', async () => {
    const host = await browser.open(readRepoFile('examples/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    await select(page, 'h1');
    const matrix = `${MATRIX}[data-node="h1"]`;
    assert.equal(await page.getAttribute(matrix, 'data-source'), 'none');
    assert.equal(await page.textContent(`${matrix} [data-testid="weight-waiting"]`), 'Weights appear once training starts.');
    assert.equal(await page.isVisible(`${matrix} canvas`), false);
    // 64 → 100 units: 6,400 weights, more than a run streams.
    await host.setText(host.text.replace('"units": 2 }', '"units": 64 }').replace('"id": "h1", "type": "dense", "units": 16', '"id": "h1", "type": "dense", "units": 100'));
    await page.waitForFunction(`document.querySelector('${MATRIX}[data-node="h1"] [data-testid="weight-waiting"]')?.textContent.startsWith('6,400 weights')`, undefined, { timeout: 5000 });
    assert.equal(await page.textContent(`${matrix} [data-testid="weight-waiting"]`), '6,400 weights: too many to draw here (up to 4,096).');
    // A layer that has no weights (the input) shows no matrix section.
    await select(page, 'h2');
    await page.click('g.node[data-node-id="x"] .node-title');
    await page.waitForFunction(`!document.querySelector('${MATRIX}')`, undefined, { timeout: 5000 });
    await page.close();
  });
});
