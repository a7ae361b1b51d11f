/**
 * Find in the graph (Ctrl+F / Cmd+F): a small box over the canvas that finds nodes by id, label
 * or type, says "n of m", steps with Enter / Shift+Enter (F3 / Shift+F3), and reveals each match
 * (selected and scrolled into view). Escape closes it and puts the keyboard back on the graph.
 */
import type { NetworkNode } from '../../src/model/types';
import { h, icon } from './dom';

/** The ids of the nodes whose id, label or type contains `query` (any case), in `order`. */
export function findMatches(nodes: readonly NetworkNode[], order: readonly string[] | undefined, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ids = [...(order ?? []).filter((id) => byId.has(id)), ...nodes.map((n) => n.id)];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const n = byId.get(id) as NetworkNode;
    if (n.id.toLowerCase().includes(q) || (n.label ?? '').toLowerCase().includes(q) || n.type.toLowerCase().includes(q)) out.push(id);
  }
  return out;
}

/** What the find box needs of the editor. */
export interface FindHost {
  /** The nodes shown now, and their data-flow order (undefined in the error state). */
  nodes(): { nodes: readonly NetworkNode[]; order?: readonly string[] } | undefined;
  /** Selects node `id` and scrolls it into view. */
  reveal(id: string): void;
  /** Puts the keyboard on the graph. */
  focusGraph(): void;
}

/** The find box; mount `el` over the canvas and call `attach` once. */
export class FindBox {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private matches: string[] = [];
  private index = -1;

  constructor(private readonly host: FindHost) {
    this.input = h('input', { id: 'nc-find-input', type: 'text', class: 'find-input', placeholder: 'Find node', spellcheck: 'false', autocomplete: 'off', 'data-testid': 'find-input' });
    this.count = h('span', { class: 'find-count', 'data-testid': 'find-count', role: 'status', 'aria-live': 'polite' }, '');
    const button = (name: string, label: string, action: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', title: label, 'aria-label': label, 'data-action': name }, icon(name));
      b.addEventListener('click', action);
      return b;
    };
    this.el = h('div', { class: 'find-box', role: 'search', 'aria-label': 'Find nodes', 'data-testid': 'find-box', hidden: true },
      h('label', { for: 'nc-find-input', class: 'sr-only' }, 'Find node by id, label or type'),
      this.input, this.count,
      button('arrow-up', 'Previous match (Shift+Enter)', () => this.step(-1)),
      button('arrow-down', 'Next match (Enter)', () => this.step(1)),
      button('close', 'Close (Escape)', () => this.close()));
    this.input.addEventListener('input', () => this.search(true));
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === 'F3') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      } else return;
      e.stopPropagation();
    });
  }

  /** Whether the box is showing. */
  get isOpen(): boolean {
    return !this.el.hidden;
  }

  /** Listens for Ctrl+F / Cmd+F and F3 anywhere in the webview. */
  attach(doc: Document): void {
    // Capture: the graph's own key map must not see these first.
    doc.addEventListener('keydown', (e) => {
      const key = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && key === 'f') {
        // VS Code's webview host may have called preventDefault already (it stops the browser's own find); ours still runs.
        e.preventDefault();
        e.stopPropagation();
        this.open();
      } else if (e.key === 'F3' && this.isOpen && !this.el.contains(e.target as Node)) {
        e.preventDefault();
        e.stopPropagation();
        this.step(e.shiftKey ? -1 : 1);
      }
    }, true);
  }

  /** Shows the box with its text selected, searching again for what it holds. */
  open(): void {
    if (!this.host.nodes()) return;
    this.el.hidden = false;
    this.input.focus();
    this.input.select();
    this.search(false);
  }

  /** Hides the box; the keyboard goes back to the graph (the revealed match stays selected). */
  close(): void {
    if (!this.isOpen) return;
    this.el.hidden = true;
    this.host.focusGraph();
  }

  /** A new snapshot: matches are found again, keeping the current one when it is still there. */
  refresh(): void {
    if (this.isOpen) this.search(false, false);
  }

  /** Moves to the next (1) or previous (-1) match, wrapping around. */
  step(dir: 1 | -1): void {
    if (!this.matches.length) return this.showCount();
    this.index = this.index < 0 ? (dir > 0 ? 0 : this.matches.length - 1) : (this.index + dir + this.matches.length) % this.matches.length;
    this.showCount();
    this.host.reveal(this.matches[this.index]);
  }

  /** The ids matched now. */
  get found(): readonly string[] {
    return this.matches;
  }

  private search(reveal: boolean, resetIndex = reveal): void {
    const shown = this.host.nodes();
    const current = this.matches[this.index];
    this.matches = shown ? findMatches(shown.nodes, shown.order, this.input.value) : [];
    const kept = resetIndex || current === undefined ? -1 : this.matches.indexOf(current);
    this.index = kept >= 0 ? kept : this.matches.length ? 0 : -1;
    this.showCount();
    if (reveal && this.index >= 0) this.host.reveal(this.matches[this.index]);
  }

  private showCount(): void {
    const q = this.input.value.trim();
    this.count.textContent = !q ? '' : this.matches.length === 0 ? 'No results' : `${this.index + 1} of ${this.matches.length}`;
    this.el.classList.toggle('no-results', !!q && this.matches.length === 0);
  }
}
