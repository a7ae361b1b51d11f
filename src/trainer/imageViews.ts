/**
 * What the views see of an image network while it trains (instead of the 2-D decision boundary):
 * a grid of validation images with predicted and true classes, mistakes first; the first conv
 * layer's filters once an epoch; and, on request, one node's feature maps for one image. Sizes and
 * rates are bounded: at most MAX_GRID_IMAGES small images about once a second, built from the
 * predictions the evaluation computed anyway (never a pass of its own, never every sample).
 */
import { nodeOutputs, type CompiledNetwork, type WeightMap } from '../engine';
import type { Dataset, DataSplit, Standardizer } from '../engine/data';
import { MAX_FEATURE_VALUES, MAX_FILTER_VALUES, MAX_GRID_IMAGES, MAX_IMAGE_VALUES, type FeatureMapsValue, type ImagePicture, type TrainingUpdate } from '../protocol';
import { classIndex, predictedClasses } from './boundary';

/** Least time between two image grids of one run. */
export const IMAGE_GRID_EVERY_MS = 1000;
/** Images in a run's grid (the protocol allows up to MAX_GRID_IMAGES). */
export const GRID_IMAGES = 32;

type Shape3 = [number, number, number];

/** The image rows the views draw from: the validation split, else the training rows. */
export interface ImageSource {
  shape: Shape3;
  set: 'validation' | 'training';
  data: Dataset;
  standardizer?: Standardizer;
}

/** The image source of a network with one image input ([H, W, C]) trained on `split`; undefined for other networks. */
export function imageSource(net: CompiledNetwork, split: DataSplit): ImageSource | undefined {
  if (net.inputIds.length !== 1) return undefined;
  const input = net.layers.find((l) => l.id === net.inputIds[0]) as { shape?: number[] } | undefined;
  const shape = input?.shape ?? split.train.shape;
  if (!shape || shape.length !== 3) return undefined;
  const data = split.validation && split.validation.count > 0 ? split.validation : split.train;
  return { shape: [shape[0], shape[1], shape[2]], set: data === split.train ? 'training' : 'validation', data, standardizer: split.standardizer };
}

/** The first conv layer (its filters are what the first layer "looks for"). */
export function firstConv(net: CompiledNetwork): string | undefined {
  return net.layers.find((l) => (l.kind as string) === 'conv2d')?.id;
}

/**
 * One image as the views draw it: the row's pixels with the data's standardisation undone, scaled
 * to 0–255 between the image's own min and max, and shrunk (every k-th pixel) when it has more
 * than MAX_IMAGE_VALUES values.
 */
export function imagePicture(src: ImageSource, row: number): ImagePicture {
  const [h, w, c] = src.shape;
  const size = h * w * c;
  const k = Math.max(1, Math.ceil(Math.sqrt(size / MAX_IMAGE_VALUES)));
  const oh = Math.ceil(h / k), ow = Math.ceil(w / k);
  const raw = new Float32Array(oh * ow * c);
  const x = src.data.x, base = row * size;
  const mean = src.standardizer?.mean, std = src.standardizer?.std;
  let o = 0;
  for (let r = 0; r < h; r += k) {
    for (let col = 0; col < w; col += k) {
      for (let ch = 0; ch < c; ch++) {
        const j = (r * w + col) * c + ch;
        raw[o++] = mean && std ? x[base + j] * std[j] + mean[j] : x[base + j];
      }
    }
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of raw) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = hi > lo ? hi - lo : 1;
  const pixels = new Uint8Array(raw.length);
  // A flat image (every value the same) is drawn black for 0 or less, white above.
  for (let i = 0; i < raw.length; i++) pixels[i] = !Number.isFinite(raw[i]) ? 0 : hi > lo ? Math.round(((raw[i] - lo) / span) * 255) : raw[i] > 0 ? 255 : 0;
  return { shape: [oh, ow, c], pixels };
}

/** Rows to show: every mistake first (in row order), then correct rows in row order, at most `max`. */
export function gridRows(actual: ArrayLike<number>, predicted: ArrayLike<number>, count: number, max: number): number[] {
  const wrong: number[] = [], right: number[] = [];
  for (let r = 0; r < count; r++) (actual[r] === predicted[r] ? right : wrong).push(r);
  return [...wrong, ...right].slice(0, max);
}

/**
 * The 'images' update from the outputs the evaluation computed on `src` (count × width).
 * Undefined for regression (no classes to show).
 */
