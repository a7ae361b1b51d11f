/**
 * How a decision-boundary grid (a `boundary` training update, or `nn boundary`'s grid) is read
 * and coloured, for every picture of it: the editor's training view and the PNG of
 * `nn boundary`. One output is a probability of class 1; several are per-class scores.
 */

/** Class colours: TensorFlow Playground's orange (class 0) and blue (class 1) first. */
export const CLASS_COLORS: readonly (readonly [number, number, number])[] = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [180, 60, 200], [220, 50, 47], [120, 120, 120], [0, 170, 170], [200, 170, 0], [140, 90, 40], [60, 60, 200]];

/** The colour of a class; with one output, class 1 is blue and class 0 orange. */
export function classColour(cls: number, width: number): readonly [number, number, number] {
  return CLASS_COLORS[width === 1 ? (cls === 1 ? 1 : 0) : cls % CLASS_COLORS.length];
}

/**
 * The predicted class of the cell whose `width` outputs start at `values[offset]`, and how sure
 * the network is, from 0 (a coin toss) to 1: |p − ½|·2 for one output, the winning score's
 * distance from 1/width for several.
 */
export function cellClass(values: ArrayLike<number>, offset: number, width: number): { cls: number; confidence: number } {
  if (width === 1) {
    const p = values[offset];
    return { cls: p >= 0.5 ? 1 : 0, confidence: Math.min(1, Math.abs(p - 0.5) * 2) };
  }
  let cls = 0;
  for (let i = 1; i < width; i++) if (values[offset + i] > values[offset + cls]) cls = i;
  return { cls, confidence: Math.min(1, Math.max(0, (values[offset + cls] - 1 / width) / (1 - 1 / width))) };
}
