/**
 * The colours the webviews share (pure, no DOM): the blue/orange scale of weights, from the
 * boundary's class colours (src/protocol/boundaryCells.ts, which `nn boundary`'s PNG uses too).
 */

import { CLASS_COLORS } from '../../src/protocol';

/** Blue for negative, orange for positive, fading to transparent at 0 (|v| / max in [0, 1]). */
export function divergingRgba(v: number, max: number): [number, number, number, number] {
  const t = max > 0 ? Math.max(-1, Math.min(1, v / max)) : 0;
  const c = t < 0 ? CLASS_COLORS[1] : CLASS_COLORS[0];
  return [c[0], c[1], c[2], Math.round(Math.abs(t) * 255)];
}