export function imageGrid(runId: number, epoch: number, src: ImageSource, outputs: Float32Array, max = GRID_IMAGES): TrainingUpdate | undefined {
  const ds = src.data;
  if (ds.task === 'regression' || ds.count === 0) return undefined;
  const width = ds.outputSize;
  if (outputs.length !== ds.count * width) return undefined;
  const actual = classIndex(ds.y, ds.count, width);
  const predicted = predictedClasses(outputs, ds.count, width);
  let wrong = 0;
  for (let r = 0; r < ds.count; r++) if (actual[r] !== predicted[r]) wrong++;
  const rows = gridRows(actual, predicted, ds.count, Math.min(max, MAX_GRID_IMAGES));
  const pictures = rows.map((r) => imagePicture(src, r));
  const shape = pictures[0]?.shape ?? src.shape;
  const size = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(rows.length * size);
  pictures.forEach((p, i) => pixels.set(p.pixels, i * size));
  const confidence = rows.map((r) => {
    const cls = predicted[r];
    const v = width === 1 ? (cls === 1 ? outputs[r] : 1 - outputs[r]) : outputs[r * width + cls];
    return Number.isFinite(v) ? v : 0;
  });
  return {
    kind: 'images', runId, epoch, set: src.set, shape, pixels, rows,
    actual: rows.map((r) => actual[r]), predicted: rows.map((r) => predicted[r]), confidence,
    classNames: ds.task === 'multiclass' ? ds.labelNames.slice(0, width) : [], total: ds.count, wrong,
  };
}

/** The 'filters' update: the first conv layer's kernels [filters, kh, kw, c] (the first ones that fit MAX_FILTER_VALUES). */
export function filtersUpdate(runId: number, epoch: number, globalStep: number, node: string, weights: WeightMap): TrainingUpdate | undefined {
  const w = weights.get(`${node}.weight`);
  if (!w || w.shape.length !== 4) return undefined;
  const [filters, kh, kw, c] = w.shape;
  const per = kh * kw * c;
  if (per === 0 || per > MAX_FILTER_VALUES) return undefined;
  const sent = Math.min(filters, Math.floor(MAX_FILTER_VALUES / per));
  return { kind: 'filters', runId, epoch, globalStep, node, shape: [sent, kh, kw, c], of: filters, data: Float32Array.from(w.data.subarray(0, sent * per)) };
}

/**
 * One node's feature maps for row `row` of the image source, with `weights`. Throws a message
 * written for the user when the node is not image-shaped or the row does not exist.
 */
export async function featureMaps(net: CompiledNetwork, weights: WeightMap, src: ImageSource, node: string, row: number, source: string): Promise<FeatureMapsValue> {
  const layer = net.layers.find((l) => l.id === node);
  if (!layer) throw new Error(`there is no layer '${node}' in the network that trained; train again after editing the design.`);
  if (row >= src.data.count) throw new Error(`the ${src.set} set has ${src.data.count} images; image ${row} does not exist.`);
  const size = src.shape[0] * src.shape[1] * src.shape[2];
  const [out, outputs] = await nodeOutputs(net, weights, src.data.x.slice(row * size, (row + 1) * size), [node, net.outputIds[0]]);
  if (out.shape.length !== 3) throw new Error(`'${node}' outputs a vector of ${out.data.length} values, not images: select a conv or pooling node (or one before the flatten) to see its feature maps.`);
  if (out.data.length > MAX_FEATURE_VALUES) throw new Error(`'${node}' outputs ${out.data.length.toLocaleString('en-US')} values per image, more than the panel draws (${MAX_FEATURE_VALUES.toLocaleString('en-US')}).`);
  const width = src.data.outputSize;
  const task = src.data.task;
  const classes = task === 'regression' ? undefined : {
    actual: classIndex(src.data.y.subarray(row * width, (row + 1) * width), 1, width)[0],
    predicted: predictedClasses(outputs.data, 1, width)[0],
  };
  return { node, row, set: src.set, shape: [out.shape[0], out.shape[1], out.shape[2]], data: out.data, image: imagePicture(src, row), ...classes, source };
}

/** One run's image views: decides when a grid or a filter snapshot is due (bounded rate) and builds it. */
export class ImageStream {
  private lastGrid = -Infinity;
  private lastFilters = -1;
  readonly conv?: string;

  constructor(readonly runId: number, readonly net: CompiledNetwork, readonly src: ImageSource, private readonly everyMs = IMAGE_GRID_EVERY_MS) {
    this.conv = firstConv(net);
  }

  /**
   * The updates due while training at `epoch`: the grid when `everyMs` has passed since the last
   * one (from the evaluation's `outputs`), the filters when the epoch moved on since the last snapshot.
   */
  live(epoch: number, globalStep: number, weights: WeightMap, outputs: Float32Array | undefined): TrainingUpdate[] {
    const out: TrainingUpdate[] = [];
    const now = performance.now();
    if (outputs && now - this.lastGrid >= this.everyMs) {
      const grid = imageGrid(this.runId, epoch, this.src, outputs);
      if (grid) { out.push(grid); this.lastGrid = now; }
    }
    if (this.conv && epoch !== this.lastFilters) {
      const f = filtersUpdate(this.runId, epoch, globalStep, this.conv, weights);
      if (f) { out.push(f); this.lastFilters = epoch; }
    }
    return out;
  }

  /** The final grid and filters, with the weights the run ends on (`outputs`: the network's outputs on the source rows). */
  final(epoch: number, globalStep: number, weights: WeightMap, outputs: Float32Array): TrainingUpdate[] {
    this.lastGrid = -Infinity;
    this.lastFilters = -1;
    return this.live(epoch, globalStep, weights, outputs);
  }
}
