/**
 * Export of the diagram as a standalone SVG or a PNG rendered from it: in a fixed light, dark or
 * transparent palette (or the editor's current theme), without any editing state (selection,
 * focus, hover, handles), and with a legend beside the graph whenever colours carry meaning.
 */
import type { DiagramTheme } from '../../src/protocol';
import { exportCss, paletteLookup } from './exportCss';
import { DIAGRAM_PALETTES } from './diagramPalette';
import { LEGEND_CSS, legendSections, legendSvg, placeLegend, roughMeasure } from './diagramLegend';
import type { Box, LegendFacts, MeasureText } from './diagramLegend';

/** Classes and attributes of editing state, taken off every element of the copy. */
const STATE_CLASSES = ['selected', 'focused', 'connect-target', 'target'];
const STATE_ATTRIBUTES = ['tabindex', 'aria-pressed', 'role'];

/** Takes every trace of selection, focus and hover off the copied graph. */
function withoutEditingState(root: Element): void {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const c of STATE_CLASSES) el.classList.remove(c);
    for (const a of STATE_ATTRIBUTES) el.removeAttribute(a);
  }
}

/**
 * Canvases (neuron heatmaps) do not survive serialisation: each foreignObject holding one becomes
 * an SVG image of what it shows now, which every SVG viewer draws. `original` and `copy` are the
 * same tree.
 */
function canvasesAsImages(original: Element, copy: Element): void {
  const from = [...original.querySelectorAll('foreignObject')];
  const to = [...copy.querySelectorAll('foreignObject')];
  from.forEach((fo, i) => {
    const canvas = fo.querySelector('canvas');
    const target = to[i];
    if (!canvas || !target) return;
    const img = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    for (const a of ['x', 'y', 'width', 'height', 'class']) {
      const v = target.getAttribute(a);
      if (v !== null) img.setAttribute(a, v);
    }
    img.setAttribute('preserveAspectRatio', 'none');
    try {
      img.setAttribute('href', canvas.toDataURL('image/png'));
      target.replaceWith(img);
    } catch {
      target.remove();
    }
  });
}

/** What the copied graph shows whose colour needs explaining. */
export function legendFacts(root: Element): LegendFacts {
  const volumeTypes: string[] = [];
  for (const v of root.querySelectorAll('.node .volume')) {
    const type = [...(v.closest('.node')?.classList ?? [])].find((c) => c.startsWith('type-'))?.slice(5);
    if (type && !volumeTypes.includes(type)) volumeTypes.push(type);
  }
  return {
    weights: [...root.querySelectorAll<SVGElement>('.edge .edge-line')].some((p) => p.style.stroke !== ''),
    cycle: root.querySelector('.edge.cycle') !== null,
    badges: (['error', 'warning', 'info'] as const).filter((k) => root.querySelector(`.badge-${k}`) !== null),
    volumeTypes,
    heatmaps: root.querySelector('.neuron-heatmaps') !== null,
  };
}

/** Text widths in the graph's font (the legend is sized from them). */
function canvasMeasure(font: string, fontSize: string): MeasureText {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return roughMeasure(parseFloat(fontSize) || 13);
  return (text, bold) => {
    ctx.font = `${bold ? '600 ' : ''}${fontSize} ${font}`;
    return ctx.measureText(text).width;
  };
}

/** `bounds` grown to hold everything drawn in the viewport's layers but the overlay (group frames, edges that swing out). */
function drawnBounds(viewportGroup: SVGGElement, bounds: Box): Box {
  let x0 = bounds.x, y0 = bounds.y, x1 = bounds.x + bounds.width, y1 = bounds.y + bounds.height;
  for (const layer of viewportGroup.children) {
    if (!(layer instanceof SVGGraphicsElement) || layer.classList.contains('overlay')) continue;
    const b = layer.getBBox();
    if (b.width <= 0 && b.height <= 0) continue;
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The graph as an SVG document in `theme`'s colours, cropped to what is drawn (and the legend)
 * with a margin. `bounds` is the nodes' box; `css` is the graph's stylesheet.
 */
export function diagramSvg(graph: SVGSVGElement, viewportGroup: SVGGElement, nodeBounds: Box, css: string, theme: DiagramTheme = 'light'): string {
  const margin = 24;
  const bounds = drawnBounds(viewportGroup, nodeBounds);
  const clone = viewportGroup.cloneNode(true) as SVGGElement;
  clone.removeAttribute('transform');
  canvasesAsImages(viewportGroup, clone);
  // Icon glyphs need the codicon font (a title moves into its icon's place); ports, overlays and
  // group toggles are for editing only.
  for (const icon of clone.querySelectorAll('.node-icon')) {
    const x = icon.getAttribute('x');
    const title = icon.parentElement?.querySelector(':scope > .node-title');
    if (x !== null && title) title.setAttribute('x', x);
  }
  for (const el of clone.querySelectorAll('.glyph, .port, .overlay, .edge-hit, .group-toggle')) el.remove();
  withoutEditingState(clone);
  const computed = getComputedStyle(graph);
  const font = computed.fontFamily.replace(/"/g, "'");
  const fontSize = computed.fontSize;
  const em = parseFloat(fontSize) || 13;
  const legend = legendSvg(legendSections(legendFacts(clone)), em, canvasMeasure(font, fontSize));
  const placed = legend ? placeLegend(bounds, legend, em * 2) : undefined;
  const area = placed?.canvas ?? bounds;
  const sheet = css + LEGEND_CSS;
  const current = (name: string): string | undefined => computed.getPropertyValue(name).trim() || undefined;
  // A fixed palette sets the colours; the font stays the editor's (the boxes were sized for it).
  const lookup = theme === 'current' ? current : paletteLookup(sheet, DIAGRAM_PALETTES[theme].vars, (name) => (/^--vscode-(editor-)?font-/.test(name) ? current(name) : undefined));
  const background = theme === 'current' ? computed.getPropertyValue('--vscode-editor-background').trim() || '#ffffff' : DIAGRAM_PALETTES[theme].background;
  const x = area.x - margin, y = area.y - margin;
  const w = Math.ceil(area.width + 2 * margin);
  const h = Math.ceil(area.height + 2 * margin);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${x} ${y} ${w} ${h}" font-family="${font}" font-size="${fontSize}" data-theme="${theme}">`
    + `<style>${exportCss(sheet, lookup).replace(/</g, '\\3c ')}</style>`
    + (background ? `<rect class="diagram-background" x="${x}" y="${y}" width="${w}" height="${h}" fill="${background}"/>` : '')
    + `<g class="graph">${clone.outerHTML}${legend && placed ? `<g transform="translate(${placed.x},${placed.y})">${legend.svg}</g>` : ''}</g></svg>`;
}

/** Renders SVG text to a PNG data URL at `scale` × its size (a transparent SVG gives a transparent PNG). */
export async function svgToPng(svg: string, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the diagram could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas is available to draw the PNG');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
