/**
 * Built-in synthetic data sets, after TensorFlow Playground and CS231n: 2-D classification
 * (xor, circle, gaussian, spiral) and 1-D regression (linear, sine). Coordinates lie in about
 * [-1, 1] so a freshly initialised network meets them on its own scale; `noise` is the standard
 * deviation of Gaussian noise added to every coordinate (classification) or target (regression),
 * in those same units. Labels are decided on the clean point, so noise makes classes overlap.
 */
import type { GeneratorData, GeneratorName } from '../../model/types';
import { DataError, type Dataset } from './dataset';
import { Random } from '../random';

/** Samples when the spec gives none (TensorFlow Playground's default). */
export const DEFAULT_SAMPLES = 500;

/** The most samples a generator makes; beyond this a typo is likelier than intent. */
export const MAX_GENERATED_SAMPLES = 10_000_000;

/** Makes the data set a generator spec describes; `seed` is used when the spec has none. */
export function generateData(spec: GeneratorData, seed: number): Dataset {
  const samples = spec.samples ?? DEFAULT_SAMPLES;
  const noise = spec.noise ?? 0;
  const classes = spec.classes ?? 2;
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_GENERATED_SAMPLES) {
    throw new DataError(`generator '${spec.generator}': samples is ${samples}; use a whole number from 1 to ${MAX_GENERATED_SAMPLES}.`);
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new DataError(`generator '${spec.generator}': noise is ${noise}; use a number ≥ 0 (0.1 is mild, 0.5 heavy).`);
  }
  if ((spec.generator === 'spiral' || spec.generator === 'gaussian') && (!Number.isInteger(classes) || classes < 2 || classes > 100)) {
    throw new DataError(`generator '${spec.generator}': classes is ${classes}; use a whole number from 2 to 100.`);
  }
  const rng = new Random(spec.seed ?? seed);
  const make = GENERATORS[spec.generator];
  if (!make) {
    throw new DataError(`unknown generator '${String(spec.generator)}'; the generators are ${Object.keys(GENERATORS).join(', ')}.`);
  }
  return make(samples, noise, classes, rng);
}

type Generator = (samples: number, noise: number, classes: number, rng: Random) => Dataset;

const GENERATORS: Record<GeneratorName, Generator> = {
  xor: (n, noise, _k, rng) =>
    points(n, 2, (i, p) => {
      // Keep points off the axes (as the Playground does) so the quadrant is never ambiguous.
      const pad = 0.05;
      const x = rng.uniform(pad, 1) * (rng.next() < 0.5 ? -1 : 1);
      const y = rng.uniform(pad, 1) * (rng.next() < 0.5 ? -1 : 1);
      p[0] = x + noise * rng.normal();
      p[1] = y + noise * rng.normal();
      return x * y >= 0 ? 1 : 0;
    }, ['same sign']),
  circle: (n, noise, _k, rng) =>
    points(n, 2, (i, p) => {
      // Alternate inside/outside so every prefix of the data is balanced.
      const inside = i % 2 === 0;
      const r = inside ? rng.uniform(0, 0.5) : rng.uniform(0.7, 1);
      const a = rng.uniform(0, 2 * Math.PI);
      p[0] = r * Math.cos(a) + noise * rng.normal();
      p[1] = r * Math.sin(a) + noise * rng.normal();
      return inside ? 1 : 0;
    }, ['inside']),
  gaussian: (n, noise, k, rng) =>
    points(n, k, (i, p) => {
      const c = i % k;
      // Class centres sit evenly on a circle; two classes land at opposite corners.
      const a = Math.PI / 4 + (2 * Math.PI * c) / k;
      const spread = 0.15;
      p[0] = 0.6 * Math.cos(a) + spread * rng.normal() + noise * rng.normal();
      p[1] = 0.6 * Math.sin(a) + spread * rng.normal() + noise * rng.normal();
      return c;
    }),
  spiral: (n, noise, k, rng) =>
    points(n, k, (i, p) => {
      const c = i % k;
      // Arm c turns 1.75 times around the centre, offset by c/k of a turn (two arms: π apart).
      const r = rng.next();
      const t = 1.75 * 2 * Math.PI * r + (2 * Math.PI * c) / k;
      p[0] = r * Math.sin(t) + noise * rng.normal();
      p[1] = r * Math.cos(t) + noise * rng.normal();
      return c;
    }),
  linear: (n, noise, _k, rng) => regression(n, rng, (x) => 1.5 * x + 0.5 + noise * rng.normal()),
  sine: (n, noise, _k, rng) => regression(n, rng, (x) => Math.sin(Math.PI * x) + noise * rng.normal()),
};

/**
 * Fills `n` 2-D points; `label` writes one point and returns its class. Two classes give one
 * 0/1 output (binary), more give one-hot rows (multiclass).
 */
function points(n: number, classes: number, label: (i: number, p: Float32Array) => number, binaryName: string[] = ['class 1']): Dataset {
  const x = new Float32Array(n * 2);
  const binary = classes === 2;
  const outputSize = binary ? 1 : classes;
  const y = new Float32Array(n * outputSize);
  const p = new Float32Array(2);
  for (let i = 0; i < n; i++) {
    const c = label(i, p);
    x[i * 2] = p[0];
    x[i * 2 + 1] = p[1];
    if (binary) y[i] = c;
    else y[i * outputSize + c] = 1;
  }
  return {
    x, y, count: n, inputSize: 2, outputSize,
    featureNames: ['x1', 'x2'],
    labelNames: binary ? binaryName : Array.from({ length: classes }, (_, c) => `class ${c}`),
    task: binary ? 'binary' : 'multiclass',
  };
}

/** `n` points with x uniform in [-1, 1] and y = f(x). */
function regression(n: number, rng: Random, f: (x: number) => number): Dataset {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform(-1, 1);
    y[i] = f(x[i]);
  }
  return { x, y, count: n, inputSize: 1, outputSize: 1, featureNames: ['x'], labelNames: ['y'], task: 'regression' };
}
