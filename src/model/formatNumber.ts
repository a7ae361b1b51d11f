/**
 * The host side's one number format (the CLI's output, the status bar, progress notifications):
 * four significant digits, as the lectures print them, without trailing zeros ("0.25", not
 * "0.2500"); large and tiny values keep JavaScript's exponent form ("1.235e+21"). NaN and the
 * infinities print as themselves, so a diverging run reads "loss NaN".
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}
