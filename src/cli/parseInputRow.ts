/** `--input` values (`nn predict`, `nn grad`) turned into one row of the network's inputs. */
import type { CompiledNetwork } from '../engine';
import { CliFailure } from './cliFailure';

/**
 * Parses `--input 2.3,10.2` (every feature, in input-node order) or repeated
 * `--input x=-2 --input y=5` (per input node) into one row.
 */
export function parseInputRow(values: string[], net: CompiledNetwork): Float32Array {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  if (values.length === 0) throw new CliFailure(`nn: give the input with --input, e.g. --input ${Array.from({ length: width }, (_, i) => i + 1).join(',')}`, 2);
  const nums = (s: string, what: string): number[] => s.split(',').map((t) => {
    const v = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(v)) throw new CliFailure(`nn: ${what}: '${t}' is not a number.`, 2);
    return v;
  });
  if (values.every((v) => !v.includes('='))) {
    const all = values.flatMap((v) => nums(v, '--input'));
    if (all.length !== width) throw new CliFailure(`nn: --input has ${all.length} value(s); the network takes ${width} (${describeInputs(net)}).`, 2);
    return Float32Array.from(all);
  }
  const row = new Float32Array(width);
  const seen = new Set<string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new CliFailure(`nn: mix of plain and named --input values; name every one (id=value).`, 2);
    const id = v.slice(0, eq).trim();
    const idx = net.inputIds.indexOf(id);
    if (idx < 0) throw new CliFailure(`nn: --input ${v}: no input node '${id}'; the inputs are ${describeInputs(net)}.`, 2);
    const vals = nums(v.slice(eq + 1), `--input ${id}`);
    if (vals.length !== net.inputSizes[idx]) throw new CliFailure(`nn: --input ${id} has ${vals.length} value(s); '${id}' takes ${net.inputSizes[idx]}.`, 2);
    const off = net.inputSizes.slice(0, idx).reduce((a, b) => a + b, 0);
    row.set(vals, off);
    seen.add(id);
  }
  const missing = net.inputIds.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new CliFailure(`nn: no --input for ${missing.join(', ')}.`, 2);
  return row;
}

function describeInputs(net: CompiledNetwork): string {
  return net.inputIds.map((id, i) => `${id}: ${net.inputSizes[i]}`).join(', ');
}
