/**
 * The editor's side of groups: which drawn boxes stand for which nodes (GroupIndex), the frames
 * of expanded groups, and the group commands — group the selection (Ctrl+G), ungroup
 * (Ctrl+Shift+G), collapse or expand (a double-click, Enter or the box's button) — each sent as
 * one intent, so the host writes one small edit and Ctrl+Z undoes it.
 */
import type { NetworkDoc } from '../../src/model/types';
import type { DocumentSnapshot, IntentBody } from '../../src/protocol';
import type { GraphRenderer } from './graphRenderer';
import { PROPOSE_MIN_NODES, proposeGroups } from '../../src/model/proposeGroups';
import { custom, h } from './dom';
import { GroupFrames } from './groupDrawing';
import type { LayoutGroup } from './elkGraph';
import { collapseGroups, GroupIndex } from './groupView';
import type { SelectionModel } from './selection';
import type { TextMeasurer, ViewEdge, ViewNode } from './viewModel';

/** What the interactions use of groups. */
export interface GroupCommands {
  /** Whether `id` is a collapsed group's box. */
  isBox(id: string): boolean;
  /** The drawn id standing for node `id` (its collapsed group's box, else itself). */
  shownAs(id: string): string;
  /** Node ids behind drawn ids (a box's members). */
  nodesOf(ids: readonly string[]): string[];
  /** The edges as drawn: ends inside a collapsed group meet its box. */
  edges(edges: readonly { from: string; to: string }[]): { from: string; to: string }[];
  toggle(id: string): void;
  group(): void;
  ungroup(): void;
}

/** Groups in the editor: one per editor. */
export class GroupController implements GroupCommands {
  private index = new GroupIndex(undefined);
  private readonly frames: GroupFrames;
  /** The offer to group a large design's chains (shown until accepted or dismissed). */
  private offer?: HTMLElement;
  private offerDismissed = false;
  /** The last proposal and the graph it was made for: an edit that keeps the structure reuses it. */
  private proposal?: { key: string; groups: ReturnType<typeof proposeGroups> };

  constructor(
    private readonly renderer: Pick<GraphRenderer, 'svg' | 'viewport' | 'positions' | 'view' | 'onEdgesDrawn'>,
    private readonly selection: SelectionModel,
    private readonly send: (intent: IntentBody) => unknown,
    private readonly notice: (message: string, level: 'info' | 'error') => void,
  ) {
    this.frames = new GroupFrames(renderer);
    renderer.onEdgesDrawn = () => this.frames.place();
  }

  /** Reads the groups of a new version; returns the ids drawn (the selection keeps only those). */
  refresh(doc: NetworkDoc): Set<string> {
    this.index = new GroupIndex(doc);
    this.showOffer(doc);
    return this.index.visible(doc);
  }

  /**
   * A large design without groups: offers to group its chains (proposeGroups) above the graph.
   * Nothing is written unless the user accepts; "Not now" hides the offer for this editor.
   */
  private showOffer(doc: NetworkDoc): void {
    const proposed = this.offerDismissed ? [] : this.propose(doc);
    if (!proposed.length) {
      this.offer?.remove();
      this.offer = undefined;
      return;
    }
    const members = proposed.reduce((n, p) => n + p.nodes.length, 0);
    const text = `This design has ${doc.nodes.length.toLocaleString('en-US')} nodes. Group its chains of layers into ${proposed.length} collapsible box${proposed.length === 1 ? '' : 'es'} (${members.toLocaleString('en-US')} layers), so it reads at a glance? Nothing changes unless you accept; Ctrl+Z undoes it.`;
    if (!this.offer) {
      const accept = custom('vscode-button', { 'data-action': 'group-chains' }, 'Group chains');
      accept.addEventListener('click', () => {
        this.send({ type: 'groupChains' });
        this.offer?.remove();
        this.offer = undefined;
      });
      const dismiss = custom('vscode-button', { appearance: 'secondary', 'data-action': 'dismiss-group-offer' }, 'Not now');
      dismiss.addEventListener('click', () => {
        this.offerDismissed = true;
        this.offer?.remove();
        this.offer = undefined;
      });
      this.offer = h('div', { class: 'group-offer', role: 'region', 'aria-label': 'Suggestion: group chains', 'data-testid': 'group-offer' },
        h('p', {}), h('div', { class: 'buttons' }, accept, dismiss));
      this.renderer.svg.parentElement?.append(this.offer);
    }
    const p = this.offer.querySelector('p');
    if (p && p.textContent !== text) p.textContent = text;
  }

