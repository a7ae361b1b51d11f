/**
 * The training view stays out of the way while a run streams (headless Chromium, real editor
 * bundle): the view docking at the start of a run leaves the inspector as it is (a settings field
 * being typed in keeps its focus and text), and a streaming frame reads no layout (each read
 * after the frame's own writes forced a style and layout pass of the whole page: the long tasks
 * issue 14's benchmark found).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { editorSuite, readRepoFile } from './editorHarness';
import { encodeTyped } from './panelHarness';

const spiral = path.resolve(__dirname, '../unit/trainer/fixtures/spiral.nn');
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

const START: TrainingUpdate = { kind: 'start', runId: 1, file: 'spiral.nn', backend: 'cpu', reason: 'test', mode: 'train', paramCounts: [], totalParams: 337,
  trainCount: 100, validationCount: 20, epochs: 50, stepsPerEpoch: 10, batchSize: 10, notices: [] };

function progress(s: number): TrainingUpdate {
  return { kind: 'progress', runId: 1, epoch: Math.ceil(s / 10), step: ((s - 1) % 10) + 1, totalSteps: 10, globalStep: s, loss: 2 / s, samplesPerSec: 1000 };
}

const FRAMES = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))';

/** The updates of a short CPU run of `file` (the training process's core, in-process). */
async function recordRun(file: string, epochs: number): Promise<TrainingUpdate[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-smooth-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  const updates: TrainingUpdate[] = [];
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'update') updates.push(m.update); });
  core.receive({ type: 'train', runId: 1, overrides: { backend: 'cpu', epochs }, eventEveryMs: 10, text: fs.readFileSync(copy, 'utf8'), file: copy, allowedRoots: [dir] });
  await new Promise((r) => setTimeout(r, 50));
  await core.idle();
  return updates;
}

