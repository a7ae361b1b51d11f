/**
 * Edge labels (the tensor shapes) fit between the layers they join (headless Chromium, real
 * editor bundle, 1400×900 as in the e2e screenshots): LeNet-5's "[32×32×1]" and "[10×10×16]"
 * ran into the ports and the next card when the gap between layers was narrower than its label.
 */
import * as assert from 'node:assert/strict';
import { EditorBrowser, readRepoFile } from './editorHarness';

/** For each edge whose ends sit side by side in one row: how far its label stays clear of the two ports (px, negative: overlap). */
const CLEARANCES = `(() => {
  const rect = (el) => el.getBoundingClientRect();
  const out = [];
  for (const e of document.querySelectorAll('g.edge[data-from][data-to]')) {
    const from = document.querySelector('[data-node-id="' + e.dataset.from + '"]');
    const to = document.querySelector('[data-node-id="' + e.dataset.to + '"]');
    const label = e.querySelector('.edge-label');
    if (!from || !to || !label || !label.textContent) continue;
    const a = rect(from.querySelector('.port-out')), b = rect(to.querySelector('.port-in')), l = rect(label);
    // Only straight hops from one card to the next one on its right (a wrap's edge runs below the row).
    if (b.left < a.right || Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) > 2) continue;
    out.push({ edge: e.dataset.from + '→' + e.dataset.to, text: label.textContent, clear: Math.min(l.left - a.right, b.left - l.right) });
  }
  return out;
})()`;

describe('edge labels between layers (Chromium)', function () {
  this.timeout(60000);
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  for (const [file, min] of [['examples/lenet5.nn', 4], ['examples/digits-convnet.nn', 2]] as const) {
    it(`${file}: every shape label between two side-by-side layers keeps clear of both ports`, async () => {
      const host = await browser.open(readRepoFile(file), { width: 1400, height: 900, fileName: file.split('/')[1] });
      const page = host.page;
      await page.waitForTimeout(1500);
      const rows = (await page.evaluate(CLEARANCES)) as { edge: string; text: string; clear: number }[];
      assert.ok(rows.length >= min, `side-by-side edges measured: ${JSON.stringify(rows)}`);
      // At least 4 px of air on each side (a label 2 px from a port reads as running into it).
      const cramped = rows.filter((r) => r.clear < 4);
      assert.deepEqual(cramped, [], 'labels that run into a port');
      await page.close();
    });
  }
});
