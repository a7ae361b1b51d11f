/**
 * Where the docked training view goes and how big it is: below the editor, or beside it when the
 * editor is much wider than tall; its size along that side, clamped so the graph keeps room; and
 * the part of it kept in the webview's state (collapsed, and one size per side) so that each
 * editor reopens its view as the user left it.
 */

/** Which side of the graph editor the training view is docked on. */
export type DockSide = 'below' | 'beside';

/** What is remembered per editor (webview state); a size of 0 or absent means the default. */
export interface DockState {
  collapsed: boolean;
  /** Height when docked below, px. */
  below: number;
  /** Width when docked beside, px. */
  beside: number;
}

/** Width over height from which the view docks beside the graph (an ultra-wide editor). */
export const BESIDE_ASPECT = 1.8;
/** The smallest size of an expanded view (a header and a short chart), px. */
export const MIN_SIZE = 120;
/** What the graph editor keeps at least: height below the view (toolbar and some canvas), width beside it (palette, inspector, canvas), px. */
export const KEEP_BELOW = 200;
export const KEEP_BESIDE = 720;
/** One arrow-key press resizes by this much (Shift: four times), px. */
export const KEY_STEP = 16;

/** The side for an editor of `width` × `height` px: beside only when wide and with room for the editor. */
export function chooseSide(width: number, height: number): DockSide {
  return width >= BESIDE_ASPECT * height && width - defaultSize('beside', width, height) >= KEEP_BESIDE ? 'beside' : 'below';
}

/** The size the view starts at on `side`. */
export function defaultSize(side: DockSide, width: number, height: number): number {
  return side === 'below' ? Math.round(Math.min(360, Math.max(220, height * 0.3))) : Math.round(Math.min(560, Math.max(380, width * 0.28)));
}

/** The range a size can take on `side` (the graph editor keeps its share; never below MIN_SIZE). */
export function sizeRange(side: DockSide, width: number, height: number): { min: number; max: number } {
  const max = side === 'below' ? height - KEEP_BELOW : width - KEEP_BESIDE;
  return { min: MIN_SIZE, max: Math.max(MIN_SIZE, max) };
}

/** `size` (0: the default) clamped to the range of `side`. */
export function clampSize(side: DockSide, size: number, width: number, height: number): number {
  const { min, max } = sizeRange(side, width, height);
  const s = size > 0 ? size : defaultSize(side, width, height);
  return Math.round(Math.min(max, Math.max(min, s)));
}

/** Reads a remembered state (anything from the webview state: wrong or missing fields take defaults). */
export function readDockState(v: unknown): DockState {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  const size = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 && x < 100_000 ? Math.round(x) : 0);
  return { collapsed: o.collapsed === true, below: size(o.below), beside: size(o.beside) };
}
