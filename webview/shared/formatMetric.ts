/**
 * The webviews' one number format for losses, metrics and norms (the training view and the
 * gradients panel both print with it): 4 significant digits, the exponent form below 1e-3 and
 * from 1e5, and an em dash when there is no finite value to show.
 */
export function formatMetric(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : v.toPrecision(4);
}
