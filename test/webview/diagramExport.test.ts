/**
 * Exported diagrams in headless Chromium: each theme's fixed colours whatever the editor's theme
 * (light, dark, transparent; "current" follows the editor), never the selection, focus or hover
 * state, and a legend beside the graph exactly when colours carry meaning (trained weights,
 * cycles and problems, volumes). The exports are rendered to PNG under test-results/diagram-export
 * to be looked at.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';

const out = resolve(__dirname, '../../test-results/diagram-export');

/** The same colours as webview/editor/diagramPalette.ts: what a user gets, spelled out. */
const BACKGROUND = { light: '#ffffff', dark: '#1e1e1e' } as const;
const TEXT = { light: '#1f1f1f', dark: '#d4d4d4', transparent: '#1f1f1f' } as const;

type Theme = 'light' | 'dark' | 'transparent' | 'current';

async function exportDiagram(page: Page, format: 'svg' | 'png', theme: Theme): Promise<string> {
  return page.evaluate(([f, t]) => (globalThis as unknown as { neuralCanvas: { exportDiagram(f: string, t: string): Promise<string> } }).neuralCanvas.exportDiagram(f, t), [format, theme] as const);
}

interface Rect { x: number; y: number; width: number; height: number }
const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What the exported SVG holds and where its parts are drawn. */
interface SvgFacts {
  background: string | null;
  stateClasses: number;
  stateAttributes: number;
  legend: string | null;
  legendBox: Rect | null;
  nodeBoxes: Rect[];
  css: string;
  nodes: number;
}

/** Read in the page the SVG is shown on (plain JavaScript: the page runs it as written). */
const READ_FACTS = `(() => {
  const svg = document.querySelector('svg');
  const legend = svg.querySelector('[data-testid="diagram-legend"]');
  const rect = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
  return {
    background: svg.querySelector('.diagram-background')?.getAttribute('fill') ?? null,
    stateClasses: svg.querySelectorAll('.selected, .focused, .connect-target, .target').length,
    stateAttributes: svg.querySelectorAll('[tabindex], [aria-pressed]').length,
    legend: legend ? legend.textContent : null,
    legendBox: legend ? rect(legend) : null,
    nodeBoxes: [...svg.querySelectorAll('.node')].map(rect),
    css: svg.querySelector('style')?.textContent ?? '',
    nodes: svg.querySelectorAll('.node').length,
  };
})()`;

/**
 * Shows the SVG alone on a page of `backdrop` colour (as a browser opening the file would: no
 * webview CSP), saves a screenshot under test-results/diagram-export, and reads what it holds.
 */
async function inspect(host: FakeHost, svg: string, name: string, backdrop = '#ffffff'): Promise<SvgFacts> {
  const browser = host.page.context().browser();
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0;padding:16px;background:${backdrop}">${svg}</body></html>`);
    mkdirSync(out, { recursive: true });
    await page.locator('svg').first().screenshot({ path: join(out, `${name}.svg.png`) });
    return await page.evaluate(READ_FACTS) as SvgFacts;
  } finally {
    await page.close();
  }
}

/** Selects a node and moves the pointer over another, so there is state the export must leave out. */
async function selectAndHover(host: FakeHost, select: string, hover: string): Promise<void> {
  await host.page.click(`[data-node-id="${select}"] .node-title`);
  await host.page.hover(`[data-node-id="${hover}"] .node-title`);
  assert.equal(await host.page.$$eval('.graph .node.selected', (els) => els.length), 1, 'the live graph shows a selection');
}

/** The RGBA of the PNG's top-left pixel, decoded by the browser on a page of its own. */
async function cornerPixel(host: FakeHost, png: string): Promise<number[]> {
  const browser = host.page.context().browser();
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage();
  try {
    return await page.evaluate(`(async () => {
      const img = new Image();
      img.src = ${JSON.stringify(png)};
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      return [...ctx.getImageData(1, 1, 1, 1).data];
    })()`) as number[];
  } finally {
    await page.close();
  }
}

function savePng(dataUrl: string, name: string): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, name), Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
}

