/**
 * Export of the diagram as a standalone SVG (theme colours resolved, so it looks the same outside
 * VS Code) or a PNG rendered from that SVG.
 */

/** Replaces every `var(--name, fallback)` in `css` with its computed value on `el`. */
export function resolveCssVariables(css: string, el: Element): string {
  const style = getComputedStyle(el);
  const varRe = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)/g;
  let out = css;
  // Nested var() fallbacks resolve from the inside out, so repeat until none is left.
  for (let i = 0; i < 5 && out.includes('var('); i++) {
    out = out.replace(varRe, (_m, name: string, fallback?: string) => style.getPropertyValue(name).trim() || (fallback ?? '').trim() || 'initial');
  }
  return out;
}

/** The graph as an SVG document, cropped to its nodes with a margin. */
export function diagramSvg(graph: SVGSVGElement, viewportGroup: SVGGElement, bounds: { x: number; y: number; width: number; height: number }, css: string): string {
  const margin = 24;
  const clone = viewportGroup.cloneNode(true) as SVGGElement;
  clone.removeAttribute('transform');
  // Icon glyphs need the codicon font, ports and overlays are for editing only.
  for (const el of clone.querySelectorAll('.glyph, .port, .overlay, .edge-hit')) el.remove();
  const w = Math.ceil(bounds.width + 2 * margin);
  const h = Math.ceil(bounds.height + 2 * margin);
  const style = resolveCssVariables(css, graph);
  const bg = getComputedStyle(graph).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
  const font = getComputedStyle(graph).fontFamily.replace(/"/g, "'");
  const fontSize = getComputedStyle(graph).fontSize;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="${bounds.x - margin} ${bounds.y - margin} ${w} ${h}" font-family="${font}" font-size="${fontSize}">`
    + `<style>${style.replace(/</g, '\\3c ')}</style>`
    + `<rect x="${bounds.x - margin}" y="${bounds.y - margin}" width="${w}" height="${h}" fill="${bg}"/>`
    + `<g class="graph">${clone.outerHTML}</g></svg>`;
}

/** Renders SVG text to a PNG data URL at `scale` × its size. */
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
