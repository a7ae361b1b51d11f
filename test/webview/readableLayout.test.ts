/**
 * Readable by default (headless Chromium, the real editor bundle): at the zoom the editor opens
 * with, every example's node text is at least 11 px on screen — measured from the DOM as each
 * text's computed font size × its on-screen scale — in a 1400×900 window and in a narrower one
 * (VS Code's side bar takes part of the window). A 200-layer chain opens readable, wrapped to the
 * canvas width, starting at its input, and scrolls one way; the direction follows the canvas
 * and the file's `layout.direction`, which the toolbar switches as an undoable text edit.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';
import { chainText } from './chainNetwork';

/** What the page shows: canvas size, zoom, the smallest node text on screen, the drawn graph's screen box, the minimap. */
interface Measured {
  canvas: { left: number; top: number; width: number; height: number };
  scale: number;
  minTextPx: number;
  smallest: string;
  graph: { left: number; top: number; right: number; bottom: number };
  minimap: boolean;
  direction: 'right' | 'down';
}

const MEASURE = `(() => {
  const svg = document.querySelector('[data-testid="graph"]');
  const c = svg.getBoundingClientRect();
  let min = Infinity, smallest = '';
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const box of document.querySelectorAll('.node .node-box')) {
    const r = box.getBoundingClientRect();
    left = Math.min(left, r.left); top = Math.min(top, r.top); right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
  }
  for (const t of document.querySelectorAll('.node text')) {
    if (!t.textContent || t.classList.contains('glyph')) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    if (px < min) { min = px; smallest = (t.getAttribute('class') || 'badge') + ' "' + t.textContent + '"'; }
  }
  const portIn = document.querySelector('.node .port-in');
  return {
    canvas: { left: c.left, top: c.top, width: c.width, height: c.height },
    scale: svg.querySelector('.viewport').getScreenCTM().a,
    minTextPx: min, smallest,
    graph: { left, top, right, bottom },
    minimap: getComputedStyle(document.querySelector('[data-testid="minimap"]')).display !== 'none',
    direction: portIn && portIn.getAttribute('cx') !== '0' ? 'down' : 'right',
  };
})()`;

const measure = (page: Page): Promise<Measured> => page.evaluate(MEASURE) as Promise<Measured>;

/** Waits until the layout has settled (ELK answered, the glide ended). */
async function settled(host: FakeHost): Promise<void> {
  await host.rendered();
  await host.page.waitForTimeout(400);
}

const examples = readdirSync(join(__dirname, '../../examples')).filter((f) => f.endsWith('.nn')).sort();

