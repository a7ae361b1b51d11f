/** Host-side validation of messages from the gradients panel (a webview is not trusted input). Pure. */
import type { FromPanel } from '../../protocol';
import { isNodeId } from '../../model/fieldRules';

/** Accepts only well-formed FromPanel messages (a webview is not trusted input). */
export function validateFromPanel(raw: unknown): FromPanel | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'checkGradients':
      return { type: m.type };
    case 'select':
      return isNodeId(m.id) ? { type: 'select', id: m.id } : undefined;
    case 'rendered': {
      const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 1000 && v.every((s) => typeof s === 'string' && s.length < 500);
      if (!strings(m.layers) || !strings(m.warnings) || typeof m.points !== 'number' || typeof m.checkRows !== 'number') return undefined;
      return { type: 'rendered', layers: m.layers, warnings: m.warnings, points: m.points, checkRows: m.checkRows };
    }
    default:
      return undefined;
  }
}
