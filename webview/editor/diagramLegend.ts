/**
 * The legend of an exported diagram: what its colours mean, drawn only when some colour carries
 * meaning (weight colours and widths on edges, cycle and error colours, neuron heatmaps, volume
 * colours by layer type), and placed beside or below the graph so it never covers it. The swatches reuse the
 * graph's own classes, so they take exactly the colours the graph has in the export's theme.
 * Pure: builds SVG text; text widths come from a measure function.
 */
import { classColour } from '../../src/protocol';
import { divergingRgba } from '../shared/colours';

/** What the exported graph shows that needs explaining. */
export interface LegendFacts {
  /** Edges are coloured and sized by the trained weights of the layer they feed. */
  weights: boolean;
  /** Some edge is drawn as part of a cycle. */
  cycle: boolean;
  /** The worst problem of some node, per kind of badge shown. */
  badges: readonly ('error' | 'warning' | 'info')[];
  /** Node types drawn with an output volume, in the order they first appear. */
  volumeTypes: readonly string[];
  /** Neuron heatmap tiles (two-input networks) are drawn in nodes. */
  heatmaps?: boolean;
}

/** A small picture in the legend. */
export type Swatch =
  | { kind: 'line'; width: number; colour?: string; cls?: string }
  | { kind: 'badge'; severity: 'error' | 'warning' | 'info' }
  | { kind: 'volume'; type: string }
  | { kind: 'tile'; colour: string };

export interface LegendSection {
  title: string;
  items: { swatch: Swatch; label: string }[];
}

/** Edge colours of a layer's mean weight, as edgeWeights.ts draws them. */
export function weightColour(sign: 1 | -1): string {
  const [r, g, b] = divergingRgba(sign, 1);
  return `rgb(${r},${g},${b})`;
}

/** The sections that explain `facts`; empty when no colour carries meaning. */
export function legendSections(facts: LegendFacts): LegendSection[] {
  const out: LegendSection[] = [];
  if (facts.weights) {
    out.push({ title: 'Edge colour: mean weight of the layer it feeds', items: [
      { swatch: { kind: 'line', width: 3, colour: weightColour(1) }, label: 'positive' },
      { swatch: { kind: 'line', width: 3, colour: weightColour(-1) }, label: 'negative' },
    ] });
    out.push({ title: 'Edge width: weight size (RMS)', items: [
      { swatch: { kind: 'line', width: 1 }, label: 'near zero' },
      { swatch: { kind: 'line', width: 3 }, label: 'half the largest layer\'s' },
      { swatch: { kind: 'line', width: 5 }, label: 'the largest layer\'s' },
    ] });
  }
  const problems: LegendSection['items'] = [];
  if (facts.cycle) problems.push({ swatch: { kind: 'line', width: 2, cls: 'cycle' }, label: 'edge on a cycle' });
  const badgeLabels = { error: 'layer with an error', warning: 'layer with a warning', info: 'layer with a note' } as const;
  for (const severity of ['error', 'warning', 'info'] as const) {
    if (facts.badges.includes(severity)) problems.push({ swatch: { kind: 'badge', severity }, label: badgeLabels[severity] });
  }
  if (problems.length) out.push({ title: 'Problems', items: problems });
  if (facts.heatmaps) {
    // The decision boundary's scale (webview/shared/neuronColours.ts): 1 full blue, 0 full orange, ½ faintest.
    const tint = (cls: 0 | 1, alpha: number): string => `rgba(${classColour(cls, 1).join(',')},${alpha})`;
    out.push({ title: 'Neuron tiles: output over the input plane', items: [
      { swatch: { kind: 'tile', colour: tint(1, 0.75) }, label: 'high (1, or its scale and above)' },
      { swatch: { kind: 'tile', colour: tint(1, 0.16) }, label: 'middle (½, or 0)' },
      { swatch: { kind: 'tile', colour: tint(0, 0.75) }, label: 'low (0, or minus its scale and below)' },
    ] });
  }
  if (facts.volumeTypes.length) {
    out.push({ title: 'Volume colour: layer type', items: facts.volumeTypes.map((type) => ({ swatch: { kind: 'volume', type }, label: type })) });
  }
  return out;
}

/** Measures text at the legend's font size (px); `bold` for section titles. */
export type MeasureText = (text: string, bold: boolean) => number;

/** A rough measure for when none is at hand: 0.6 em per character. */
export const roughMeasure = (em: number): MeasureText => (text, bold) => text.length * em * (bold ? 0.65 : 0.6);

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r = (v: number): number => Math.round(v * 100) / 100;

