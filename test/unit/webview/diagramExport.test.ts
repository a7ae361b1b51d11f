/**
 * The pure parts of diagram export: the stylesheet an export embeds (no editing state, every
 * variable resolved from the theme's fixed palette), the legend (only when colours carry meaning,
 * the same colours as the graph) and where it goes (never over the graph).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_PALETTES } from '../../../webview/editor/diagramPalette';
import { legendSections, legendSvg, placeLegend, roughMeasure, weightColour } from '../../../webview/editor/diagramLegend';
import type { LegendFacts } from '../../../webview/editor/diagramLegend';
import { edgeWeightStyles } from '../../../webview/editor/edgeWeights';
import { exportCss, paletteLookup, resolveCssVariables, withoutStateRules } from '../../../webview/editor/exportCss';

const graphCss = readFileSync(join(__dirname, '../../../webview/editor/graph.css'), 'utf8');
const none: LegendFacts = { weights: false, cycle: false, badges: [], volumeTypes: [] };

describe('diagram export: stylesheet', () => {
  it('drops every rule of selection, focus, hover and connection targets, and keeps the rest', () => {
    const css = '/* c */ .graph .node.selected .node-box { stroke: blue; }\n.graph .node:hover .port, .graph .port.target { opacity: 1; }\n'
      + '.graph .edge.selected .edge-line, .graph .edge.cycle .edge-line { stroke: red; }\n.graph .node.focused .node-box { stroke-width: 3; }\n'
      + '.graph .node.connect-target .node-box { stroke: blue; }\n.graph .node-box { fill: white; }\n.graph .selected-count { fill: black; }';
    const out = withoutStateRules(css);
    assert.doesNotMatch(out, /\.selected\b(?!-)|:hover|\.focused|connect-target|\.target/);
    assert.match(out, /^\.graph \.edge\.cycle \.edge-line \{ stroke: red; \}$/m, 'a selector list keeps its other selectors');
    assert.match(out, /\.graph \.node-box \{ fill: white; \}/);
    assert.match(out, /\.graph \.selected-count/, 'a class that only starts with a state name stays');
  });

  it('resolves nested var() fallbacks', () => {
    const css = 'a { stroke: var(--x, var(--y, #c8c8c8)); fill: var(--z, #fff); }';
    assert.equal(resolveCssVariables(css, () => undefined), 'a { stroke: #c8c8c8; fill: #fff; }');
    assert.equal(resolveCssVariables(css, (n) => ({ '--y': '#123456', '--z': 'red' })[n]), 'a { stroke: #123456; fill: red; }');
  });

  it('resolves the graph\'s own custom properties from the palette, not from their light fallbacks', () => {
    const look = paletteLookup(graphCss, DIAGRAM_PALETTES.dark.vars);
    assert.equal(look('--nc-fg'), DIAGRAM_PALETTES.dark.vars['--vscode-editor-foreground']);
    assert.equal(look('--nc-node-bg'), DIAGRAM_PALETTES.dark.vars['--vscode-editorWidget-background']);
    assert.equal(look('--vscode-font-family'), undefined, 'not a colour: left to the fallback');
    assert.equal(paletteLookup(graphCss, {}, (n) => (n === '--vscode-font-family' ? 'Serif' : undefined))('--vscode-font-family'), 'Serif');
  });

  for (const theme of ['light', 'dark', 'transparent'] as const) {
    it(`embeds graph.css in the ${theme} palette with no variable and no selection colour left`, () => {
      const { vars } = DIAGRAM_PALETTES[theme];
      const css = exportCss(graphCss, paletteLookup(graphCss, vars));
      assert.doesNotMatch(css, /var\(|--[\w-]+\s*:/, 'every variable resolved, no custom property declared');
      assert.doesNotMatch(css, /selected|focused|connect-target/);
      assert.ok(!css.includes(vars['--vscode-focusBorder']), 'the selection colour appears nowhere');
      assert.match(css, new RegExp(`\\.graph text \\{ fill: ${vars['--vscode-editor-foreground']}; \\}`));
      assert.match(css, new RegExp(`\\.graph \\.edge\\.cycle \\.edge-line \\{ stroke: ${vars['--vscode-errorForeground']};`));
    });
  }

  it('light and dark differ; transparent is light without a background', () => {
    assert.notEqual(DIAGRAM_PALETTES.light.vars['--vscode-editor-foreground'], DIAGRAM_PALETTES.dark.vars['--vscode-editor-foreground']);
    assert.equal(DIAGRAM_PALETTES.light.background, '#ffffff');
    assert.equal(DIAGRAM_PALETTES.dark.background, '#1e1e1e');
    assert.equal(DIAGRAM_PALETTES.transparent.background, undefined);
    assert.equal(DIAGRAM_PALETTES.transparent.vars['--vscode-editor-foreground'], DIAGRAM_PALETTES.light.vars['--vscode-editor-foreground']);
    assert.equal(DIAGRAM_PALETTES.transparent.vars['--vscode-editorWidget-background'], DIAGRAM_PALETTES.light.vars['--vscode-editorWidget-background'], 'opaque light node boxes');
  });
});

