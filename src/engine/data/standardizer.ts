/**
 * Feature standardisation, (x − mean) / std per column, fitted on the training split only so no
 * statistic of the validation rows leaks into training. It is saved (as JSON) in the weights
 * file's metadata so `predict` scales raw inputs exactly as training did.
 */
import { DataError } from './dataset';

/** The weights-file metadata key under which the standardiser's JSON is stored. */
export const STANDARDIZER_METADATA_KEY = 'neural-canvas.standardizer';

/** The JSON form of a Standardizer. */
export interface StandardizerJson {
  featureNames: string[];
  mean: number[];
  std: number[];
}

/** Per-feature mean and standard deviation; columns that are not scaled have mean 0 and std 1. */
export class Standardizer {
  /** Use `fit` or `fromJSON`; the arrays are taken as given. */
  constructor(
    readonly featureNames: string[],
    readonly mean: Float64Array,
    readonly std: Float64Array,
  ) {}

  /**
   * Fits on `count` rows of `x` (row-major, `featureNames.length` wide). Only columns whose
   * `scale` flag is true are scaled; a constant column gets std 1 so it maps to 0, not NaN.
   */
  static fit(x: Float32Array, count: number, featureNames: string[], scale?: boolean[]): Standardizer {
    const d = featureNames.length;
    const mean = new Float64Array(d);
    const std = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      if (scale && !scale[j]) continue;
      let sum = 0;
      for (let i = 0; i < count; i++) sum += x[i * d + j];
      const m = count > 0 ? sum / count : 0;
      let sq = 0;
      for (let i = 0; i < count; i++) {
        const e = x[i * d + j] - m;
        sq += e * e;
      }
      const s = count > 0 ? Math.sqrt(sq / count) : 0;
      mean[j] = m;
      std[j] = s > 1e-12 ? s : 1;
    }
    return new Standardizer(featureNames, mean, std);
  }

  /** Returns a scaled copy of `x` (rows of this standardiser's width). */
  transform(x: Float32Array): Float32Array {
    const d = this.mean.length;
    if (x.length % d !== 0) {
      throw new DataError(`the network was trained on ${d} features (${this.featureNames.join(', ')}) but got ${x.length} value${x.length === 1 ? '' : 's'}; give one value per feature, or retrain if the data changed.`);
    }
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += d) {
      for (let j = 0; j < d; j++) out[i + j] = (x[i + j] - this.mean[j]) / this.std[j];
    }
    return out;
  }

  /** Serialises to a JSON string (for the weights file's metadata). */
  toJSON(): string {
    const json: StandardizerJson = { featureNames: this.featureNames, mean: Array.from(this.mean), std: Array.from(this.std) };
    return JSON.stringify(json);
  }

  /** Reads the JSON `toJSON` wrote; throws DataError if it is damaged. */
  static fromJSON(text: string): Standardizer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DataError(`the saved feature scaling (${STANDARDIZER_METADATA_KEY}) is not valid JSON; retrain to rewrite the weights file.`);
    }
    const j = json as Partial<StandardizerJson>;
    const numbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!j || !Array.isArray(j.featureNames) || !numbers(j.mean) || !numbers(j.std)
      || j.mean.length !== j.featureNames.length || j.std.length !== j.featureNames.length || j.std.some((s) => s <= 0)) {
      throw new DataError(`the saved feature scaling (${STANDARDIZER_METADATA_KEY}) is damaged (it needs featureNames, mean and std of one length, std > 0); retrain to rewrite the weights file.`);
    }
    return new Standardizer(j.featureNames.map(String), Float64Array.from(j.mean), Float64Array.from(j.std));
  }
}
