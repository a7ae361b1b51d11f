/**
 * Training metrics gathered from the training steps' own forward passes, as Keras reports them
 * during `fit`: each batch scored by the outputs its step computed (before that step's update,
 * dropout active), summed over the epoch's rows. They cost no second pass over the data, which
 * on a network without a validation split was a third of the training time.
 */
import { argmax, type MetricTask, type Metrics } from './metrics';

/** Sums of one epoch's batches, turned into the metrics computeMetrics gives for the same rows. */
export class RunningMetrics {
  private readonly classes: number;
  /** confusion[actual·classes + predicted], flat (a tiny network adds a few rows at every step). */
  private readonly confusion: Int32Array;
  private right = 0;
  private rows = 0;
  private abs = 0;
  private ssRes = 0;
  private readonly sumY: Float64Array;
  private readonly sumY2: Float64Array;

  /**
   * `width`: values per row of the predictions; `threshold`: a single binary output's decision
   * point (0.5 on probabilities, 0 on logits — the same decisions, as sigmoid is monotone).
   * Multiclass decisions are argmaxes, the same on logits as on softmax probabilities.
   */
  constructor(readonly task: MetricTask, readonly width: number, readonly threshold = 0.5) {
    this.classes = task === 'binary' && width === 1 ? 2 : width;
    this.confusion = new Int32Array(task === 'regression' ? 0 : this.classes * this.classes);
    this.sumY = new Float64Array(task === 'regression' ? width : 0);
    this.sumY2 = new Float64Array(task === 'regression' ? width : 0);
    this.reset();
  }

  /** Forgets every batch (a new epoch). */
  reset(): void {
    this.confusion.fill(0);
    this.right = this.rows = this.abs = this.ssRes = 0;
    this.sumY.fill(0);
    this.sumY2.fill(0);
  }

  /** Adds `rows` rows of predictions `pred` against targets `y` (both rows × width, row-major). */
  add(pred: Float32Array, y: Float32Array, rows: number): void {
    const width = this.width;
    this.rows += rows;
    if (this.task === 'regression') {
      const sumY = this.sumY, sumY2 = this.sumY2;
      let abs = 0, ssRes = 0;
      for (let r = 0; r < rows; r++) {
        const o = r * width;
        for (let c = 0; c < width; c++) {
          const t = y[o + c], e = pred[o + c] - t;
          abs += Math.abs(e);
          ssRes += e * e;
          sumY[c] += t;
          sumY2[c] += t * t;
        }
      }
      this.abs += abs;
      this.ssRes += ssRes;
      return;
    }
    const confusion = this.confusion, classes = this.classes;
    let right = 0;
    if (classes === 2 && width === 1) {
      // Counts without a branch per row (a tiny network's step spent more time on mispredicted
      // branches here than on its loss): positives, predicted positives, and both.
      const th = this.threshold;
      let pos = 0, predPos = 0, both = 0;
      for (let r = 0; r < rows; r++) {
        const actual = bit(y[r] >= 0.5), predicted = bit(pred[r] >= th);
        pos += actual;
        predPos += predicted;
        both += actual & predicted;
      }
      const neither = rows - pos - predPos + both;
      confusion[0] += neither;
      confusion[1] += predPos - both;
      confusion[2] += pos - both;
      confusion[3] += both;
      right = both + neither;
    } else {
      for (let r = 0; r < rows; r++) {
        const actual = argmax(y, r * width, width), predicted = argmax(pred, r * width, width);
        confusion[actual * classes + predicted]++;
        if (actual === predicted) right++;
      }
    }
    this.right += right;
  }

  /** The metrics of the rows added since the last reset (computeMetrics' fields and meanings). */
  result(): Metrics {
    const rows = this.rows;
    if (this.task === 'regression') {
      let ssTot = 0;
      for (let c = 0; c < this.width; c++) {
        const mean = this.sumY[c] / Math.max(1, rows);
        // Σ(y − ȳ)² = Σy² − n·ȳ², never below 0 (rounding).
        ssTot += Math.max(0, this.sumY2[c] - rows * mean * mean);
      }
      return { mae: this.abs / Math.max(1, rows * this.width), r2: ssTot > 0 ? 1 - this.ssRes / ssTot : 0 };
    }
    const k = this.classes, flat = this.confusion;
    const confusion: number[][] = [];
    for (let a = 0; a < k; a++) {
      const row = new Array<number>(k);
      for (let p = 0; p < k; p++) row[p] = flat[a * k + p];
      confusion.push(row);
    }
    return { accuracy: rows > 0 ? this.right / rows : 0, confusion };
  }
}

/** 1 or 0 (a boolean as a number, with no branch). */
function bit(b: boolean): number {
  return (b as unknown as number) | 0;
}
