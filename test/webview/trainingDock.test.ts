/**
 * The docked training view in headless Chromium (real editor bundle, real runs): it opens below
 * the graph editor (beside it when the editor is much wider than tall) and never covers a node;
 * the graph is fitted again when it opens, collapses, expands or is resized; the splitter is a Tab
 * stop that Enter/Space collapse and the arrow keys resize; size and collapsed state survive a
 * reload of the webview from its state. Screenshots at 1400×900, light and dark: the spiral mid-run
 * and the digits convnet with its image grid.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { EditorBrowser, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';
import { encodeTyped } from './panelHarness';

const root = path.resolve(__dirname, '../..');
const spiral = path.join(root, 'test/unit/trainer/fixtures/spiral.nn');
const shots = [path.join(root, 'test-results/webview'), ...(process.env.NN_SHOTS_DIR ? [process.env.NN_SHOTS_DIR] : [])];
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

type Box = { x: number; y: number; width: number; height: number };

async function screenshot(page: Page, name: string): Promise<void> {
  for (const dir of shots) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name) });
  }
}

/** The updates of a short CPU run of `file` (the training process's core, in-process). */
async function recordRun(file: string, epochs: number, eventEveryMs = 20): Promise<TrainingUpdate[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-dock-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  const updates: TrainingUpdate[] = [];
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'update') updates.push(m.update); });
  core.receive({ type: 'train', runId: 1, overrides: { backend: 'cpu', epochs }, eventEveryMs, text: fs.readFileSync(copy, 'utf8'), file: copy, allowedRoots: [dir] });
  await new Promise((r) => setTimeout(r, 50));
  await core.idle();
  return updates;
}

