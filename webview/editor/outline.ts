/**
 * The outline beside the graph: every node in data-flow order with its type, output shape and
 * problems; the selected rows are marked. Rebuilt only when the order changes; otherwise only
 * changed rows are touched.
 */
import { h } from './dom';
import { shapeText } from './viewModel';
import type { ViewNode } from './viewModel';

/** The outline list and its redraw. */
export class Outline {
  /** Mount this (`data-outline-id` on each row). */
  readonly el = h('ol', { 'aria-label': 'Network outline, in data-flow order' });
  private key = '';
  private readonly rows = new Map<string, HTMLLIElement>();
  /** The view and selection each row was last written from: an unchanged row is not read or written. */
  private readonly written = new Map<string, { view: ViewNode; selected: boolean }>();

  /** Shows `nodes` in `order`, marking the selected ones. */
  render(order: readonly string[], nodes: readonly ViewNode[], selection: { has(id: string): boolean }): void {
    const byId = new Map(nodes.map((v) => [v.id, v]));
    const ids = order.filter((id) => byId.has(id));
    const key = ids.join('\n');
    if (key !== this.key) {
      this.key = key;
      this.rows.clear();
      this.written.clear();
      this.el.replaceChildren(...ids.map((id) => {
        const li = h('li', { tabindex: 0, 'data-outline-id': id });
        this.rows.set(id, li);
        return li;
      }));
    }
    for (const id of ids) {
      const v = byId.get(id) as ViewNode;
      const selected = selection.has(id);
      const last = this.written.get(id);
      if (last && last.view === v && last.selected === selected) continue;
      this.written.set(id, { view: v, selected });
      const li = this.rows.get(id) as HTMLLIElement;
      const text = `${v.title} — ${v.subtitle} → ${shapeText(v.info.shape)}${v.diagnostics.length ? ` (${v.diagnostics.length} problem${v.diagnostics.length > 1 ? 's' : ''})` : ''}`;
      if (li.textContent !== text) li.textContent = text;
      const sel = String(selected);
      if (li.getAttribute('aria-selected') !== sel) li.setAttribute('aria-selected', sel);
    }
  }
}