describe('Diagram export: themes, no selection, a legend when colours mean something', function () {
  this.timeout(60_000);
  const browser = editorSuite();

  for (const [theme, editorTheme] of [['light', 'dark'], ['dark', 'light'], ['transparent', 'dark']] as const) {
    it(`exports ${theme} from a ${editorTheme} editor: the fixed palette, no selection or hover, no legend when no colour means anything`, async () => {
      const host = await browser.open(readRepoFile('examples/interview.nn'), { theme: editorTheme, fileName: 'interview.nn' });
      await selectAndHover(host, 'hidden', 'x');
      const svg = await exportDiagram(host.page, 'svg', theme);
      const f = await inspect(host, svg, `interview-${theme}`, theme === 'transparent' ? '#7a7a7a' : '#ffffff');
      assert.equal(f.nodes, 3);
      assert.equal(f.background, theme === 'transparent' ? null : BACKGROUND[theme], 'the theme\'s background, not the editor\'s');
      assert.match(f.css, new RegExp(`\\.graph text \\{ fill: ${TEXT[theme]}; \\}`), 'text in the theme\'s colour');
      assert.equal(f.stateClasses, 0, 'no selected, focused or target class');
      assert.equal(f.stateAttributes, 0, 'no tabindex or aria-pressed');
      assert.doesNotMatch(f.css, /selected|focused|:hover|:focus/, 'no rule of editing state');
      const focusBorder = await host.page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string } }).getComputedStyle((globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement).getPropertyValue('--vscode-focusBorder').trim());
      assert.ok(focusBorder && !svg.includes(focusBorder), `the editor's selection colour ${focusBorder} appears nowhere`);
      assert.equal(f.legend, null, 'no legend: no colour carries meaning');
      const png = await exportDiagram(host.page, 'png', theme);
      const corner = await cornerPixel(host, png);
      if (theme === 'transparent') assert.equal(corner[3], 0, 'a transparent PNG');
      else assert.deepEqual(corner, theme === 'light' ? [255, 255, 255, 255] : [30, 30, 30, 255]);
      savePng(png, `interview-${theme}.png`);
    });
  }

  it('"current" follows the editor\'s theme, still without the selection', async () => {
    const host = await browser.open(readRepoFile('examples/interview.nn'), { theme: 'dark', fileName: 'interview.nn' });
    await selectAndHover(host, 'hidden', 'y');
    const f = await inspect(host, await exportDiagram(host.page, 'svg', 'current'), 'interview-current-dark-editor');
    assert.equal(f.background, '#1f1f1f', 'Dark Modern\'s editor background');
    assert.match(f.css, /\.graph text \{ fill: #cccccc; \}/);
    assert.equal(f.stateClasses + f.stateAttributes, 0);
  });

  for (const theme of ['light', 'dark', 'transparent'] as const) {
    it(`explains trained weight colours in a legend beside the graph (${theme})`, async () => {
      const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { fileName: 'spiral.nn' });
      await host.post({ type: 'training', update: { kind: 'saved', runId: 0, weightsFile: 'spiral.weights.safetensors' } });
      await host.page.evaluate(`window.postMessage({ type: 'training', update: { kind: 'weights', runId: 1, layers: {
        h1: { shape: [16, 2], data: new Float32Array(32).fill(0.5) },
        h2: { shape: [16, 16], data: new Float32Array(256).fill(-0.25) },
      } } }, '*')`);
      for (let i = 0; i < 250 && !(await host.page.$$eval('.edge-line', (els) => els.some((e) => (e as unknown as { style: { stroke: string } }).style.stroke !== ''))); i++) await host.page.waitForTimeout(20);
      assert.ok(await host.page.$$eval('.edge-line', (els) => els.some((e) => (e as unknown as { style: { stroke: string } }).style.stroke !== '')), 'the live graph shows weight colours');
      await selectAndHover(host, 'h1', 'h2');
      const svg = await exportDiagram(host.page, 'svg', theme);
      const f = await inspect(host, svg, `spiral-weights-${theme}`, theme === 'transparent' ? '#7a7a7a' : '#ffffff');
      assert.match(f.legend ?? '', /Edge colour: mean weight.*positive.*negative.*Edge width: weight size/);
      assert.doesNotMatch(f.legend ?? '', /Problems|Volume/, 'only what the graph shows');
      assert.equal(f.stateClasses + f.stateAttributes, 0);
      assert.ok(f.legendBox && f.nodeBoxes.length === 4);
      for (const n of f.nodeBoxes) assert.ok(!overlaps(f.legendBox, n), 'the legend covers no node');
      savePng(await exportDiagram(host.page, 'png', theme), `spiral-weights-${theme}.png`);
    });
  }

  it('explains the cycle colour and the problem badges', async () => {
    const cyclic = JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'a', type: 'dense', units: 2 }, { id: 'b', type: 'dense', units: 2 }, { id: 'join', type: 'add' }, { id: 'out', type: 'dense', units: 1 }],
      edges: [{ from: 'x', to: 'join' }, { from: 'join', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'join' }, { from: 'b', to: 'out' }],
    }, null, 2);
    const host = await browser.open(cyclic);
    const svg = await exportDiagram(host.page, 'svg', 'dark');
    const f = await inspect(host, svg, 'cycle-dark');
    assert.match(f.legend ?? '', /Problems.*edge on a cycle.*layer with an error/);
    assert.doesNotMatch(f.legend ?? '', /Edge colour/, 'no weights, no weight legend');
  });

  it('explains volume colours by layer type', async () => {
    const host = await browser.open(readRepoFile('examples/lenet5.nn'), { fileName: 'lenet5.nn', width: 1400, height: 900 });
    const svg = await exportDiagram(host.page, 'svg', 'light');
    const f = await inspect(host, svg, 'lenet5-light');
    assert.match(f.legend ?? '', /Volume colour: layer type.*input.*conv2d/);
    assert.ok(f.legendBox);
    for (const n of f.nodeBoxes) assert.ok(!overlaps(f.legendBox, n), 'the legend covers no node');
  });
});
