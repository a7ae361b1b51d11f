/**
 * Brings a node into view: when any part of its box is off-screen (or it is not drawn yet at its
 * place), the view centres on it at the current zoom. Nothing moves when it is already in view.
 */
import type { GraphRenderer } from './graphRenderer';
import type { Viewport } from './viewport';

/** Scrolls node `id` into view; false when it is not drawn. */
export function revealNode(renderer: Pick<GraphRenderer, 'positions' | 'view'>, viewport: Pick<Viewport, 'visible' | 'centreOn'>, id: string): boolean {
  const p = renderer.positions.get(id);
  const v = renderer.view(id);
  if (!p || !v) return false;
  const vis = viewport.visible();
  if (p.x < vis.x || p.y < vis.y || p.x + v.width > vis.x + vis.width || p.y + v.height > vis.y + vis.height) viewport.centreOn(p.x + v.width / 2, p.y + v.height / 2);
  return true;
}
