/**
 * How small the graph may be drawn and still be read: Fit never zooms out past the zoom at which
 * node text is 11 px on screen (at the default font size); a graph larger than that scrolls. Pure.
 */

/** Smallest and largest zoom. */
export const MIN_SCALE = 0.05;
export const MAX_SCALE = 4;

/** Text smaller than this on screen is hard to read, px. */
export const READABLE_TEXT_PX = 11;

/** The smallest node text (subtitle and footer, graph.css) as a fraction of the graph's font size. */
export const SMALLEST_NODE_TEXT_EM = 0.92;

/**
 * The smallest zoom at which node text stays readable with font size `em` (never above 100 %:
 * with a small font Fit does not enlarge the graph).
 */
export function readableScale(em: number): number {
  return Math.min(1, READABLE_TEXT_PX / (SMALLEST_NODE_TEXT_EM * Math.max(1, em)));
}

/** The zoom Fit chooses for `box` on a canvas of `screen`: the whole box, at most 100 %, at least `minScale`. */
export function fitTransformScale(box: { width: number; height: number }, screen: { width: number; height: number }, margin = 32, minScale = MIN_SCALE): number {
  const w = Math.max(1, screen.width - 2 * margin);
  const h = Math.max(1, screen.height - 2 * margin);
  const whole = Math.min(1, w / Math.max(1, box.width), h / Math.max(1, box.height));
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min(1, minScale), whole));
}
