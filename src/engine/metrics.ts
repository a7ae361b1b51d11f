/** Evaluation metrics computed on the host from predictions: loss, accuracy, confusion, MAE, R². */
import type { LossSetting } from './trainSettings';

/** Metrics of one evaluation; which are present depends on the task. */
export interface Metrics {
  /** Classifiers: fraction of rows predicted right. */
  accuracy?: number;
  /** Classifiers: counts, confusion[actual][predicted]. */
  confusion?: number[][];
  /** Regression: mean absolute error. */
  mae?: number;
  /** Regression: coefficient of determination. */
  r2?: number;
}

/** The task kinds metrics distinguish. */
export type MetricTask = 'binary' | 'multiclass' | 'regression';

const EPS = 1e-7;

/** Mean loss of predictions (probabilities/values, after the output activation) against targets. */
export function hostLoss(loss: LossSetting, pred: Float32Array, y: Float32Array, count: number, width: number): number {
  let s = 0;
  const n = count * width;
  if (loss === 'mse') {
    for (let i = 0; i < n; i++) { const e = pred[i] - y[i]; s += e * e; }
    return s / n;
  }
  if (loss === 'binary_crossentropy') {
    for (let i = 0; i < n; i++) {
      const q = Math.min(1 - EPS, Math.max(EPS, pred[i]));
      s -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
    }
    return s / n;
  }
  for (let i = 0; i < n; i++) if (y[i] !== 0) s -= y[i] * Math.log(Math.min(1 - EPS, Math.max(EPS, pred[i])));
  return s / count;
}

/** Accuracy and confusion for classifiers, MAE and R² for regression. */
export function computeMetrics(task: MetricTask, pred: Float32Array, y: Float32Array, count: number, width: number): Metrics {
  if (task === 'regression') {
    let abs = 0, ssRes = 0, ssTot = 0;
    for (let c = 0; c < width; c++) {
      let mean = 0;
      for (let r = 0; r < count; r++) mean += y[r * width + c];
      mean /= Math.max(1, count);
      for (let r = 0; r < count; r++) {
        const i = r * width + c;
        const e = pred[i] - y[i];
        abs += Math.abs(e);
        ssRes += e * e;
        ssTot += (y[i] - mean) * (y[i] - mean);
      }
    }
    return { mae: abs / Math.max(1, count * width), r2: ssTot > 0 ? 1 - ssRes / ssTot : 0 };
  }
  const classes = task === 'binary' && width === 1 ? 2 : width;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let right = 0;
  for (let r = 0; r < count; r++) {
    let actual: number, predicted: number;
    if (classes === 2 && width === 1) {
      actual = y[r] >= 0.5 ? 1 : 0;
      predicted = pred[r] >= 0.5 ? 1 : 0;
    } else {
      actual = argmax(y, r * width, width);
      predicted = argmax(pred, r * width, width);
    }
    confusion[actual][predicted]++;
    if (actual === predicted) right++;
  }
  return { accuracy: count > 0 ? right / count : 0, confusion };
}

/** The index of the largest of a[off .. off + n) (the first one on a tie). */
export function argmax(a: Float32Array, off: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
  return best;
}