describe('diagram export: legend', () => {
  it('is absent when no colour carries meaning', () => {
    assert.deepEqual(legendSections(none), []);
    assert.equal(legendSvg([], 13, roughMeasure(13)), undefined);
  });

  it('explains weight colours by sign, in the colours the edges use, and widths by size', () => {
    const sections = legendSections({ ...none, weights: true });
    assert.deepEqual(sections.map((s) => s.title), ['Edge colour: mean weight of the layer it feeds', 'Edge width: weight size (RMS)']);
    const styles = edgeWeightStyles({ a: { shape: [1, 2], data: Float32Array.from([1, 2]) }, b: { shape: [1, 2], data: Float32Array.from([-1, -3]) } });
    assert.equal(weightColour(1), styles.get('a')?.colour);
    assert.equal(weightColour(-1), styles.get('b')?.colour);
    assert.deepEqual(sections[0].items.map((i) => i.label), ['positive', 'negative']);
    assert.deepEqual(sections[1].items.map((i) => (i.swatch.kind === 'line' ? i.swatch.width : 0)), [1, 3, 5], 'the range edgeWeights.ts draws (1 to 5 px)');
  });

  it('explains cycle and problem colours, and volume colours per layer type present', () => {
    const sections = legendSections({ weights: false, cycle: true, badges: ['warning', 'error'], volumeTypes: ['input', 'conv2d'] });
    assert.deepEqual(sections.map((s) => s.title), ['Problems', 'Volume colour: layer type']);
    assert.deepEqual(sections[0].items.map((i) => i.label), ['edge on a cycle', 'layer with an error', 'layer with a warning']);
    assert.deepEqual(sections[1].items.map((i) => i.label), ['input', 'conv2d']);
    const drawn = legendSvg(sections, 13, roughMeasure(13));
    assert.ok(drawn);
    // Swatches reuse the graph's classes, so they take the graph's colours in every theme.
    assert.match(drawn.svg, /<g class="edge cycle"><path class="edge-line"/);
    assert.match(drawn.svg, /<g class="badge badge-error"/);
    assert.match(drawn.svg, /<g class="type-conv2d"><g class="volume">/);
    assert.ok(drawn.width >= roughMeasure(13)('Volume colour: layer type', true), 'wide enough for its longest line');
    assert.ok(drawn.height > 7 * 13 * 1.7, 'a row per title and item');
  });

  it('explains neuron heatmap tiles in the decision boundary\'s colours', () => {
    const [tiles] = legendSections({ ...none, heatmaps: true });
    assert.equal(tiles.title, 'Neuron tiles: output over the input plane');
    assert.deepEqual(tiles.items.map((i) => (i.swatch.kind === 'tile' ? i.swatch.colour : '')), ['rgba(8,119,189,0.75)', 'rgba(8,119,189,0.16)', 'rgba(245,147,34,0.75)'], 'blue high, faint middle, orange low');
    assert.match(legendSvg([tiles], 13, roughMeasure(13))?.svg ?? '', /<rect class="legend-tile"[^>]*style="fill:rgba\(245,147,34,0\.75\)"/);
  });

  it('escapes what it writes', () => {
    const drawn = legendSvg([{ title: 'a<b & "c"', items: [] }], 13, roughMeasure(13));
    assert.match(drawn?.svg ?? '', /a&lt;b &amp; &quot;c&quot;/);
  });

  it('goes beside or below the graph, whichever picture is closer to landscape, and never over it', () => {
    const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const legend = { width: 200, height: 150 };
    const tall = { x: 10, y: -20, width: 180, height: 900 };
    const wide = { x: -50, y: 0, width: 1800, height: 120 };
    const p1 = placeLegend(tall, legend, 26);
    assert.deepEqual([p1.x, p1.y], [10 + 180 + 26, -20], 'a tall graph: to its right');
    const p2 = placeLegend({ x: 0, y: 0, width: 1800, height: 1000 }, { width: 1200, height: 150 }, 26);
    assert.deepEqual([p2.x, p2.y], [0, 1026], 'a wide legend under a wide graph: below');
    for (const g of [tall, wide, { x: 0, y: 0, width: 1, height: 1 }]) {
      const p = placeLegend(g, legend, 26);
      assert.ok(!overlaps(g, { x: p.x, y: p.y, ...legend }));
      assert.ok(p.canvas.x <= g.x && p.canvas.y <= g.y && p.canvas.x + p.canvas.width >= p.x + legend.width && p.canvas.y + p.canvas.height >= p.y + legend.height, 'the picture holds both');
    }
  });
});
