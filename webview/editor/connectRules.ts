/**
 * Whether an edge may be drawn, checked in the view so a refused drag explains itself at once
 * (the host's model edit is still the final word).
 */
import type { NetworkDoc } from '../../src/model/types';

/** Node types that take exactly one input. */
const SINGLE_INPUT = new Set(['dense', 'activation', 'dropout']);

/** Why `from → to` cannot be added, or undefined when it can. */
export function connectionRefusal(doc: NetworkDoc, from: string, to: string): string | undefined {
  const target = doc.nodes.find((n) => n.id === to);
  if (!doc.nodes.some((n) => n.id === from) || !target) return 'Both ends must be nodes of this network.';
  if (from === to) return `${from} cannot feed itself.`;
  if (target.type === 'input') return `${to} is an input: it takes data, not the output of another node.`;
  if (doc.edges.some((e) => e.from === from && e.to === to)) return `${from} already feeds ${to}.`;
  if (SINGLE_INPUT.has(target.type)) {
    const existing = doc.edges.find((e) => e.to === to);
    if (existing) return `${to} (${target.type}) takes one input and already has ${existing.from}; remove that edge first, or add a concat node.`;
  }
  // A path to → … → from would close a cycle.
  const next = new Map<string, string[]>();
  for (const e of doc.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const stack = [to];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === from) return `${from} → ${to} would make a cycle: ${to} already leads to ${from}.`;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return undefined;
}
