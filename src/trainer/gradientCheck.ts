/**
 * Check Gradients: the engine's analytic ∂output/∂parameter (autograd on the CPU backend) beside
 * central differences of an independent float64 forward pass, summed over a few data rows, with
 * one relative error per parameter tensor.
 */
import { gradients, isTrainedParam, type CompiledNetwork } from '../engine';
import type { GradientCheckResult, GradientCheckRow } from '../protocol';
import { forward64 } from './forward64';

/** Elements checked per tensor at most (spread evenly), so big layers stay quick. */
const MAX_ELEMENTS = 64;
/** Central-difference step; float64 makes a small one safe. */
const H = 1e-6;

/** Compares analytic and numerical gradients of the single output over `rows` (count × input width). */
export async function checkGradients(net: CompiledNetwork, rows: Float32Array, count: number, file: string): Promise<GradientCheckResult> {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  const analytic = new Map<string, Float64Array>();
  for (const [key, w] of net.weights) analytic.set(key, new Float64Array(w.data.length));
  for (let r = 0; r < count; r++) {
    const g = await gradients(net, rows.subarray(r * width, (r + 1) * width));
    for (const [key, t] of g.params) {
      const acc = analytic.get(key) as Float64Array;
      for (let i = 0; i < t.data.length; i++) acc[i] += t.data[i];
    }
  }
  const w64 = new Map<string, Float64Array>();
  for (const [key, w] of net.weights) w64.set(key, Float64Array.from(w.data));
  const inputs = Array.from({ length: count }, (_, r) => Float64Array.from(rows.subarray(r * width, (r + 1) * width)));
  const total = (): number => inputs.reduce((s, x) => s + forward64(net, x, w64)[0], 0);
  const result: GradientCheckRow[] = [];
  for (const [key, a] of analytic) {
    // Batch norm's moving statistics are not trained (no gradient is computed for them).
    if (!isTrainedParam(key)) continue;
    const w = w64.get(key) as Float64Array;
    const stride = Math.max(1, Math.ceil(w.length / MAX_ELEMENTS));
    let diff = 0, na = 0, nn = 0, checked = 0;
    const samples: GradientCheckRow['samples'] = [];
    for (let i = 0; i < w.length; i += stride) {
      const keep = w[i];
      w[i] = keep + H;
      const up = total();
      w[i] = keep - H;
      const down = total();
      w[i] = keep;
      const numeric = (up - down) / (2 * H);
      diff += (a[i] - numeric) ** 2;
      na += a[i] ** 2;
      nn += numeric ** 2;
      checked++;
      if (samples.length < 6) samples.push({ index: i, analytic: a[i], numeric });
    }
    const an = Math.sqrt(na), nu = Math.sqrt(nn);
    result.push({ tensor: key, checked, analyticNorm: an, numericNorm: nu, relativeError: Math.sqrt(diff) / Math.max(an + nu, 1e-12), samples });
  }
  return { file, what: `∂output/∂parameter summed over ${count} row(s): engine autograd (float32) vs central differences of a float64 forward pass`, rows: result };
}
