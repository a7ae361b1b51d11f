/**
 * Groups in the drawing (docs/format.md, "Groups"): which drawn node stands for each node, and
 * the view with every collapsed group replaced by one box — its label, the shapes flowing in and
 * out, its parameter total — with edges to and from members redirected to the box and edges
 * inside it left out. Pure. A group the model warns about is drawn as far as it makes sense:
 * unknown members are skipped, a node listed by two groups belongs to the first, and a group
 * whose id is taken (by a node or an earlier group) is not drawn.
 */
import type { NetworkDoc, NetworkNode } from '../../src/model/types';
import type { DocumentSnapshot } from '../../src/protocol';
import { own } from '../../src/model/ownKeys';
import { LINE, shapeText, type TextMeasurer, type ViewEdge, type ViewNode } from './viewModel';
import { cycleEdgeKeys } from './cycleEdges';
import type { GroupBox } from './groupBox';

export type { GroupBox } from './groupBox';

/** A group as drawn: its members that exist, in file order of the group's list. */
export interface DrawnGroup {
  id: string;
  label: string;
  members: string[];
  collapsed: boolean;
}

/** The groups of a document as they can be drawn, and the group of each member. */
export class GroupIndex {
  readonly groups: DrawnGroup[] = [];
  private readonly byId = new Map<string, DrawnGroup>();
  private readonly ofNode = new Map<string, DrawnGroup>();

  constructor(doc: NetworkDoc | undefined) {
    if (!doc?.groups?.length) return;
    const nodes = new Set(doc.nodes.map((n) => n.id));
    for (const g of doc.groups) {
      if (this.byId.has(g.id) || nodes.has(g.id)) continue;
      const members = [...new Set(g.nodes)].filter((id) => nodes.has(id) && !this.ofNode.has(id));
      if (!members.length) continue;
      const drawn: DrawnGroup = { id: g.id, label: g.label?.trim() ? g.label : g.id, members, collapsed: g.collapsed === true };
      this.groups.push(drawn);
      this.byId.set(g.id, drawn);
      for (const m of members) this.ofNode.set(m, drawn);
    }
  }

  /** The group with this id, when drawn. */
  group(id: string): DrawnGroup | undefined {
    return this.byId.get(id);
  }

  /** The group node `id` belongs to. */
  groupOf(id: string): DrawnGroup | undefined {
    return this.ofNode.get(id);
  }

  /** The drawn id standing for node `id`: its collapsed group's box, else itself. */
  shownAs(id: string): string {
    const g = this.ofNode.get(id);
    return g?.collapsed ? g.id : id;
  }

  /** Node ids behind drawn ids: a collapsed box's members, a node itself. */
  nodesOf(ids: readonly string[]): string[] {
    return ids.flatMap((id) => (this.byId.get(id)?.collapsed ? (this.byId.get(id) as DrawnGroup).members : [id]));
  }

  /** Whether `id` is a collapsed group's box. */
  isBox(id: string): boolean {
    return this.byId.get(id)?.collapsed === true;
  }