/** Posts updates into the page as the host does, each its own message (typed arrays rebuilt there), then waits three frames. */
async function post(page: Page, updates: TrainingUpdate[]): Promise<void> {
  const msgs = updates.map((update) => encodeTyped({ type: 'training', update }));
  await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(msgs)}) window.postMessage(__revive(m), '*'); })()`);
  await page.evaluate(FRAMES);
}

/**
 * Page code: counts the layout reads (geometry getters, getComputedStyle) made while an update
 * message is handled or an animation frame runs, in window.__layoutReads.
 */
const LAYOUT_READS = `(() => {
  const m = window.__layoutReads = { count: 0, names: new Set() };
  let busy = 0;
  const during = (f) => function (...a) { busy++; try { return f.apply(this, a); } finally { busy--; } };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf(during(cb));
  window.addEventListener('message', () => { busy++; queueMicrotask(() => busy--); }, true);
  const watch = (proto, name) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    const count = () => { if (busy > 0) { m.count++; m.names.add(name); } };
    if (d.get) Object.defineProperty(proto, name, { ...d, get() { count(); return d.get.call(this); } });
    else Object.defineProperty(proto, name, { ...d, value(...a) { count(); return d.value.apply(this, a); } });
  };
  for (const n of ['clientWidth', 'clientHeight', 'scrollWidth', 'scrollHeight', 'getBoundingClientRect', 'getClientRects']) watch(Element.prototype, n);
  for (const n of ['offsetWidth', 'offsetHeight', 'offsetTop', 'offsetLeft']) watch(HTMLElement.prototype, n);
  watch(window, 'getComputedStyle');
})()`;

describe('training view while a run streams: no stalls (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();

  /** A recorded spiral run posted into a fresh editor up to (not including) its first 'neurons' update. */
  async function beforeFirstNeurons(): Promise<{ updates: TrainingUpdate[]; first: number; page: Page }> {
    const updates = await recordRun(spiral, 2);
    const first = updates.findIndex((u) => u.kind === 'neurons');
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    await post(host.page, updates.slice(0, first));
    await host.page.waitForTimeout(200);
    return { updates, first, page: host.page };
  }

  it('a settings field being typed in keeps its focus and text when a run starts and the view docks', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    const field = '[data-field="training-optimizer-learningRate"] input';
    await page.waitForSelector(field);
    await page.click(field);
    await page.fill(field, '0.00');
    // The input lives in the text field's shadow root (Playwright's selectors pierce it).
    await page.$eval(field, (i) => { (i as unknown as { typedIn: boolean }).typedIn = true; });
    const sizeBefore = await page.evaluate('document.querySelector("svg.graph").getBoundingClientRect().height') as number;
    await host.post({ type: 'training', update: START });
    for (let s = 1; s <= 5; s++) await host.post({ type: 'training', update: progress(s) });
    await page.waitForSelector('[data-testid="training"]:not([hidden])');
    await page.evaluate(FRAMES);
    await page.waitForTimeout(300);
    await page.evaluate(FRAMES);
    const sizeAfter = await page.evaluate('document.querySelector("svg.graph").getBoundingClientRect().height') as number;
    assert.ok(sizeAfter < sizeBefore - 100, `the view docked below the graph: ${sizeBefore} → ${sizeAfter} px`);
    const kept = await page.$eval(field, (el) => {
      const i = el as unknown as { typedIn?: boolean; value: string; getRootNode(): { activeElement: unknown } };
      return { same: i.typedIn === true, focused: i.getRootNode().activeElement === i, value: i.value };
    });
    assert.deepEqual(kept, { same: true, focused: true, value: '0.00' });
    assert.equal(host.intents('setTrainingField').length, 0, 'nothing was committed');
  });

  it('a streaming run\'s updates and frames read no layout (no forced style and layout pass)', async () => {
    const updates = await recordRun(spiral, 20);
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    // The first epoch: the view docks, the chart and the heatmaps appear (layout is expected then).
    const firstEpoch = updates.findIndex((u) => u.kind === 'epoch') + 1;
    await post(page, updates.slice(0, firstEpoch));
    await page.waitForSelector('[data-testid="loss-chart"] canvas');
    await page.waitForSelector('[data-testid="neuron-heatmap"]');
    await page.waitForTimeout(300);
    await page.evaluate(FRAMES);
    // From here on, count the layout reads made while updates are handled and frames drawn.
    await page.evaluate(LAYOUT_READS);
    const framesBefore = await page.evaluate('window.neuralCanvasTraining.frames') as number;
    // Then the run goes on: progress, epoch summaries and, each second or so, new weights, boundary and heatmaps.
    const progress = updates.filter((u) => u.kind === 'progress' || u.kind === 'epoch');
    const each = ['layers', 'weights', 'boundary', 'neurons'].map((k) => updates.find((u) => u.kind === k) as TrainingUpdate);
    for (let round = 0; round < 6; round++) await post(page, [...progress.slice(round * 5, round * 5 + 5), ...each]);
    const reads = await page.evaluate('(() => { const m = window.__layoutReads; return { frames: window.neuralCanvasTraining.frames, count: m.count, names: [...m.names] }; })()') as { frames: number; count: number; names: string[] };
    assert.ok(reads.frames - framesBefore >= 5, `frames drawn while streaming: ${reads.frames - framesBefore}`);
    assert.deepEqual({ reads: reads.count, names: reads.names }, { reads: 0, names: [] });
  });

  it('the loss chart is built while the page is idle, before a run; the run\'s first updates and frames read no layout', async () => {
    const updates = await recordRun(spiral, 2);
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    // Built in idle time, out of the page: nothing of it is drawn before the run.
    for (let i = 0; i < 50 && !(await page.evaluate('!!window.neuralCanvasTraining.chart')); i++) await page.waitForTimeout(100);
    const before = await page.evaluate('(() => { window.__chartBefore = window.neuralCanvasTraining.chart; return { built: !!window.__chartBefore, canvases: document.querySelectorAll(\'[data-testid="loss-chart"] canvas\').length }; })()');
    assert.deepEqual(before, { built: true, canvases: 0 }, 'the chart is built before the run and not yet in the page');
    await page.evaluate(LAYOUT_READS);
    // The run's first epoch: the view docks, the chart gets its first lines, the boundary and heatmaps appear.
    await post(page, updates.slice(0, updates.findIndex((u) => u.kind === 'epoch') + 1));
    await page.waitForSelector('[data-testid="loss-chart"] canvas');
    await page.waitForSelector('[data-testid="neuron-heatmap"]');
    await page.evaluate(FRAMES);
    const after = await page.evaluate('(() => { const v = window.neuralCanvasTraining, m = window.__layoutReads; return { same: v.chart === window.__chartBefore, lines: v.drawn.losses === v.history.curves.version, reads: m.count, names: [...m.names] }; })()');
    assert.deepEqual(after, { same: true, lines: true, reads: 0, names: [] });
  });

  it('the graph\'s new layout as the view docks runs in a task of its own, not in the frame that draws the view', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    await page.evaluate(`(() => {
      const m = window.__fits = [];
      let inFrame = 0;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => raf((t) => { inFrame++; try { cb(t); } finally { inFrame--; } });
      const app = window.neuralCanvas, fit = app.fit.bind(app);
      app.fit = () => { m.push(inFrame > 0); fit(); };
    })()`);
    await post(page, [START, progress(1), progress(2)]);
    await page.waitForSelector('[data-testid="loss-chart"] canvas');
    await page.waitForTimeout(300);
    const fits = await page.evaluate('window.__fits') as boolean[];
    assert.ok(fits.length >= 1, 'the graph was fitted as the view docked');
    assert.deepEqual(fits.filter((inFrame) => inFrame), [], 'no fit inside an animation frame');
  });

  it('the first heatmaps: the update\'s task makes each node\'s tiles once and paints none; the next frame paints them', async () => {
    const { updates, first, page } = await beforeFirstNeurons();
    // The 'neurons' update dispatched synchronously: what its handling did is counted when it returns.
    const msg = encodeTyped({ type: 'training', update: updates[first] });
    const inTask = await page.evaluate(`(() => {
      ${REVIVE}
      let canvases = 0;
      const create = document.createElement;
      document.createElement = function (tag, ...rest) { if (String(tag).toLowerCase() === 'canvas') canvases++; return create.call(this, tag, ...rest); };
      const neurons = window.neuralCanvas.neurons, paints = neurons.paints;
      try { window.dispatchEvent(new MessageEvent('message', { data: __revive(${JSON.stringify(msg)}) })); } finally { document.createElement = create; }
      return { canvases, paints: neurons.paints - paints, tiles: document.querySelectorAll('[data-testid="neuron-heatmap"]').length };
    })()`) as { canvases: number; paints: number; tiles: number };
    assert.deepEqual(inTask, { canvases: 4, paints: 0, tiles: 4 }, 'one canvas for each of x, h1, h2 and y; painted later');
    await page.evaluate(FRAMES);
    const painted = await page.evaluate('window.neuralCanvas.neurons.paints') as number;
    assert.ok(painted >= 4, `painted in the next frame: ${painted}`);
  });

  it('a run\'s first heatmaps are painted over frames, at most TILES_PER_FRAME tiles a frame (all 35 in one frame was a long task)', async () => {
    const { updates, first, page } = await beforeFirstNeurons();
    // Each paint of a node's tiles, with the frame it was in (its animation-frame timestamp).
    await page.evaluate(`(() => {
      const seen = window.__paints = [];
      let frame = -1;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => raf((t) => { frame = t; cb(t); });
      const neurons = window.neuralCanvas.neurons, paint = neurons.paint;
      neurons.paint = function (p) { seen.push([frame, p.id, p.tiles.length]); return paint.call(this, p); };
    })()`);
    await post(page, [updates[first]]);
    await page.evaluate(FRAMES);
    const paints = await page.evaluate('window.__paints') as [number, string, number][];
    const perFrame = new Map<number, number>();
    for (const [frame, , tiles] of paints) perFrame.set(frame, (perFrame.get(frame) ?? 0) + tiles);
    assert.deepEqual(paints.map(([, id, tiles]) => `${id}:${tiles}`).sort(), ['h1:16', 'h2:16', 'x:2', 'y:1'], 'every node painted once');
    assert.ok(Math.max(...perFrame.values()) <= 20, `tiles painted a frame: ${[...perFrame.values()].join(', ')}`);
  });

  it('a frame past its budget leaves the rest to the next: the boundary, chart and edge colours of one update come in turn, and all come', async () => {
    const updates = await recordRun(spiral, 2);
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    await post(page, updates);
    await page.waitForSelector('[data-testid="loss-chart"] canvas');
    await page.waitForTimeout(200);
    // A slow machine: the clock moves 20 ms each time it is read, so every frame runs past its budget.
    const again = ['boundary', 'weights', 'progress'].map((k) => encodeTyped({ type: 'training', update: updates.find((u) => u.kind === k) as TrainingUpdate }));
    // What each of the view's next frames had drawn.
    const seen = await page.evaluate(`new Promise((resolve) => {
      ${REVIVE}
      const real = performance.now.bind(performance);
      let skew = 0;
      performance.now = () => real() + (skew += 20);
      const v = window.neuralCanvasTraining, render = v.render;
      const seen = [];
      v.render = () => {
        render.call(v);
        const d = v.drawn, s = v.state;
        seen.push([d.boundary === s.boundary ? 'boundary' : '', d.losses === v.history.curves.version ? 'chart' : '', d.weights === s.weights ? 'weights' : ''].filter(Boolean).join('+'));
        if (seen.length === 3) { performance.now = real; v.render = render; resolve(seen); }
      };
      for (const m of ${JSON.stringify(again)}) window.dispatchEvent(new MessageEvent('message', { data: __revive(m) }));
      setTimeout(() => { performance.now = real; v.render = render; resolve(seen); }, 3000);
    })`) as string[];
    assert.deepEqual(seen, ['boundary', 'boundary+chart', 'boundary+chart+weights']);
  });

  it('the loss chart is built in one frame and given its lines in the next (together they made a run\'s longest frame)', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const page = host.page;
    const msgs = [START, progress(1), progress(2)].map((update) => ({ type: 'training', update }));
    const seen = await page.evaluate(`new Promise((resolve) => {
      const v = window.neuralCanvasTraining, render = v.render;
      const seen = [];
      v.render = () => {
        render.call(v);
        const built = !!v.chart, lines = built && v.drawn.losses === v.history.curves.version;
        seen.push(lines ? 'lines' : built ? 'built' : 'none');
        if (lines) { v.render = render; resolve(seen); }
      };
      for (const m of ${JSON.stringify(msgs)}) window.dispatchEvent(new MessageEvent('message', { data: m }));
      setTimeout(() => { v.render = render; resolve(seen); }, 5000);
    })`) as string[];
    assert.deepEqual(seen.filter((x) => x !== 'none'), ['built', 'lines']);
    await page.waitForSelector('[data-testid="loss-chart"] canvas');
  });
});
