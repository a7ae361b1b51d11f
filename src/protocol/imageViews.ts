/**
 * What the views see of an image network (an input of shape [H, W, C]): a grid of validation
 * images with their predicted and true classes (mistakes first), the first conv layer's filters
 * per epoch, and one conv node's feature maps for one chosen image. Sizes are bounded here, so a
 * big network or data set never floods a view: at most MAX_GRID_IMAGES images of at most
 * MAX_IMAGE_VALUES values each, at most MAX_FILTER_VALUES filter weights, at most
 * MAX_FEATURE_VALUES feature-map values.
 */
import { anyNumber, count, custom, type Infer, int, isObject, list, object, oneOf, optional, type Schema, show, text } from './schema';

/** Images in one grid update. */
export const MAX_GRID_IMAGES = 48;
/** Values (H·W·C) of one image the views are sent. */
export const MAX_IMAGE_VALUES = 64 * 64 * 4;
/** Filter weights streamed per snapshot (larger layers send their first filters only). */
export const MAX_FILTER_VALUES = 32_768;
/** Values of one node's feature maps for one image. */
export const MAX_FEATURE_VALUES = 1 << 20;

const name = text(1000);

/** [H, W, C] of an image-shaped tensor. */
export const ImageShape = custom<[number, number, number]>((v, at) =>
  Array.isArray(v) && v.length === 3 && v.every((d) => Number.isSafeInteger(d) && d >= 1 && d <= 65_536)
    ? undefined : `"${at}" must be [H, W, C] (three whole numbers from 1 up), got ${show(v)}`);

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Bytes of `count` images of `shape`, each scaled to 0–255 between its own min and max (channels last). */
const pixels = (max: number): Schema<Uint8Array> => custom((v, at) => (v instanceof Uint8Array && v.length <= max ? undefined : `"${at}" must be a Uint8Array of at most ${max} bytes, got ${show(v)}`));

/** One image as the views draw it. */
export const ImagePicture = object({ shape: ImageShape, pixels: pixels(MAX_IMAGE_VALUES) });
export type ImagePicture = Infer<typeof ImagePicture>;

const gridFields = {
  epoch: count,
  /** Which rows: the validation split, or the training rows when there is none. */
  set: oneOf(['validation', 'training']),
  shape: ImageShape,
  /** count·H·W·C bytes: the images, each scaled to 0–255 on its own. */
  pixels: pixels(MAX_GRID_IMAGES * MAX_IMAGE_VALUES),
  /** Per image: its row in the set (the feature maps are asked for by it), true and predicted class, and the network's probability of its prediction. */
  rows: list(count, { max: MAX_GRID_IMAGES }),
  actual: list(count, { max: MAX_GRID_IMAGES }),
  predicted: list(count, { max: MAX_GRID_IMAGES }),
  confidence: list(anyNumber, { max: MAX_GRID_IMAGES }),
  /** Class names in output order (empty: the views number the classes). */
  classNames: list(name, { max: 10_000 }),
  /** Rows evaluated, and how many of them the network got wrong. */
  total: count,
  wrong: count,
};

/** Checks that an image grid's lists agree with each other and with its pixels. */
export function imageGridProblem(m: Record<string, unknown>): string | undefined {
  const n = (m.rows as unknown[]).length;
  for (const key of ['actual', 'predicted', 'confidence'] as const) {
    if ((m[key] as unknown[]).length !== n) return `"${key}" must have one entry per image (${n}), got ${(m[key] as unknown[]).length}`;
  }
  const size = product(m.shape as number[]);
  if (size > MAX_IMAGE_VALUES) return `"shape" ${JSON.stringify(m.shape)} is larger than the views draw (${MAX_IMAGE_VALUES} values)`;
  if ((m.pixels as Uint8Array).length !== n * size) return `"pixels" must hold ${n} images of ${size} values, got ${(m.pixels as Uint8Array).length}`;
  return undefined;
}

/** The fields of an 'images' training update (see trainingUpdate.ts). */
export const IMAGE_GRID_FIELDS = gridFields;

/** The fields of a 'filters' training update: the first conv layer's weights [filters, kh, kw, c] at one epoch. */
export const FILTER_FIELDS = {
  epoch: count,
  globalStep: count,
  node: name,
  /** [filters, kh, kw, c] as sent (possibly fewer filters than the layer has: see `of`). */
  shape: custom<[number, number, number, number]>((v, at) =>
    Array.isArray(v) && v.length === 4 && v.every((d) => Number.isSafeInteger(d) && d >= 1) ? undefined : `"${at}" must be [filters, kh, kw, c], got ${show(v)}`),
  /** The layer's filter count (more than shape[0] when only the first ones were sent). */
  of: count,
  data: custom<Float32Array>((v, at) => (v instanceof Float32Array && v.length <= MAX_FILTER_VALUES ? undefined : `"${at}" must be a Float32Array of at most ${MAX_FILTER_VALUES} values, got ${show(v)}`)),
};

/** Checks that a filter snapshot's data fills its shape. */
export function filtersProblem(m: Record<string, unknown>): string | undefined {
  const size = product(m.shape as number[]);
  return (m.data as Float32Array).length === size ? undefined : `"data" must hold ${size} values for shape ${JSON.stringify(m.shape)}, got ${(m.data as Float32Array).length}`;
}

const FeatureMapsShape = object({
  node: name,
  /** The image's row in `set`. */
  row: count,
  set: oneOf(['validation', 'training']),
  /** [H, W, C] of the node's output: C maps of H×W. */
  shape: ImageShape,
  data: custom<Float32Array>((v, at) => (v instanceof Float32Array && v.length <= MAX_FEATURE_VALUES ? undefined : `"${at}" must be a Float32Array, got ${show(v)}`)),
  image: ImagePicture,
  actual: optional(count),
  predicted: optional(count),
  /** Which weights gave them, in words ("the live weights of the run", "saved weights …"). */
  source: text(100_000),
});
export type FeatureMapsValue = Infer<typeof FeatureMapsShape>;

/** One node's feature maps for one image: the answer to 'featureMaps'. */
export const FeatureMaps = custom<FeatureMapsValue>((v, at) => {
  const problem = FeatureMapsShape.check(v, at);
  if (problem || !isObject(v)) return problem;
  const size = product(v.shape as number[]);
  if (size > MAX_FEATURE_VALUES) return `"${at}.shape" is larger than the views draw`;
  if ((v.data as Float32Array).length !== size) return `"${at}.data" must hold ${size} values, got ${(v.data as Float32Array).length}`;
  return undefined;
});

/** The image rows a request may name. */
export const imageRow = int(0, Number.MAX_SAFE_INTEGER);
