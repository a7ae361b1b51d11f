/**
 * Measures text at the graph's font (the theme sets it), so node boxes fit their text. Widths are
 * cached: a re-render measures only new text.
 */

/** The graph font's size and a cached width measurer. */
export class TextMeasure {
  /** Font size in px. */
  em = 13;
  private fontFamily = 'sans-serif';
  private readonly ctx = document.createElement('canvas').getContext('2d');
  private readonly widths = new Map<string, number>();

  /** Reads the font of `el` (call before each build: the theme may have changed it). */
  readFont(el: Element): void {
    const style = getComputedStyle(el);
    this.em = parseFloat(style.fontSize) || 13;
    this.fontFamily = style.fontFamily || 'sans-serif';
  }

  /** Width in px of `text`, bold or not. */
  readonly width = (text: string, bold: boolean): number => {
    const ctx = this.ctx;
    if (!ctx) return text.length * this.em * 0.6;
    const key = `${bold ? 'b' : 'r'}${this.em}${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const font = `${bold ? '600 ' : ''}${this.em}px ${this.fontFamily}`;
      if (ctx.font !== font) ctx.font = font;
      w = ctx.measureText(text).width;
      if (this.widths.size > 20_000) this.widths.clear();
      this.widths.set(key, w);
    }
    return w;
  };
}
