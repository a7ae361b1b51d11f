/**
 * A small seeded PRNG (mulberry32) so initialisation, shuffling and data are reproducible per
 * seed on every machine; Math.random is never used by the engine.
 */

/** A seeded source of uniform numbers in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that small consecutive seeds (1, 2, 3) start far apart.
    this.state = (Math.imul((seed | 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0) || 0x6d2b79f5;
  }

  /** The next uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal draw (Box–Muller; the second value is discarded to keep state simple). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher–Yates). */
  shuffle(a: Uint32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
