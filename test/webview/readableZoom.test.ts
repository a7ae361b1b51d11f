/**
 * Readable by default: in a 1400×900 window the first drawing of every example shows its node
 * text at 11 px or more on screen (the rendered font size × the view's scale, read from the
 * DOM), a small network uses the canvas instead of shrinking into a band, and a network too big
 * to fit at a readable size opens at its inputs with the minimap showing where the view is.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chainText } from './chainNetwork';
import { EditorBrowser, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';

const examples = readdirSync(join(__dirname, '../../examples')).filter((f) => f.endsWith('.nn')).sort();

/** The smallest text a user should have to read, in screen pixels. */
const READABLE_PX = 11;

/** The smallest on-screen size of any node text: computed font size × the text's screen scale. */
async function smallestNodeTextPx(host: FakeHost): Promise<{ px: number; scale: number }> {
  return host.page.$$eval('[data-testid="graph"] [data-node-id] text.node-title, [data-testid="graph"] [data-node-id] text.node-sub, [data-testid="graph"] [data-node-id] text.node-footer', (els) => {
    let px = Infinity;
    let scale = 0;
    for (const e of els as SVGTextElement[]) {
      const ctm = e.getScreenCTM();
      if (!ctm) continue;
      const s = Math.hypot(ctm.a, ctm.b);
      const size = parseFloat(getComputedStyle(e).fontSize) * s;
      if (size < px) { px = size; scale = s; }
    }
    return { px, scale };
  });
}

/** Node ids whose box is at least partly inside the graph canvas on screen. */
async function nodesOnScreen(host: FakeHost): Promise<string[]> {
  return host.page.$$eval('[data-testid="graph"] [data-node-id]', (els) => {
    const svg = document.querySelector('[data-testid="graph"]') as SVGSVGElement;
    const c = svg.getBoundingClientRect();
    return els.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.right > c.left && r.left < c.right && r.bottom > c.top && r.top < c.bottom;
    }).map((e) => e.getAttribute('data-node-id') ?? '');
  });
}

describe('readable zoom (Chromium, 1400×900)', function () {
  this.timeout(180_000);
  const browser = new EditorBrowser();
  let host: FakeHost | undefined;
  before(() => browser.start());
  after(() => browser.stop());
  afterEach(async () => {
    if (host) {
      assert.deepEqual(host.rejected, []);
      assert.deepEqual(host.errors.filter((e) => !/favicon|404/.test(e)), []);
      await host.page.close();
      host = undefined;
    }
  });

  // The page itself, and what a 1400×900 VS Code window leaves the webview with the side bar
  // and the panel open.
  for (const [width, height] of [[1400, 900], [1000, 560]]) {
    it(`shows every example's node text at ${READABLE_PX} px or more at the default zoom (${width}×${height})`, async () => {
      assert.ok(examples.length >= 3, 'expected the examples folder');
      const small: string[] = [];
      for (const file of examples) {
        host = await browser.open(readRepoFile(`examples/${file}`), { width, height, fileName: file });
        const { px, scale } = await smallestNodeTextPx(host);
        assert.ok(Number.isFinite(px), `${file}: no node text found`);
        if (px < READABLE_PX) small.push(`${file}: ${px.toFixed(1)} px at zoom ${(scale * 100).toFixed(0)} %`);
        await host.page.close();
        host = undefined;
      }
      assert.deepEqual(small, [], 'node text below the readable size');
    });
  }

  it('draws the 4-node spiral network at 100 % or larger: it uses the canvas', async () => {
    host = await browser.open(readRepoFile('examples/spiral.nn'), { width: 1400, height: 900, fileName: 'spiral.nn' });
    const { px, scale } = await smallestNodeTextPx(host);
    assert.ok(scale >= 1, `spiral drawn at ${(scale * 100).toFixed(0)} % (text ${px.toFixed(1)} px)`);
    assert.ok(scale <= 2, `a small graph is not blown up without limit: ${(scale * 100).toFixed(0)} %`);
  });

  it('opens a 200-layer chain readable at its input, with the minimap to move along it', async () => {
    host = await browser.open(chainText(200), { width: 1400, height: 900, fileName: 'chain-200.nn' });
    const { px } = await smallestNodeTextPx(host);
    assert.ok(px >= READABLE_PX, `chain text ${px.toFixed(1)} px`);
    const first = await nodesOnScreen(host);
    assert.ok(first.includes('x'), `the input is in view: ${JSON.stringify(first.slice(0, 10))}`);
    assert.ok(!first.includes('d199'), 'the last layer is not squeezed into view');
    assert.ok(await host.page.isVisible('[data-testid="minimap"]'), 'the minimap shows where the view is');
    // A click at the minimap's far end moves the view there.
    const last = await host.page.$eval('[data-node-id="d199"]', (e) => {
      const r = e.getBoundingClientRect();
      const c = (document.querySelector('[data-testid="graph"]') as SVGSVGElement).getBoundingClientRect();
      return { dx: r.left + r.width / 2 - (c.left + c.width / 2), dy: r.top + r.height / 2 - (c.top + c.height / 2) };
    });
    const m = await host.page.$eval('[data-testid="minimap"]', (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; });
    // The chain's far end, in the minimap: the corner the last node lies towards.
    await host.page.mouse.click(m.x + (last.dx > 0 ? m.w - 1 : 1), m.y + (last.dy > 0 ? m.h - 1 : 1));
    await host.page.waitForTimeout(100);
    const after = await nodesOnScreen(host);
    assert.ok(after.includes('d199'), `after the minimap click the last layer is in view: ${JSON.stringify(after.slice(0, 10))}`);
    assert.ok((await smallestNodeTextPx(host)).px >= READABLE_PX, 'and still readable');
  });
});
