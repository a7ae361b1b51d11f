/**
 * proposeGroups: groups that make a large design without groups readable — its chains (layers
 * that each feed only the next, and are fed only by the one before), a long chain cut into
 * blocks at the period its layer types repeat with (conv, batchnorm, relu, conv, batchnorm, relu…).
 * The network's inputs and outputs stay outside, so the drawing still starts and ends with them.
 * Pure; the editor offers the result, and writes it only when the user accepts (groupChains).
 */
import type { NetworkDoc } from './types';
import { indexGraph } from './graph';

/** A design with fewer nodes than this is drawn as it is (no offer). */
export const PROPOSE_MIN_NODES = 100;

/** The most layers one proposed block holds. */
const MAX_BLOCK = 12;

/** The shortest chain worth a box. */
const MIN_CHAIN = 3;

/** One proposed group: its members in data-flow order and a label naming its ends. */
export interface ProposedGroup {
  nodes: string[];
  label: string;
}

/** The smallest period (2 … 6) with which `types` repeats, but for a few layers at its end, if any. */
function period(types: readonly string[]): number | undefined {
  for (let p = 2; p <= 6 && p * 2 <= types.length; p++) {
    let misses = 0;
    for (let i = p; i < types.length; i++) if (types[i] !== types[i - p]) misses++;
    if (misses <= 2) return p;
  }
  return undefined;
}

/** Cuts a long chain into blocks: whole periods when its types repeat, else even pieces of at most MAX_BLOCK. */
function blocks(chain: string[], typeOf: (id: string) => string): string[][] {
  if (chain.length <= MAX_BLOCK) return [chain];
  const p = period(chain.map(typeOf));
  const size = p ? p * Math.max(1, Math.floor(MAX_BLOCK / p)) : Math.ceil(chain.length / Math.ceil(chain.length / MAX_BLOCK));
  const out: string[][] = [];
  for (let i = 0; i < chain.length; i += size) out.push(chain.slice(i, i + size));
  // A short tail joins the block before it rather than standing alone.
  if (out.length > 1 && out[out.length - 1].length < MIN_CHAIN) {
    const tail = out.pop() as string[];
    out[out.length - 1].push(...tail);
  }
  return out;
}

/**
 * The groups proposed for `doc`: empty when it already has groups, has fewer than
 * PROPOSE_MIN_NODES nodes, or has no chain of MIN_CHAIN layers.
 */
export function proposeGroups(doc: NetworkDoc): ProposedGroup[] {
  if (doc.groups?.length || doc.nodes.length < PROPOSE_MIN_NODES) return [];
  const g = indexGraph(doc);
  const typeOf = new Map(doc.nodes.map((n) => [n.id, n.type] as const));
  const inner = (id: string): boolean => typeOf.get(id) !== 'input' && (g.outputsOf.get(id) ?? []).length > 0;
  // u → v continues a chain when u feeds only v and v is fed only by u.
  const next = (id: string): string | undefined => {
    const outs = g.outputsOf.get(id) ?? [];
    return outs.length === 1 && (g.inputsOf.get(outs[0]) ?? []).length === 1 && inner(outs[0]) ? outs[0] : undefined;
  };
  const continues = new Set<string>();
  for (const n of doc.nodes) if (inner(n.id)) { const v = next(n.id); if (v) continues.add(v); }
  const out: ProposedGroup[] = [];
  const used = new Set<string>();
  for (const n of doc.nodes) {
    if (!inner(n.id) || continues.has(n.id) || used.has(n.id)) continue;
    const chain = [n.id];
    used.add(n.id);
    for (let v = next(n.id); v !== undefined && !used.has(v); v = next(v)) {
      chain.push(v);
      used.add(v);
    }
    if (chain.length < MIN_CHAIN) continue;
    for (const b of blocks(chain, (id) => typeOf.get(id) ?? '')) {
      out.push({ nodes: b, label: b.length === 1 ? b[0] : `${b[0]} … ${b[b.length - 1]}` });
    }
  }
  return out;
}
