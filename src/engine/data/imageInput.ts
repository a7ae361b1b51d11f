/**
 * Data fed to an image input ([H, W, C], channels last): every row is H·W·C values in H, W, C
 * order (row-major, channels last) — exactly how a CSV's feature columns fold into an image, and
 * how the image loaders store pixels.
 */
import { DataError, type Dataset } from './dataset';

/** The input node data is fed to, when it is an image. */
export interface ImageInput {
  id: string;
  /** [H, W, C]. */
  shape: number[];
}

/** Names of the H·W·C values of one image, in row order: `px_r_c` (one channel) or `px_r_c_ch`. */
export function pixelNames(shape: number[]): string[] {
  const [h, w, c] = shape;
  const names: string[] = [];
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      if (c === 1) names.push(`px_${r}_${col}`);
      else for (let ch = 0; ch < c; ch++) names.push(`px_${r}_${col}_${ch}`);
    }
  }
  return names;
}

/** `[8, 8, 1]`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks that `ds` can feed the image input `input` and returns it marked with the input's
 * shape. A CSV's feature columns must number exactly H·W·C; images must have the input's shape.
 * `source` names the data in errors (a file as written in the design, or a data set's name).
 */
export function fitToImageInput(ds: Dataset, input: ImageInput, source: string): Dataset {
  const want = input.shape.reduce((a, b) => a * b, 1);
  const product = `${input.shape.join('·')} = ${want}`;
  if (ds.shape && ds.shape.join() !== input.shape.join()) {
    throw new DataError(
      `${source}: the images are ${ds.shape[0]}×${ds.shape[1]} with ${ds.shape[2]} channel${ds.shape[2] === 1 ? '' : 's'} (shape ${shapeText(ds.shape)}), but input '${input.id}' has shape ${shapeText(input.shape)}; set the input's "shape" to ${shapeText(ds.shape)}.`,
      { file: source },
    );
  }
  if (ds.inputSize !== want) {
    throw new DataError(
      `${source}: each row has ${ds.inputSize} feature value${ds.inputSize === 1 ? '' : 's'}, but input '${input.id}' of shape ${shapeText(input.shape)} takes H·W·C = ${product} (the feature columns fold in height, width, channel order); choose ${want} feature columns with "features", or change the input's "shape".`,
      { file: source },
    );
  }
  return ds.shape ? ds : { ...ds, shape: input.shape.slice() };
}
