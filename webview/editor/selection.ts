/**
 * What is selected in the graph editor: nodes (in selection order; the last one has the
 * keyboard focus) or one edge. Pure (no DOM). Whoever shows or reports the selection (the graph,
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
  private readonly listeners: SelectionListener[] = [];

  /** Selected node ids, in selection order. */
  get ids(): readonly string[] {
    return this.nodes;
  }

  /** The selected edge (only when no node is selected by a click on it). */
  get edge(): EdgeRef | undefined {
    return this.selectedEdge;
  }

  /** The node with keyboard focus: the last selected. */
  get focused(): string | undefined {
    return this.nodes[this.nodes.length - 1];
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

  /** Selects only this edge. */
  selectEdge(edge: EdgeRef): void {
    this.set([], { from: edge.from, to: edge.to });
  }

  /** Selects nothing. */
  clear(): void {
    this.set([], undefined);
  }

  /** Drops what no longer exists (after a new snapshot); the rest keeps its order. */
  retain(nodeExists: (id: string) => boolean, edgeExists: (from: string, to: string) => boolean): void {
    const edge = this.selectedEdge && edgeExists(this.selectedEdge.from, this.selectedEdge.to) ? this.selectedEdge : undefined;
    this.set(this.nodes.filter(nodeExists), edge);
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: SelectionListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private set(nodes: readonly string[], edge: EdgeRef | undefined): void {
    const same = nodes.length === this.nodes.length && nodes.every((id, i) => id === this.nodes[i])
      && (edge === this.selectedEdge || (!!edge && !!this.selectedEdge && this.hasEdge(edge.from, edge.to)));
    if (same) return;
    this.nodes = nodes;
    this.selectedEdge = edge;
    for (const listener of [...this.listeners]) listener(this);
  }
}
