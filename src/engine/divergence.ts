/**
 * When a run has diverged: a step's loss that is NaN/Inf, or that exploded to more than
 * LOSS_EXPLOSION_FACTOR times the run's first step loss (and above LOSS_EXPLOSION_FLOOR, so a
 * tiny first loss — a run continuing from trained weights — does not make ordinary noise count).
 * The training loop and Step both ask it after every step. Pure.
 */

/** A step loss this many times the first step's loss means the run diverged. */
export const LOSS_EXPLOSION_FACTOR = 1e4;

/**
 * ... provided it is also above this: a small floor, yet well above the loss of guessing (0.69 for
 * binary cross-entropy, ln K for K classes) and of any sane standardised regression.
 */
export const LOSS_EXPLOSION_FLOOR = 10;

/** Why a step counts as divergence. */
export type DivergenceKind = 'nonFinite' | 'exploded';

/** Watches the step losses of one run. */
export class DivergenceWatch {
  private firstLoss?: number;

  /** The first step's loss, once seen. */
  get first(): number | undefined {
    return this.firstLoss;
  }

  /** Looks at one step's loss; returns why it means divergence, or undefined. */
  check(loss: number): DivergenceKind | undefined {
    if (!Number.isFinite(loss)) return 'nonFinite';
    if (this.firstLoss === undefined) {
      this.firstLoss = loss;
      return undefined;
    }
    return loss > LOSS_EXPLOSION_FLOOR && loss > LOSS_EXPLOSION_FACTOR * this.firstLoss ? 'exploded' : undefined;
  }
}

/** A loss for a message: 3 significant digits, exponent notation when large or small. */
export function lossText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** The sentence for an exploded loss (the caller prefixes where it happened). */
export function explodedText(loss: number, first: number): string {
  return `loss ${lossText(loss)} is more than ${LOSS_EXPLOSION_FACTOR.toExponential(0).replace('e+', 'e')} times the first step's loss (${lossText(first)})`;
}