/** Posts updates into the page as the host does (typed arrays rebuilt there), then waits two frames. */
async function post(page: Page, updates: TrainingUpdate[]): Promise<void> {
  const msgs = updates.map((update) => encodeTyped({ type: 'training', update }));
  await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(msgs)}) window.postMessage(__revive(m), '*'); })()`);
  await frames(page);
}

async function frames(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))');
}

/** The pan and zoom of the graph (the viewport group's transform). */
function transform(page: Page): Promise<string | null> {
  return page.getAttribute('svg.graph g.viewport', 'transform');
}

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is laid out`);
  return b;
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every node's box: none meets the training view's, and each is inside the graph canvas. */
async function assertGraphUncovered(page: Page): Promise<void> {
  const view = await box(page, '[data-testid="training"]');
  const canvas = await box(page, 'svg.graph');
  assert.ok(!intersects(view, canvas), `the training view ${JSON.stringify(view)} is outside the canvas ${JSON.stringify(canvas)}`);
  const nodes = (await page.evaluate(`[...document.querySelectorAll('svg.graph [data-node-id]')].map((n) => { const r = n.getBoundingClientRect(); return { id: n.getAttribute('data-node-id'), x: r.x, y: r.y, width: r.width, height: r.height }; })`)) as (Box & { id: string })[];
  assert.ok(nodes.length >= 3, `nodes drawn: ${nodes.length}`);
  const inView = (n: Box): boolean => n.x >= canvas.x - 1 && n.y >= canvas.y - 1 && n.x + n.width <= canvas.x + canvas.width + 1 && n.y + n.height <= canvas.y + canvas.height + 1;
  // Fit never shrinks node text below 11 px (issue 13): a graph too big for the canvas at that zoom
  // is fitted at exactly that zoom, its first input in view, and scrolls; otherwise it is in view whole.
  const scale = (await page.evaluate(`document.querySelector('svg.graph .viewport').getScreenCTM().a`)) as number;
  const whole = nodes.every(inView);
  if (!whole) {
    assert.ok(Math.abs(scale - 11 / (0.92 * 13)) < 1e-3, `not every node is in view, so the fit is at the readable zoom (${scale})`);
    const input = (await page.evaluate(`(() => { const r = document.querySelector('svg.graph .node.type-input .node-box').getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })()`)) as Box;
    assert.ok(inView(input), 'the first input is in view');
  }
  for (const n of nodes) {
    // Nodes outside the canvas are clipped by it (scrolled to), never drawn under the training view.
    if (inView(n)) assert.ok(!intersects(view, n), `node ${n.id} ${JSON.stringify(n)} is under the training view ${JSON.stringify(view)}`);
    if (whole) assert.ok(inView(n), `node ${n.id} is in view after the fit`);
  }
  assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('svg.graph')).overflow`), 'hidden', 'the canvas clips what is scrolled out of it');
}

/** Waits until the graph's transform differs from `before` (the fit runs on the next frame). */
async function refitted(page: Page, before: string | null, what: string): Promise<string | null> {
  for (let i = 0; i < 50; i++) {
    const t = await transform(page);
    if (t !== before) return t;
    await page.waitForTimeout(20);
  }
  assert.fail(`the graph was not fitted again when ${what} (transform stayed ${before})`);
}

async function viewHeight(page: Page): Promise<number> {
  return (await box(page, '[data-testid="training"]')).height;
}

describe('docked training view (Chromium)', function () {
  this.timeout(180000);
  const browser = new EditorBrowser();
  let digits: TrainingUpdate[];
  let spiralRun: TrainingUpdate[];
  before(async () => {
    digits = await recordRun(path.join(root, 'examples/digits-convnet.nn'), 2);
    spiralRun = await recordRun(spiral, 40, 0);
    await browser.start();
  });
  after(() => browser.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`docks the spiral's run below the graph, which is fitted again and never covered (${theme})`, async () => {
      const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { theme, width: 1400, height: 900, fileName: 'spiral.nn' });
      const page = host.page;
      assert.equal(await page.isHidden('[data-testid="training-splitter"]'), true, 'no splitter before a run');
      const canvasBefore = await box(page, 'svg.graph');
      const before = await transform(page);
      // Mid-run: the first 60% of a real run's updates (no 'done' yet).
      const half = Math.floor(spiralRun.length * 0.6);
      await post(page, spiralRun.slice(0, half));
      await refitted(page, before, 'the view opened');
      assert.match(await page.textContent('[data-testid="training-stats"]') ?? '', /^● epoch/, 'running');
      const canvas = await box(page, 'svg.graph');
      const view = await box(page, '[data-testid="training"]');
      assert.ok(canvas.height < canvasBefore.height - 150, `the canvas made room: ${canvasBefore.height} → ${canvas.height}`);
      assert.equal(Math.round(view.y + view.height), 900, 'docked at the bottom of the editor');
      assert.equal(Math.round(view.width), 1400, 'across the whole editor');
      assert.ok(await page.evaluate('window.neuralCanvasTraining.state.loss.length > 20'), 'the chart has points');
      await assertGraphUncovered(page);
      // The chart leaves the boundary and the metrics their room.
      const chart = await box(page, '[data-testid="loss-chart"] canvas');
      const boundary = await box(page, '[data-testid="boundary"]');
      assert.ok(chart.x + chart.width <= boundary.x, `chart ${JSON.stringify(chart)} left of the boundary ${JSON.stringify(boundary)}`);
      await page.mouse.move(5, 5);
      await screenshot(page, `docked-spiral-${theme}.png`);
      await post(page, spiralRun.slice(half));
      await assertGraphUncovered(page);
      assert.equal(await page.isVisible('[data-testid="boundary"]'), true);
      assert.match(await page.textContent('[data-testid="training-metrics"]') ?? '', /accuracy \d+\.\d%/);
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });

    it(`docks the digits convnet's image grid and confusion matrix below the graph (${theme})`, async () => {
      const host = await browser.open(readRepoFile('examples/digits-convnet.nn'), { theme, width: 1400, height: 900, fileName: 'digits-convnet.nn' });
      const page = host.page;
      const before = await transform(page);
      await post(page, digits);
      await refitted(page, before, 'the view opened');
      assert.equal(await page.isVisible('[data-testid="image-grid"]'), true);
      assert.equal(await page.locator('table.confusion tr').count(), 11);
      await assertGraphUncovered(page);
      // The matrix and the first row of images are in the view, not scrolled away or cut off.
      const view = await box(page, '[data-testid="training"]');
      for (const sel of ['table.confusion', '[data-testid="image-grid"] figure']) {
        const b = await box(page, sel);
        assert.ok(b.y >= view.y && b.y + b.height <= view.y + view.height && b.x + b.width <= view.x + view.width, `${sel} ${JSON.stringify(b)} inside ${JSON.stringify(view)}`);
      }
      // Picking an image still tells the host.
      const row = await page.getAttribute('[data-testid="image-grid"] figure:nth-child(2)', 'data-row');
      await page.click('[data-testid="image-grid"] figure:nth-child(2)');
      await page.waitForTimeout(50);
      assert.deepEqual(host.received.filter((m) => m.type === 'pickImage'), [{ type: 'pickImage', row: Number(row) }]);
      await page.mouse.move(5, 5);
      await screenshot(page, `docked-digits-convnet-${theme}.png`);
      assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
      await page.close();
    });
  }

  it('docks beside the graph in a wide editor, full height, and covers no node', async () => {
    const host = await browser.open(readRepoFile('examples/digits-convnet.nn'), { width: 2200, height: 900, fileName: 'digits-convnet.nn' });
    await post(host.page, digits);
    const view = await box(host.page, '[data-testid="training"]');
    assert.equal(Math.round(view.x + view.width), 2200, 'at the right edge');
    assert.equal(Math.round(view.y), 0, 'full height');
    assert.equal(Math.round(view.height), 900);
    assert.equal(await host.page.getAttribute('[data-testid="training-splitter"]', 'aria-orientation'), 'vertical');
    await assertGraphUncovered(host.page);
    await host.page.mouse.move(5, 5);
    await screenshot(host.page, 'docked-beside-light.png');
    await host.page.close();
  });

  it('keeps the graph uncovered and fitted in an editor narrowed (700 px) or shortened (480 px) by the Gradients panel', async () => {
    const host = await browser.open(readRepoFile('examples/digits-convnet.nn'), { theme: 'dark', width: 700, height: 900, fileName: 'digits-convnet.nn' });
    await post(host.page, digits);
    const view = await box(host.page, '[data-testid="training"]');
    assert.equal(Math.round(view.width), 700, 'across the whole editor, not a third of it');
    await assertGraphUncovered(host.page);
    await host.page.mouse.move(5, 5);
    await screenshot(host.page, 'docked-narrow-dark.png');
    // The Gradients panel opens in VS Code's bottom panel instead: the editor gets short; the view
    // keeps within its clamp and the graph is fitted into what is left.
    const t = await transform(host.page);
    await host.page.setViewportSize({ width: 1400, height: 480 });
    await refitted(host.page, t, 'the editor got shorter');
    await assertGraphUncovered(host.page);
    assert.ok((await box(host.page, 'svg.graph')).height >= 200, 'the graph keeps its room');
    await host.page.close();
  });

  it('is reached with Tab; Enter and Space collapse and expand it, the arrow keys resize it, and the graph is fitted each time', async () => {
    const host = await browser.open(readRepoFile('examples/digits-convnet.nn'), { width: 1400, height: 900, fileName: 'digits-convnet.nn' });
    const page = host.page;
    await post(page, digits);
    const splitter = '[data-testid="training-splitter"]';
    // Tab from the inspector's last stop reaches the splitter before anything in the training view.
    await page.focus('svg.graph');
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(`(() => { const a = document.activeElement; return a ? (a.getAttribute('data-testid') ?? (a.closest('[data-testid="training"]') ? 'inside' : '')) : ''; })()`)) === 'training-splitter';
      if (!reached) assert.notEqual(await page.evaluate(`document.activeElement && document.activeElement.closest('[data-testid="training"]') ? 'inside' : ''`), 'inside', 'the splitter comes before the view\'s controls');
    }
    assert.ok(reached, 'Tab reaches the splitter');
    assert.equal(await page.getAttribute(splitter, 'role'), 'separator');
    const open = await viewHeight(page);
    const size = Number(await page.getAttribute(splitter, 'aria-valuenow'));
    assert.equal(Math.round(open), size, 'aria-valuenow is the height');

    let t = await transform(page);
    await page.keyboard.press('Enter');
    t = await refitted(page, t, 'collapsed');
    const collapsed = await viewHeight(page);
    assert.ok(collapsed < 40, `collapsed to its header: ${collapsed}px`);
    assert.equal(await page.getAttribute('[data-testid="training-fold"]', 'aria-expanded'), 'false');
    await assertGraphUncovered(page);
    await page.keyboard.press(' ');
    t = await refitted(page, t, 'expanded');
    assert.equal(Math.round(await viewHeight(page)), Math.round(open), 'expanded to its size again');

    await page.keyboard.press('ArrowUp');
    t = await refitted(page, t, 'resized by ArrowUp');
    assert.equal(Math.round(await viewHeight(page)), size + 16, 'ArrowUp grows it by 16 px');
    await page.keyboard.press('Shift+ArrowDown');
    t = await refitted(page, t, 'resized by Shift+ArrowDown');
    assert.equal(Math.round(await viewHeight(page)), size + 16 - 64, 'Shift+ArrowDown shrinks it by 64 px');
    assert.equal(Number(await page.getAttribute(splitter, 'aria-valuenow')), size - 48);
    await page.keyboard.press('Home');
    await refitted(page, t, 'resized by Home');
    assert.equal(Math.round(await viewHeight(page)), 120, 'Home: the smallest size');
    await assertGraphUncovered(page);
    // The header's fold button does the same as Enter.
    await page.click('[data-testid="training-fold"]');
    await frames(page);
    assert.ok((await viewHeight(page)) < 40);
    await page.close();
  });

  it('drags the splitter to resize, and keeps size and collapsed state across a reload of the webview', async () => {
    const host: FakeHost = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1400, height: 900, fileName: 'spiral.nn' });
    const page = host.page;
    await post(page, spiralRun);
    const s = await box(page, '[data-testid="training-splitter"]');
    await page.mouse.move(700, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(700, 500, { steps: 4 });
    await page.mouse.up();
    await frames(page);
    assert.equal(Math.round(await viewHeight(page)), 400, 'dragged to 400 px high');
    await assertGraphUncovered(page);
    const dockState = async (): Promise<unknown> => ((await host.webviewState()) as { trainingDock?: unknown } | undefined)?.trainingDock;
    assert.deepEqual(await dockState(), { collapsed: false, below: 400, beside: 0 });
    await page.focus('[data-testid="training-splitter"]');
    await page.keyboard.press('Enter');
    assert.deepEqual(await dockState(), { collapsed: true, below: 400, beside: 0 });
    const state = await host.webviewState();
    await page.close();

    // VS Code reloads the webview (hidden and shown again, or the window reloaded) and hands the state back.
    const again = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1400, height: 900, fileName: 'spiral.nn', state });
    await post(again.page, spiralRun);
    assert.ok((await viewHeight(again.page)) < 40, 'still collapsed');
    await again.page.click('[data-testid="training-fold"]');
    await frames(again.page);
    assert.equal(Math.round(await viewHeight(again.page)), 400, 'at the remembered size');
    // A reset (Reset Weights) leaves a one-line message: the view shrinks to it and the graph gets the room back.
    const t = await transform(again.page);
    await post(again.page, [{ kind: 'reset', runId: 0, message: 'Weights reset: spiral.weights.safetensors was deleted; the next run starts from fresh weights.' }]);
    await refitted(again.page, t, 'the view emptied');
    assert.ok((await viewHeight(again.page)) < 100, `a message only: ${await viewHeight(again.page)}px`);
    assert.deepEqual(again.errors.filter((e) => !/status of 404/.test(e)), []);
    await again.page.close();
  });
});
