/**
 * Neuron heatmaps in the graph editor (headless Chromium, real editor bundle, a real spiral run
 * streamed from the training process): a heatmap per neuron that changes as the network learns,
 * the hovered neuron large in the training view, the weights on an edge's tooltip and in the
 * inspector's matrix. Screenshots mid-training, light and dark.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { streamRun } from './trainingStream';

const root = path.resolve(__dirname, '../..');
const fixture = path.join(root, 'test/unit/trainer/fixtures/spiral.nn');

/**
 * A canvas's picture in brief (page code): the sum of each of 256 equal runs of its RGBA bytes,
 * and how many of its pixels are painted (cheap to carry out of a busy page, unlike every byte).
 */
function pixels(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`(() => {
    const c = document.querySelector(${JSON.stringify(selector)});
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const out = new Array(257).fill(0), run = Math.ceil(d.length / 256);
    for (let i = 0; i < d.length; i++) { out[Math.floor(i / run)] += d[i]; if (i % 4 === 3 && d[i] > 0) out[256]++; }
    return out;
  })()`) as Promise<number[]>;
}

/** Runs (of 256) whose bytes differ between two pictures. */
function differing(a: number[], b: number[]): number {
  let n = 0;
  for (let i = 0; i < 256; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('neuron heatmaps in the graph editor (Chromium)', function () {
  this.timeout(180000);
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`draws one heatmap per neuron that changes as it learns, shows a hovered one large, and the weights on edges and in the inspector (${theme})`, async () => {
      const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { theme, width: 1400, height: 900, fileName: 'spiral.nn' });
      const page = host.page;
      // The run streams until the checks below are done (a slow machine may take a while to start
      // the training process; a fixed 30 s stream could end before the second picture).
      let checked!: () => void;
      const run = streamRun(page, fixture, 150000, { until: new Promise<void>((r) => { checked = r; }) });
      try {
        const h1 = '[data-testid="neuron-heatmap"][data-node="h1"]';
        await page.waitForSelector(h1, { timeout: 60000 });
        // Every neuron of the 2-16-16-1 network: the inputs, both hidden layers, the output.
        const tiles = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-testid="neuron-heatmap"]')].map((c) => [c.getAttribute('data-node'), Number(c.getAttribute('data-tiles'))]))`)) as Record<string, number>;
        assert.deepEqual(tiles, { x: 2, h1: 16, h2: 16, y: 1 });
        // Two updates apart, the hidden layer's picture has changed (the weights moved).
        const paints = async (): Promise<number> => Number(await page.getAttribute(h1, 'data-paints'));
        const first = await pixels(page, h1);
        const p0 = await paints();
        let second = first;
        for (const t0 = Date.now(); differing(first, second) < 16 && Date.now() - t0 < 20000;) {
          await page.waitForTimeout(200);
          second = await pixels(page, h1);
        }
        assert.ok((await paints()) > p0, 'a later update was painted');
        assert.ok(first[256] > 1000, `the tiles are painted (${first[256]} pixels)`);
        assert.ok(differing(first, second) >= 16, `h1's heatmaps changed between updates (${differing(first, second)} of 256 runs)`);

        // Hovering h1's 6th tile (row 1, column 1 of four) shows it large in the boundary's place
        // (the nodes that grew to hold their tiles have glided to their new places by now).
        const box = (await page.locator(h1).boundingBox())!;
        const boundaryBefore = await pixels(page, '[data-testid="boundary"]');
        await page.mouse.move(box.x + box.width * (1.5 / 4), box.y + box.height * (1.5 / 4));
        await page.waitForSelector('[data-testid="boundary"][data-neuron="h1[5]"]', { timeout: 5000 });
        assert.match(await page.getAttribute('[data-testid="boundary"]', 'aria-label') ?? '', /Heatmap of neuron h1\[5\]/);
        assert.ok(differing(boundaryBefore, await pixels(page, '[data-testid="boundary"]')) > 128, 'the large picture is the neuron, not the boundary');
        await page.screenshot({ path: path.join(root, `test-results/webview/neuron-heatmaps-${theme}.png`) });
        await page.mouse.move(5, 5);
        await page.waitForSelector('[data-testid="boundary"]:not([data-neuron])', { timeout: 5000 });

        // An edge's tooltip: the weights into its layer (all of them for a small layer).
        const tip = (await page.evaluate(`(() => { const t = document.querySelector('g.edge[data-to="h2"] > title'); return t ? t.textContent : ''; })()`)) as string;
        assert.match(tip, /^Weights into h2: 16 × 16 \(units × inputs\)\nmean −?\d.* · RMS \d.* · min −\d.* · max \d/);
        const small = (await page.evaluate(`document.querySelector('g.edge[data-to="y"] > title')?.textContent ?? ''`)) as string;
        assert.match(small, /^Weights into y: 1 × 16[^]*\ny\[0\]: (−?\d[^,]*, ){15}−?\d/, 'a 16-weight layer lists each weight');

        // The inspector's matrix for the selected layer, its value under the pointer.
        await page.click('g.node[data-node-id="h1"] .node-title');
        const matrix = '[data-testid="weight-matrix"][data-node="h1"]';
        await page.waitForSelector(`${matrix}:not([hidden])`, { timeout: 5000 });
        assert.match(await page.textContent(`${matrix} h3`) ?? '', /16 units × 2 inputs/);
        const m = (await page.locator(`${matrix} canvas`).boundingBox())!;
        assert.ok(m.width > 0 && m.height > m.width, `units down, inputs across: ${m.width}×${m.height}`);
        await page.mouse.move(m.x + m.width * 0.75, m.y + m.height * (3.5 / 16));
        assert.match(await page.textContent('[data-testid="weight-readout"]') ?? '', /^h1\[3\] ← input 1: −?\d+\.\d+$/);
        await page.screenshot({ path: path.join(root, `test-results/webview/neuron-weights-${theme}.png`) });
      } finally {
        checked();
      }
      await run;
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });
  }
});
