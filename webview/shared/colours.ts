/**
 * The colours the webviews share (pure, no DOM): class colours of the decision boundary (the
 * CLI's `nn boundary` PNG uses the same) and the blue/orange scale of weights.
 */

/** Class colours (TensorFlow Playground's orange and blue first). */
export const CLASS_COLORS: [number, number, number][] = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [180, 60, 200], [220, 50, 47], [120, 120, 120], [0, 170, 170], [200, 170, 0], [140, 90, 40], [60, 60, 200]];

/** Blue for negative, orange for positive, fading to transparent at 0 (|v| / max in [0, 1]). */
export function divergingRgba(v: number, max: number): [number, number, number, number] {
  const t = max > 0 ? Math.max(-1, Math.min(1, v / max)) : 0;
  const c = t < 0 ? CLASS_COLORS[1] : CLASS_COLORS[0];
  return [c[0], c[1], c[2], Math.round(Math.abs(t) * 255)];
}
