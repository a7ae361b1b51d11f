/**
 * What is selected in the graph editor: nodes (in selection order; the last one has the
 * keyboard focus unless the focus was moved on its own, Ctrl+arrow) or one edge. Pure (no DOM). Whoever shows or reports the selection (the graph,
 * the inspector, the outline, the host) subscribes with `onChange`; a change notifies each
 * listener once, and a call that changes nothing notifies no one.
 */

/** An edge by its ends. */
export interface EdgeRef {
  readonly from: string;
  readonly to: string;
}

/** Called after each change. */
export type SelectionListener = (selection: SelectionModel) => void;

/** The editor's selection. */
export class SelectionModel {
  private nodes: readonly string[] = [];
  private selectedEdge?: EdgeRef;
  /** The keyboard focus when it is not the last selected node (moved with Ctrl+arrow, kept by Escape). */
  private cursor?: string;
  private readonly listeners: SelectionListener[] = [];

  /** Selected node ids, in selection order. */
  get ids(): readonly string[] {
    return this.nodes;
  }

  /** The selected edge (only when no node is selected by a click on it). */
  get edge(): EdgeRef | undefined {
    return this.selectedEdge;
  }

  /** The node with keyboard focus: the last selected, unless the focus was moved on its own. */
  get focused(): string | undefined {
    return this.cursor ?? this.nodes[this.nodes.length - 1];
  }

  /** Number of selected nodes. */
  get size(): number {
    return this.nodes.length;
  }

  /** Whether node `id` is selected. */
  has(id: string): boolean {
    return this.nodes.includes(id);
  }

  /** Whether this edge is the selected one. */
  hasEdge(from: string, to: string): boolean {
    return this.selectedEdge !== undefined && this.selectedEdge.from === from && this.selectedEdge.to === to;
  }

  /** Selects only node `id`. */
  select(id: string): void {
    this.set([id], undefined);
  }

  /** Adds node `id` to the selection, or takes it out (shift/ctrl-click). */
  toggle(id: string): void {
    this.set(this.has(id) ? this.nodes.filter((n) => n !== id) : [...this.nodes, id], undefined);
  }

  /** Adds nodes to the selection (box select, select all); the edge stays selected. */
  add(ids: Iterable<string>): void {
    const next = [...this.nodes];
    for (const id of ids) if (!next.includes(id)) next.push(id);
    this.set(next, this.selectedEdge);
  }

  /**
   * Adds node `id` to the selection and gives it the focus (Shift+arrow, Shift+Space); a node
   * already selected keeps its place and takes the focus.
   */
  extend(id: string): void {
    this.set(this.has(id) ? this.nodes : [...this.nodes, id], undefined, id);
  }

  /** Moves the keyboard focus to node `id` and leaves the selection as it is (Ctrl+arrow). */
  focus(id: string): void {
    this.set(this.nodes, this.selectedEdge, id);
  }

  /** Adds the focused node to the selection or takes it out; the focus stays on it (Ctrl+Space). */
  toggleFocused(): void {
    const id = this.focused;
    if (id === undefined) return;
    this.set(this.has(id) ? this.nodes.filter((n) => n !== id) : [...this.nodes, id], undefined, id);
  }

  /** Selects exactly `ids` (select all); the focus stays where it was when it is among them. */
  selectAll(ids: readonly string[]): void {
    const f = this.focused;
    this.set([...new Set(ids)], undefined, f !== undefined && ids.includes(f) ? f : undefined);
  }

  /** Selects only this edge. */
  selectEdge(edge: EdgeRef): void {
    this.set([], { from: edge.from, to: edge.to });
  }

  /** Selects nothing; `keepFocus`: the focused node keeps the keyboard focus (Escape). */
  clear(keepFocus = false): void {
    this.set([], undefined, keepFocus ? this.focused : undefined);
  }

  /** Drops what no longer exists (after a new snapshot); the rest keeps its order. */
  retain(nodeExists: (id: string) => boolean, edgeExists: (from: string, to: string) => boolean): void {
    const edge = this.selectedEdge && edgeExists(this.selectedEdge.from, this.selectedEdge.to) ? this.selectedEdge : undefined;
    this.set(this.nodes.filter(nodeExists), edge, this.cursor !== undefined && nodeExists(this.cursor) ? this.cursor : undefined);
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: SelectionListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** `cursor`: the focused node, when it is not simply the last selected. */
  private set(nodes: readonly string[], edge: EdgeRef | undefined, cursor?: string): void {
    const focus = cursor === nodes[nodes.length - 1] ? undefined : cursor;
    const same = nodes.length === this.nodes.length && nodes.every((id, i) => id === this.nodes[i]) && focus === this.cursor
      && (edge === this.selectedEdge || (!!edge && !!this.selectedEdge && this.hasEdge(edge.from, edge.to)));
    if (same) return;
    this.nodes = nodes;
    this.selectedEdge = edge;
    this.cursor = focus;
    for (const listener of [...this.listeners]) listener(this);
  }
}

/**
 * What the screen reader hears when the selection or the focus changes: the focused node's
 * description, whether it is selected when that is not obvious, and how many nodes are selected.
 */
export function selectionAnnouncement(label: string, focusedSelected: boolean, count: number): string {
  if (count === 1 && focusedSelected) return label;
  const state = focusedSelected ? 'selected' : 'not selected';
  const total = count === 0 ? 'No nodes selected' : `${count} node${count === 1 ? '' : 's'} selected`;
  return `${label}, ${state}. ${total}.`;
}
