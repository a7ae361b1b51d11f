/** Builders for small .nn texts used across the model tests. */
import type { Diagnostic } from '../../../src/model';

/** A valid 2-3-1 network text (the interview shape, no inline weights) with optional extras merged in. */
export function netText(extra: Record<string, unknown> = {}, nodes?: unknown[], edges?: unknown[]): string {
  return JSON.stringify({
    format: 'nn/1',
    nodes: nodes ?? [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3, activation: 'relu' },
      { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    edges: edges ?? [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
    ...extra,
  }, null, 2);
}

/** The codes of a diagnostic list, for compact assertions. */
export function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: Diagnostic): string {
  return text.slice(d.range.offset, d.range.offset + d.range.length);
}
