/**
 * Copy and paste of a selection: the nodes and the edges among them, with fresh ids on paste so
 * they never collide with the network's (h1 → h1_copy, h1_copy2, …).
 */
import type { Edge, NetworkDoc, NetworkNode } from '../../src/model/types';

/** What a copy carries. */
export interface ClipboardContent {
  kind: 'neural-canvas/nodes';
  nodes: NetworkNode[];
  edges: Edge[];
}

/** The selected nodes and the edges between them. */
export function copySelection(doc: NetworkDoc, selected: ReadonlySet<string>): ClipboardContent | undefined {
  const nodes = doc.nodes.filter((n) => selected.has(n.id));
  if (nodes.length === 0) return undefined;
  const edges = doc.edges.filter((e) => selected.has(e.from) && selected.has(e.to));
  return { kind: 'neural-canvas/nodes', nodes: structuredClone(nodes), edges: structuredClone(edges) };
}

/** An id based on `base` that is not in `taken` (and adds it). */
export function freshId(base: string, taken: Set<string>): string {
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}${i}`;
  taken.add(id);
  return id;
}

/** The clipboard's nodes renamed so none collides with `doc`'s ids; edges follow. */
export function preparePaste(doc: NetworkDoc, content: ClipboardContent): { nodes: NetworkNode[]; edges: Edge[] } {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = content.nodes.map((n) => {
    const id = freshId(taken.has(n.id) ? `${n.id.replace(/_copy\d*$/, '')}_copy` : n.id, taken);
    rename.set(n.id, id);
    return { ...n, id } as NetworkNode;
  });
  const edges = content.edges.map((e) => ({ from: rename.get(e.from) ?? e.from, to: rename.get(e.to) ?? e.to }));
  return { nodes, edges };
}

/** Parses text from the system clipboard when it is a Neural Canvas copy. */
export function parseClipboard(text: string): ClipboardContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<ClipboardContent>;
    if (v && v.kind === 'neural-canvas/nodes' && Array.isArray(v.nodes) && Array.isArray(v.edges)) return v as ClipboardContent;
  } catch {
    // Not ours: ignore.
  }
  return undefined;
}
