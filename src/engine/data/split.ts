/** Splitting a data set into training and validation rows, with seeded shuffling. */
import { DataError, type Dataset } from './dataset';
import { Random } from '../random';
import { Standardizer } from './standardizer';

/** The result of `splitData`. */
export interface DataSplit {
  train: Dataset;
  /** Absent when the validation split is 0. */
  validation?: Dataset;
  /** Present when the data asked for standardisation (CSV and shipped data); already applied to both splits. */
  standardizer?: Standardizer;
}

/**
 * Holds out the last `validationSplit` fraction of the rows (after a seeded shuffle when `shuffle`)
 * for validation, and standardises the features with statistics of the training rows only.
 */
export function splitData(ds: Dataset, validationSplit: number, opts: { seed: number; shuffle: boolean }): DataSplit {
  if (!Number.isFinite(validationSplit) || validationSplit < 0 || validationSplit >= 1) {
    throw new DataError(`validationSplit is ${validationSplit}; use a fraction in [0, 1), e.g. 0.2 to hold out a fifth of the data.`);
  }
  // Round to whole rows, but never let a requested split vanish or swallow every training row.
  const valCount = validationSplit > 0 ? Math.min(Math.max(1, Math.round(ds.count * validationSplit)), ds.count - 1) : 0;
  if (validationSplit > 0 && valCount < 1) {
    throw new DataError(`the data has ${ds.count} row; it cannot be split into training and validation rows. Set validationSplit to 0 or add data.`);
  }
  const trainCount = ds.count - valCount;
  const order = opts.shuffle ? new Random(opts.seed).permutation(ds.count) : undefined;
  let train = subset(ds, order, 0, trainCount);
  let validation = valCount > 0 ? subset(ds, order, trainCount, ds.count) : undefined;
  let standardizer: Standardizer | undefined;
  if (ds.standardize && ds.standardize.some(Boolean)) {
    standardizer = Standardizer.fit(train.x, train.count, ds.featureNames, ds.standardize);
    train = { ...train, x: standardizer.transform(train.x) };
    if (validation) validation = { ...validation, x: standardizer.transform(validation.x) };
  }
  return { train, validation, standardizer };
}

/** Rows [from, to) of `order` (or of the data as it is) copied into a new data set. */
function subset(ds: Dataset, order: Uint32Array | undefined, from: number, to: number): Dataset {
  const n = to - from;
  const { inputSize: di, outputSize: dout } = ds;
  const x = new Float32Array(n * di);
  const y = new Float32Array(n * dout);
  for (let r = 0; r < n; r++) {
    const src = order ? order[from + r] : from + r;
    x.set(ds.x.subarray(src * di, (src + 1) * di), r * di);
    y.set(ds.y.subarray(src * dout, (src + 1) * dout), r * dout);
  }
  return { ...ds, x, y, count: n };
}