  /** proposeGroups(doc), computed again only when the nodes' ids or types, the edges or the groups changed. */
  private propose(doc: NetworkDoc): ReturnType<typeof proposeGroups> {
    if (doc.groups?.length || doc.nodes.length < PROPOSE_MIN_NODES) return [];
    let key = '';
    for (const n of doc.nodes) key += `\u0000${n.id}\u0001${n.type}`;
    key += '\u0002';
    for (const e of doc.edges) key += `\u0000${e.from}\u0001${e.to}`;
    if (this.proposal?.key !== key) this.proposal = { key, groups: proposeGroups(doc) };
    return this.proposal.groups;
  }

  /** `view` with collapsed groups as boxes. */
  collapse(snap: DocumentSnapshot, measure: TextMeasurer, em: number, view: { nodes: ViewNode[]; edges: ViewEdge[] }): { nodes: ViewNode[]; edges: ViewEdge[] } {
    return collapseGroups(view, this.index, snap, measure, em);
  }

  /** The expanded groups with two or more members, for the layout to keep each together. */
  expandedGroups(): LayoutGroup[] {
    return this.index.groups.filter((g) => !g.collapsed && g.members.length > 1).map((g) => ({ id: g.id, members: g.members }));
  }

  /** Draws the frames of expanded groups (after the nodes are drawn). */
  drawFrames(em: number): void {
    this.frames.show(this.index.groups, em);
  }

  isBox(id: string): boolean {
    return this.index.isBox(id);
  }

  /** The drawn id standing for node `id` (its collapsed group's box, else itself). */
  shownAs(id: string): string {
    return this.index.shownAs(id);
  }

  nodesOf(ids: readonly string[]): string[] {
    return this.index.nodesOf(ids);
  }

  edges(edges: readonly { from: string; to: string }[]): { from: string; to: string }[] {
    const seen = new Set<string>();
    const out: { from: string; to: string }[] = [];
    for (const e of edges) {
      const from = this.index.shownAs(e.from);
      const to = this.index.shownAs(e.to);
      const key = `${from}\u0000${to}`;
      if (from === to || seen.has(key)) continue;
      seen.add(key);
      out.push({ from, to });
    }
    return out;
  }

  /** Collapses or expands group `id`. */
  toggle(id: string): void {
    const g = this.index.group(id);
    if (g) this.send({ type: 'setGroupCollapsed', id, collapsed: !g.collapsed });
  }

  /** Groups the selected nodes into a new group, drawn collapsed. */
  group(): void {
    const ids = this.selection.ids;
    if (!ids.length) {
      this.notice('Select the nodes to group first (click, Shift+click or Shift+drag; from the keyboard Shift+arrow or Ctrl+Space), then press Ctrl+G.', 'info');
      return;
    }
    const box = ids.find((id) => this.index.isBox(id));
    if (box) {
      this.notice(`'${box}' is already a group; expand it and select its nodes to regroup them, or ungroup it first (Ctrl+Shift+G).`, 'error');
      return;
    }
    this.send({ type: 'group', ids: [...ids], collapsed: true });
  }

  /** Ungroups the selected box, or the group of the selected node. */
  ungroup(): void {
    const id = this.selection.focused;
    const g = id === undefined ? undefined : this.index.isBox(id) ? this.index.group(id) : this.index.groupOf(id);
    if (!g) {
      this.notice('Select a group (its box, or one of its nodes) to ungroup it.', 'info');
      return;
    }
    this.send({ type: 'ungroup', id: g.id });
  }
}
