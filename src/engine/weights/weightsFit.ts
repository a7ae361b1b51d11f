/**
 * Whether saved weights fit a design exactly: every tensor the design needs is in the file under
 * its name with its full shape, the file holds no tensor the design lacks, and every value is
 * finite. Weights that only nearly fit (a renamed layer, a transposed matrix of the same size) are
 * refused, never patched with fresh values, so a prediction never mixes trained and random
 * weights while claiming they came from the file. Pure: no I/O.
 */
import type { WeightMap } from './safetensors';

/** One way saved weights fail to fit a design. */
export type WeightsProblem =
  | { kind: 'missing'; tensor: string; expected: number[] }
  | { kind: 'shape'; tensor: string; expected: number[]; found: number[] }
  | { kind: 'extra'; tensor: string; found: number[] }
  | { kind: 'nonFinite'; tensor: string; index: number; value: number };

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Every problem of `given` against the shapes the design needs (`expected`: tensor name → shape),
 * in the design's order, then tensors the design does not have. Empty when the weights fit.
 */
export function weightsProblems(expected: ReadonlyMap<string, readonly number[]>, given: WeightMap): WeightsProblem[] {
  const out: WeightsProblem[] = [];
  for (const [tensor, shape] of expected) {
    const t = given.get(tensor);
    if (!t) {
      out.push({ kind: 'missing', tensor, expected: [...shape] });
      continue;
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (!sameShape(t.shape, shape) || count !== t.data.length) {
      out.push({ kind: 'shape', tensor, expected: [...shape], found: [...t.shape] });
      continue;
    }
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) {
        out.push({ kind: 'nonFinite', tensor, index: i, value: t.data[i] });
        break;
      }
    }
  }
  for (const [tensor, t] of given) if (!expected.has(tensor)) out.push({ kind: 'extra', tensor, found: [...t.shape] });
  return out;
}

/** One problem in words: the tensor, and what the design expects against what the file holds. */
export function describeWeightsProblem(p: WeightsProblem): string {
  switch (p.kind) {
    case 'missing':
      return `tensor '${p.tensor}' is missing (the design expects shape ${shapeText(p.expected)}, the file has no such tensor)`;
    case 'shape':
      return `tensor '${p.tensor}' has the wrong shape (the design expects ${shapeText(p.expected)}, the file has ${shapeText(p.found)})`;
    case 'extra':
      return `tensor '${p.tensor}' ${shapeText(p.found)} in the file belongs to no layer of the design (the design expects no such tensor)`;
    case 'nonFinite':
      return `tensor '${p.tensor}' holds ${String(p.value)} at index ${p.index} (weights must be finite numbers)`;
  }
}

/** Saved weights that do not fit the design, with every problem named (at most `limit` listed). */
export class WeightsMismatchError extends Error {
  constructor(readonly problems: WeightsProblem[], limit = 4) {
    const listed = problems.slice(0, limit).map(describeWeightsProblem);
    const more = problems.length > limit ? `; and ${problems.length - limit} more` : '';
    const broken = problems.some((p) => p.kind === 'nonFinite');
    const what = broken && problems.every((p) => p.kind === 'nonFinite')
      ? 'the saved weights are not usable'
      : 'the saved weights do not fit the design (it changed since they were trained)';
    super(`${what}: ${listed.join('; ')}${more}. Train again to write weights that fit, or undo the change to the design.`);
    this.name = 'WeightsMismatchError';
  }
}

/** Throws WeightsMismatchError unless `given` fits `expected` exactly. */
export function assertWeightsFit(expected: ReadonlyMap<string, readonly number[]>, given: WeightMap): void {
  const problems = weightsProblems(expected, given);
  if (problems.length > 0) throw new WeightsMismatchError(problems);
}