describe('readable by default (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();

  for (const [width, height] of [[1400, 900], [1000, 900]] as const) {
    it(`opens every example with node text at least 11 px on screen (${width}×${height} window)`, async () => {
      assert.ok(examples.length >= 10, 'the examples are found');
      const small: string[] = [];
      // One page; between two examples a broken text (the error state) makes the next one open afresh.
      const host = await browser.open(readRepoFile(`examples/${examples[0]}`), { width, height, fileName: examples[0] });
      for (const file of examples) {
        if (file !== examples[0]) {
          await host.setText('{');
          await host.rendered();
          await host.setText(readRepoFile(`examples/${file}`));
        }
        await settled(host);
        const m = await measure(host.page);
        assert.ok(Number.isFinite(m.minTextPx), `${file}: node text measured`);
        if (m.minTextPx < 11 - 1e-6) small.push(`${file}: ${m.smallest} is ${m.minTextPx.toFixed(2)} px at zoom ${m.scale.toFixed(2)}`);
        // The inputs are on screen: the graph starts inside the canvas.
        const input = await host.page.locator('.node.type-input .node-box').first().boundingBox();
        assert.ok(input && input.x >= m.canvas.left && input.y >= m.canvas.top && input.x + input.width <= m.canvas.left + m.canvas.width && input.y + input.height <= m.canvas.top + m.canvas.height, `${file}: the input is in view`);
      }
      assert.deepEqual(small, [], 'node text below 11 px');
    });
  }

  it('opens a 200-layer chain readable: rows as wide as the canvas, the input first, scrolling down only, the minimap showing where', async () => {
    const host = await browser.open(chainText(200), { width: 1400, height: 900, fileName: 'chain200.nn' });
    await settled(host);
    const m = await measure(host.page);
    assert.ok(m.minTextPx >= 11 - 1e-6, `node text ${m.minTextPx.toFixed(2)} px (${m.smallest})`);
    // One scroll direction: the drawing fits the canvas across and runs on below it.
    assert.ok(m.graph.left >= m.canvas.left && m.graph.right <= m.canvas.left + m.canvas.width, `the rows fit across: ${JSON.stringify(m)}`);
    assert.ok(m.graph.bottom > m.canvas.top + m.canvas.height * 3, 'the chain runs on below the canvas');
    const first = (await host.page.locator('[data-node-id="x"] .node-box').boundingBox())!;
    assert.ok(first.y >= m.canvas.top && first.y + first.height <= m.canvas.top + m.canvas.height, 'the input is in view');
    assert.ok(m.minimap, 'the minimap shows, since the graph is larger than the view');
    const frame0 = Number(await host.page.getAttribute('.minimap-frame', 'y'));
    // The wheel scrolls down through the chain at the same zoom; nothing moves sideways.
    await host.page.mouse.move(m.canvas.left + m.canvas.width / 2, m.canvas.top + m.canvas.height / 2);
    for (let i = 0; i < 10; i++) await host.page.mouse.wheel(0, 400);
    await host.page.waitForTimeout(200);
    const after = await measure(host.page);
    assert.equal(after.scale, m.scale, 'scrolling does not zoom');
    assert.equal(after.graph.left, m.graph.left, 'scrolling moves straight down');
    assert.ok(Math.abs(after.graph.top - (m.graph.top - 4000)) < 1, `scrolled by the wheel: ${m.graph.top} → ${after.graph.top}`);
    assert.ok(Number(await host.page.getAttribute('.minimap-frame', 'y')) > frame0, 'the minimap frame follows');
    // Ctrl+wheel still zooms out, below the readable zoom when the user asks.
    await host.page.keyboard.down('Control');
    for (let i = 0; i < 5; i++) await host.page.mouse.wheel(0, 300);
    await host.page.keyboard.up('Control');
    assert.ok((await measure(host.page)).scale < m.scale * 0.5, 'zoomed out on request');
  });

  it('lays a short chain out top to bottom in a tall, narrow canvas and left to right in a wide one; the file and the toolbar override it', async () => {
    const spiral = readRepoFile('examples/spiral.nn');
    let host = await browser.open(spiral, { width: 1000, height: 900, fileName: 'spiral.nn' });
    await settled(host);
    const m = await measure(host.page);
    assert.equal(m.direction, 'down', 'tall canvas: top to bottom');
    assert.ok(m.scale >= 0.999, `the spiral at 100 %: ${m.scale}`);
    const [x, h1] = await Promise.all(['x', 'h1'].map(async (id) => (await host.page.locator(`[data-node-id="${id}"] .node-box`).boundingBox())!));
    assert.ok(h1.y > x.y + x.height, 'h1 below x');
    assert.match((await host.page.getAttribute('[data-testid="layout-direction"]', 'title')) ?? '', /automatic, now top to bottom/);
    await host.page.close();

    host = await browser.open(spiral, { width: 1800, height: 700, fileName: 'spiral.nn' });
    await settled(host);
    assert.equal((await measure(host.page)).direction, 'right', 'wide canvas: left to right');
    // The toolbar cycles automatic → left to right → top to bottom → automatic, each a text edit.
    const original = host.text;
    const click = async (): Promise<void> => {
      const v = host.version;
      await host.page.click('[data-testid="layout-direction"]');
      // The host answers the intent with a new version, drawn once laid out.
      await host.page.waitForSelector(`[data-rendered-version="${v + 1}"]`, { state: 'attached', timeout: 15_000 });
      await host.page.waitForTimeout(400);
    };
    await click();
    assert.ok(host.text.includes('"direction": "right"'), host.text.slice(-200));
    await click();
    assert.ok(host.text.includes('"direction": "down"'));
    assert.equal((await measure(host.page)).direction, 'down', 'the file says top to bottom, in a wide canvas too');
    assert.deepEqual(host.intents('setLayoutDirection').map((i) => i.direction), ['right', 'down']);
    await click();
    assert.equal(host.text, original, 'back to automatic: the file is as it was');
    assert.equal((await measure(host.page)).direction, 'right');
  });
});
