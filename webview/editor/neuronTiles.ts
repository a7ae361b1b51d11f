/**
 * Where a node's neuron heatmaps go (pure, no DOM): a block layer gets a grid of square tiles
 * between its subtitle and its footer (up to four a row, the box grown to hold them); a layer
 * drawn as a column of neurons gets one tile over each neuron circle, as TensorFlow Playground
 * draws them.
 */

/** One tile in node coordinates (its top-left corner and side). */
export interface Tile {
  x: number;
  y: number;
  side: number;
}

/** Tiles a row inside a block. */
export const TILES_PER_ROW = 4;

/** Size of a block's tile grid: side and gap of a tile, rows and columns, and the room it takes. */
export function blockTileGrid(count: number, em: number): { cols: number; rows: number; side: number; gap: number; width: number; height: number } {
  const side = 2 * em, gap = 0.3 * em;
  const cols = Math.min(TILES_PER_ROW, Math.max(1, count));
  const rows = Math.ceil(count / cols);
  return { cols, rows, side, gap, width: cols * side + (cols - 1) * gap, height: count > 0 ? rows * (side + gap) + gap : 0 };
}

/**
 * The tiles of `count` heatmaps in a node `width` wide: over the neuron circles of an expanded
 * node (`neurons` > 0, the geometry the renderer draws circles with), else in a centred grid
 * starting `top` (below the subtitle).
 */
export function tilesOf(count: number, node: { width: number; neurons: number }, em: number, top: number): Tile[] {
  const tiles: Tile[] = [];
  if (node.neurons > 0) {
    const side = 1.4 * em, r = em * 0.55;
    for (let i = 0; i < Math.min(count, node.neurons); i++) {
      const cy = top + em * 0.2 + i * 1.6 * em + r + em * 0.2;
      tiles.push({ x: node.width / 2 - side / 2, y: cy - side / 2, side });
    }
    return tiles;
  }
  const g = blockTileGrid(count, em);
  const left = (node.width - g.width) / 2;
  for (let i = 0; i < count; i++) {
    const c = i % g.cols, r = Math.floor(i / g.cols);
    tiles.push({ x: left + c * (g.side + g.gap), y: top + g.gap + r * (g.side + g.gap), side: g.side });
  }
  return tiles;
}
