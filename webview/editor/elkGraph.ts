/**
 * The graph ELK lays out, and the places read back from its answer. An expanded group (two or
 * more members drawn) becomes a compound node holding its members, laid out with the rest in one
 * pass (hierarchy handling INCLUDE_CHILDREN), so the members stay together and the frame drawn
 * round them (groupDrawing.ts) encloses exactly them: the compound node's padding is the frame's
 * margin and header, and ELK keeps other nodes its node spacing away. Pure (no DOM, no worker).
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { PlacedBox } from './wrapRows';

/** A group whose members are laid out together (ids of drawn nodes). */
export interface LayoutGroup {
  id: string;
  members: readonly string[];
}

/** Space inside a group's frame around its members, px: `top` holds the header (label and button). */
export interface GroupPadding {
  top: number;
  side: number;
}

/** Margin of a group's frame around its members and the height of its header, in em (groupDrawing.ts draws them). */
export const FRAME_PAD_EM = 0.8;
export const FRAME_HEAD_EM = 2;

/** The padding of a group's compound node at font size `em`: the frame's margin and header, and a little air. */
export function groupPadding(em: number): GroupPadding {
  return { top: Math.ceil(em * (FRAME_PAD_EM + FRAME_HEAD_EM)) + 4, side: Math.ceil(em * FRAME_PAD_EM) + 4 };
}

/** Ids of compound nodes start with a character no node id has (node ids are checked words). */
const GROUP_PREFIX = '\u0000group:';

/** The groups worth a compound node: two or more members among `ids`, each node in one group at most. */
function usableGroups(groups: readonly LayoutGroup[] | undefined, ids: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const g of groups ?? []) {
    const members = [...new Set(g.members)].filter((id) => ids.has(id) && !taken.has(id));
    if (members.length < 2 || out.has(g.id)) continue;
    for (const m of members) taken.add(m);
    out.set(g.id, members);
  }
  return out;
}

/**
 * The ELK graph for node boxes and edges, `layoutOptions` on the root; with groups, each group a
 * compound node (its edges inside it, the others at the root) and the root handling the whole
 * hierarchy in one layout.
 */
export function elkGraph(
  nodes: readonly { id: string; width: number; height: number }[],
  edges: readonly { from: string; to: string }[],
  layoutOptions: Record<string, string>,
  groups?: readonly LayoutGroup[],
  padding: GroupPadding = { top: 36, side: 14 },
): ElkNode {
  const ids = new Set(nodes.map((n) => n.id));
  const usable = usableGroups(groups, ids);
  const kept = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  const elkEdge = (e: { from: string; to: string }, i: number): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] });
  if (!usable.size) {
    return { id: 'root', layoutOptions, children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })), edges: kept.map(elkEdge) };
  }
  const groupOf = new Map<string, string>();
  for (const [g, members] of usable) for (const m of members) groupOf.set(m, g);
  const compound = new Map<string, ElkNode>();
  // The model order is considered at the root only: on a compound node ELK (0.12) fails with it.
  const { 'elk.padding': _padding, 'elk.layered.considerModelOrder.strategy': _order, ...inherited } = layoutOptions;
  for (const g of usable.keys()) {
    compound.set(g, {
      id: GROUP_PREFIX + g,
      layoutOptions: { ...inherited, 'elk.padding': `[top=${padding.top},left=${padding.side},bottom=${padding.side},right=${padding.side}]` },
      children: [],
      edges: [],
    });
  }
  // Nodes keep the file's order (ELK considers it); a group takes the place of its first member.
  const children: ElkNode[] = [];
  for (const n of nodes) {
    const g = groupOf.get(n.id);
    const box = { id: n.id, width: n.width, height: n.height };
    if (g === undefined) { children.push(box); continue; }
    const parent = compound.get(g) as ElkNode;
    if (!parent.children?.length) children.push(parent);
    parent.children?.push(box);
  }
  // Each edge lives in the lowest node holding both its ends.
  const rootEdges: ElkExtendedEdge[] = [];
  kept.forEach((e, i) => {
    const g = groupOf.get(e.from);
    if (g !== undefined && g === groupOf.get(e.to)) compound.get(g)?.edges?.push(elkEdge(e, i));
    else rootEdges.push(elkEdge(e, i));
  });
  return { id: 'root', layoutOptions: { ...layoutOptions, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' }, children, edges: rootEdges };
}

/** Every node's box in ELK's answer, at absolute places (a compound node's children are relative to it); the compound nodes themselves left out. */
export function placedBoxes(out: ElkNode): PlacedBox[] {
  const placed: PlacedBox[] = [];
  const walk = (parent: ElkNode, ox: number, oy: number): void => {
    for (const c of parent.children ?? []) {
      const x = ox + (c.x ?? 0), y = oy + (c.y ?? 0);
      if (c.id.startsWith(GROUP_PREFIX)) walk(c, x, y);
      else placed.push({ id: c.id, x, y, width: c.width ?? 0, height: c.height ?? 0 });
    }
  };
  walk(out, 0, 0);
  return placed;
}