  /** Ids drawn now: nodes outside collapsed groups, and the boxes. */
  visible(doc: NetworkDoc): Set<string> {
    const out = new Set<string>();
    for (const n of doc.nodes) out.add(this.shownAs(n.id));
    return out;
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** What flows into and out of a group, and its parameter total (the box and the inspector show them). */
export function groupSummary(g: Pick<DrawnGroup, 'members'>, doc: NetworkDoc, snap: DocumentSnapshot): GroupBox {
  const inside = new Set(g.members);
  const shape = (id: string): string => shapeText(own(snap.nodes, id)?.shape);
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const entering = doc.edges.filter((e) => inside.has(e.to) && !inside.has(e.from) && byId.has(e.from));
  const leaving = doc.edges.filter((e) => inside.has(e.from) && !inside.has(e.to) && byId.has(e.to));
  const sinks = g.members.filter((id) => !doc.edges.some((e) => e.from === id && byId.has(e.to)));
  const ownInputs = g.members.filter((id) => byId.get(id)?.type === 'input');
  const inputs = unique([...entering.map((e) => shape(e.from)), ...ownInputs.map(shape)]);
  const outputs = unique([...leaving.map((e) => e.from), ...sinks].map(shape));
  const params = g.members.reduce((sum, id) => sum + (own(snap.nodes, id)?.params ?? 0), 0);
  return { members: g.members, inputs, outputs, params };
}

/** The box of one collapsed group. */
function boxOf(g: DrawnGroup, doc: NetworkDoc, snap: DocumentSnapshot, measure: TextMeasurer, em: number, diagnostics: ViewNode['diagnostics']): ViewNode {
  const box = groupSummary(g, doc, snap);
  const { inputs, outputs, params } = box;
  const title = g.label;
  const subtitle = `${inputs.join(', ') || '[?]'} → ${outputs.join(', ') || '[?]'}`;
  const footer = `${plural(g.members.length, 'layer')} · ${plural(params, 'param')}`;
  const textWidth = Math.max(measure(title, true) + em * 2.6, measure(subtitle, false), measure(footer, false));
  const width = Math.ceil((textWidth + 3 * em) / (2 * em)) * 2 * em;
  const height = 3 * LINE * em + em;
  const names = g.members.length > 8 ? `${g.members.slice(0, 8).join(', ')} and ${g.members.length - 8} more` : g.members.join(', ');
  const ariaLabel = `Group ${g.label}, collapsed: ${plural(g.members.length, 'layer')} (${names}), input ${inputs.join(', ') || 'unknown'}, output ${outputs.join(', ') || 'unknown'}, ${plural(params, 'parameter')}${diagnostics.length ? `, ${plural(diagnostics.length, 'problem')}` : ''}. Enter expands it.`;
  // A box stands for several nodes: `node` is a placeholder (never edited), `group` says what it holds.
  const node = { id: g.id, type: 'concat', label: g.label } as NetworkNode;
  return {
    id: g.id, node, info: { params }, title, subtitle, footer, group: box,
    hover: `Group ${g.label}: ${names}\nIn ${inputs.join(', ') || '?'} → out ${outputs.join(', ') || '?'}\n${plural(params, 'parameter')}\nDouble-click or Enter to expand`,
    neurons: 0, width, height, diagnostics, ariaLabel,
  };
}

/**
 * The view with every collapsed group drawn as one box (in place of its first member, so the
 * drawing order stays the file's) and edges redirected to it; unchanged when nothing is collapsed.
 */
export function collapseGroups(view: { nodes: ViewNode[]; edges: ViewEdge[] }, index: GroupIndex, snap: DocumentSnapshot, measure: TextMeasurer, em: number): { nodes: ViewNode[]; edges: ViewEdge[] } {
  const doc = snap.doc;
  if (!doc || !index.groups.some((g) => g.collapsed)) return view;
  const nodes: ViewNode[] = [];
  const placed = new Set<string>();
  const problems = new Map<string, ViewNode['diagnostics']>();
  for (const v of view.nodes) {
    const g = index.groupOf(v.id);
    if (g?.collapsed) problems.set(g.id, [...(problems.get(g.id) ?? []), ...v.diagnostics]);
  }
  for (const v of view.nodes) {
    const shown = index.shownAs(v.id);
    if (shown === v.id) nodes.push(v);
    else if (!placed.has(shown)) {
      placed.add(shown);
      nodes.push(boxOf(index.group(shown) as DrawnGroup, doc, snap, measure, em, problems.get(shown) ?? []));
    }
  }
  const edges: ViewEdge[] = [];
  const seen = new Set<string>();
  for (const e of view.edges) {
    const from = index.shownAs(e.from);
    const to = index.shownAs(e.to);
    if (from === to && from !== e.from) continue; // inside one box
    const key = `${from}->${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(from === e.from && to === e.to ? e : { ...e, key, from, to, cycle: undefined });
  }
  const onCycle = cycleEdgeKeys(edges);
  for (const e of edges) if (e.cycle === undefined && onCycle.has(e.key)) e.cycle = true;
  return { nodes, edges };
}