function swatchSvg(sw: Swatch, x: number, cy: number, w: number, em: number): string {
  if (sw.kind === 'line') {
    const style = `${sw.colour ? `stroke:${sw.colour};` : ''}stroke-width:${sw.width}`;
    return `<g class="edge${sw.cls ? ` ${sw.cls}` : ''}"><path class="edge-line" d="M${r(x)},${r(cy)}h${r(w)}" style="${style}"/></g>`;
  }
  if (sw.kind === 'badge') {
    const mark = sw.severity === 'info' ? 'i' : '!';
    return `<g class="badge badge-${sw.severity}" transform="translate(${r(x + w / 2)},${r(cy)})"><circle r="${r(em * 0.7)}"/><text text-anchor="middle" y="${r(em * 0.35)}">${mark}</text></g>`;
  }
  if (sw.kind === 'tile') {
    const side = em * 1.1;
    return `<rect class="legend-tile" x="${r(x + (w - side) / 2)}" y="${r(cy - side / 2)}" width="${r(side)}" height="${r(side)}" style="fill:${sw.colour}"/>`;
  }
  // A small box in perspective, like the volumes on the nodes.
  const s = em * 1.1, d = em * 0.45, x0 = x + (w - s - d) / 2, y0 = cy - (s - d) / 2;
  return `<g class="type-${esc(sw.type)}"><g class="volume">`
    + `<path class="volume-top" d="M${r(x0)},${r(y0)}l${r(d)},${r(-d)}h${r(s)}l${r(-d)},${r(d)}Z"/>`
    + `<path class="volume-side" d="M${r(x0 + s)},${r(y0)}l${r(d)},${r(-d)}v${r(s)}l${r(-d)},${r(d)}Z"/>`
    + `<rect class="volume-front" x="${r(x0)}" y="${r(y0)}" width="${r(s)}" height="${r(s)}"/></g></g>`;
}

/** The legend drawn at the origin: its size and SVG (a `<g class="legend">`), or undefined when there is nothing to explain. */
export function legendSvg(sections: readonly LegendSection[], em: number, measure: MeasureText): { width: number; height: number; svg: string } | undefined {
  if (sections.length === 0) return undefined;
  const pad = em * 0.8, row = em * 1.7, swatchW = em * 2.6, gap = em * 0.6;
  let width = 0;
  for (const sec of sections) {
    width = Math.max(width, measure(sec.title, true));
    for (const it of sec.items) width = Math.max(width, swatchW + gap + measure(it.label, false));
  }
  width = Math.ceil(width + 2 * pad);
  let y = pad;
  const parts: string[] = [];
  sections.forEach((sec, i) => {
    if (i > 0) y += em * 0.5;
    parts.push(`<text class="legend-title" x="${r(pad)}" y="${r(y + row * 0.68)}">${esc(sec.title)}</text>`);
    y += row;
    for (const it of sec.items) {
      const cy = y + row / 2;
      parts.push(swatchSvg(it.swatch, pad, cy, swatchW, em));
      parts.push(`<text class="legend-label" x="${r(pad + swatchW + gap)}" y="${r(cy + em * 0.35)}">${esc(it.label)}</text>`);
      y += row;
    }
  });
  const height = Math.ceil(y + pad);
  const svg = `<g class="legend" data-testid="diagram-legend" aria-label="Legend">`
    + `<rect class="legend-box" width="${width}" height="${height}" rx="${r(em * 0.4)}"/>${parts.join('')}</g>`;
  return { width, height, svg };
}

/** CSS of the legend's own parts (the swatches use the graph's rules). Embedded with graph.css. */
export const LEGEND_CSS = `
.graph .legend-box { fill: var(--nc-node-bg); stroke: var(--nc-node-border); stroke-width: 1; }
.graph .legend-title { font-weight: 600; }
.graph .legend-tile { stroke: var(--nc-node-border); stroke-width: 0.5; }
`;

export interface Box { x: number; y: number; width: number; height: number }

/**
 * Where the legend goes: right of the graph or below it, `gap` away, whichever picture is closer
 * to a 4:3 landscape (ties: right). Returns the legend's top-left corner and the box around both.
 */
export function placeLegend(graph: Box, legend: { width: number; height: number }, gap: number): { x: number; y: number; canvas: Box } {
  const right = { x: graph.x + graph.width + gap, y: graph.y };
  const below = { x: graph.x, y: graph.y + graph.height + gap };
  const around = (p: { x: number; y: number }): Box => {
    const x = Math.min(graph.x, p.x), y = Math.min(graph.y, p.y);
    return { x, y, width: Math.max(graph.x + graph.width, p.x + legend.width) - x, height: Math.max(graph.y + graph.height, p.y + legend.height) - y };
  };
  const skew = (b: Box): number => Math.abs(Math.log(b.width / Math.max(1, b.height) / (4 / 3)));
  const a = around(right), b = around(below);
  return skew(b) < skew(a) ? { ...below, canvas: b } : { ...right, canvas: a };
}
