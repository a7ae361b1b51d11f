/**
 * The editor's side of groups: which drawn boxes stand for which nodes (GroupIndex), the frames
 * of expanded groups, and the group commands — group the selection (Ctrl+G), ungroup
 * (Ctrl+Shift+G), collapse or expand (a double-click, Enter or the box's button) — each sent as
 * one intent, so the host writes one small edit and Ctrl+Z undoes it.
 */
import type { NetworkDoc } from '../../src/model/types';
import type { DocumentSnapshot, IntentBody } from '../../src/protocol';
import type { GraphRenderer } from './graphRenderer';
import { GroupFrames } from './groupDrawing';
import { collapseGroups, GroupIndex } from './groupView';
import type { SelectionModel } from './selection';
import type { TextMeasurer, ViewEdge, ViewNode } from './viewModel';

/** What the interactions use of groups. */
export interface GroupCommands {
  /** Whether `id` is a collapsed group's box. */
  isBox(id: string): boolean;
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

  constructor(
    renderer: Pick<GraphRenderer, 'viewport' | 'positions' | 'view' | 'onEdgesDrawn'>,
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
    return this.index.visible(doc);
  }

  /** `view` with collapsed groups as boxes. */
  collapse(snap: DocumentSnapshot, measure: TextMeasurer, em: number, view: { nodes: ViewNode[]; edges: ViewEdge[] }): { nodes: ViewNode[]; edges: ViewEdge[] } {
    return collapseGroups(view, this.index, snap, measure, em);
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
      this.notice('Select the nodes to group first (click, Shift+click or Shift+drag), then press Ctrl+G.', 'info');
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
