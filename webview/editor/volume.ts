/**
 * An image-shaped tensor drawn as a volume, as in the classic LeNet figure: a slanted box whose
 * height follows H, whose receding depth follows W and whose width (along the data flow) follows
 * the channels C. Lengths grow with the logarithm of the size and are capped, so a 28×28×1 input
 * and a 5×5×16 map both read well side by side. Pure geometry (volumeDrawing.ts draws it).
 */

/** The drawn size of a volume, in pixels (`em` = the graph's font size). */
export interface VolumeGeometry {
  /** The shape drawn, [H, W, C]. */
  shape: [number, number, number];
  /** Front face: width ∝ C, height ∝ H. */
  width: number;
  height: number;
  /** The receding W axis, drawn up and to the right at 45°. */
  dx: number;
  dy: number;
  /** The whole drawing's box: width + dx by height + dy. */
  boxWidth: number;
  boxHeight: number;
  /** The window of the conv or pool layer this tensor feeds, drawn on the H × W face (as in the LeNet figure). */
  window?: VolumeWindow;
}

/** A kernel or pool window over a volume: `rows` × `cols` of the volume's H × W, applied by node `by`. */
export interface VolumeWindow {
  rows: number;
  cols: number;
  by: string;
}

/** A length for `n` along an axis: `base + perDoubling·log2(n)` em, capped at `cap` em. */
function axisLength(n: number, base: number, perDoubling: number, cap: number, em: number): number {
  return Math.min(cap, base + perDoubling * Math.log2(Math.max(1, n))) * em;
}

/** Height (and, at half scale, depth) of `n` rows or columns: 1 → 1.35 em, 5 → 3.5, 28 → 6.6, capped at 8 em (reached at about 60 rows). */
const spatial = (n: number, em: number): number => axisLength(n + 1, 0, 1.35, 8, em);

/** Width of `c` channels: 1 → a thin slab, 6 → 2.2 em, 32 → 4 em, capped at 6 em (about 500 channels). */
const channels = (c: number, em: number): number => axisLength(c, 0.3, 0.75, 6, em);

/** The [H, W, C] a shape is drawn as, or undefined when it is not an image (rank 2 reads as one channel). */
export function imageShape(shape: readonly number[] | undefined): [number, number, number] | undefined {
  if (!shape || shape.some((d) => !(d >= 1))) return undefined;
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2) return [shape[0], shape[1], 1];
  return undefined;
}

/** The volume of an output shape, or undefined for a vector (drawn as a plain block). */
export function volumeGeometry(shape: readonly number[] | undefined, em: number, window?: VolumeWindow): VolumeGeometry | undefined {
  const img = imageShape(shape);
  if (!img) return undefined;
  const [h, w, c] = img;
  const height = spatial(h, em);
  // Cabinet projection: the receding axis at half scale, so the box does not look stretched.
  const depth = spatial(w, em) / 2;
  const dx = depth * Math.SQRT1_2;
  const dy = depth * Math.SQRT1_2;
  const width = channels(c, em);
  return { shape: img, width, height, dx, dy, boxWidth: width + dx, boxHeight: height + dy, ...(window ? { window } : {}) };
}
