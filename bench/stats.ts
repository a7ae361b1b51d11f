/**
 * Pure helpers of the bench's rounds: the interleaved order the contenders run in, and the median
 * and spread of a figure over the rounds.
 */

/** Median of the values (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Smallest and largest value; NaN for both when there are none. */
export function spread(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) return { min: NaN, max: NaN };
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** One slot of the schedule: which round, and which contender runs in it. */
export interface Slot<T> {
  round: number;
  contender: T;
}

/**
 * The order in which `rounds` rounds of the contenders run: every round runs each contender once,
 * so ours and each peer alternate (A/B/A/B) instead of one running all its rounds first; every
 * other round runs in reverse order (A B, B A, A B …), so neither always goes first after
 * another's load.
 */
export function interleave<T>(contenders: readonly T[], rounds: number): Slot<T>[] {
  const slots: Slot<T>[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) slots.push({ round, contender });
  }
  return slots;
}

/**
 * Per-round ratios a[i] / b[i] of two figures measured in the same rounds (paired, so a load
 * spike that slows both cancels out); rounds where either figure is missing or zero are skipped.
 */
export function pairedRatios(a: readonly (number | undefined)[], b: readonly (number | undefined)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && y > 0) out.push(x / y);
  }
  return out;
}

/** The bench's round count: NN_BENCH_ROUNDS when set (1–20), else 2 in quick mode and 3 otherwise. */
export function roundsFrom(env: Record<string, string | undefined>): number {
  const raw = env.NN_BENCH_ROUNDS;
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`NN_BENCH_ROUNDS=${raw}: give a whole number of rounds from 1 to 20 (default 3).`);
    return n;
  }
  return quickMode(env) ? 2 : 3;
}

/** Quick mode (NN_BENCH_QUICK=1): fewer rounds and a short time box per figure, for a fast look. */
export function quickMode(env: Record<string, string | undefined>): boolean {
  const v = env.NN_BENCH_QUICK;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
