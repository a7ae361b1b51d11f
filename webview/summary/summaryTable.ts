/**
 * The Summary view's table: one row per layer as `nn summary` prints it (layer, type, output
 * shape, parameters with their formula, connected to, FLOPs) and the totals under it. Every
 * column sorts (click its header; again to reverse; "#" is the graph's order); clicking a row,
 * or Enter on it, picks that layer (the host selects it in the graph editor), and the graph's
 * selection is highlighted here.
 */
import type { SummaryRowInfo, ToSummary } from '../../src/protocol';

type Show = Extract<ToSummary, { type: 'show' }>;

/** The sortable columns. */
export type SortKey = 'order' | 'layer' | 'type' | 'shape' | 'params' | 'inputs' | 'flops';
export type SortDir = 'ascending' | 'descending';

/** A row with its place in the graph's order. */
interface Indexed extends SummaryRowInfo {
  order: number;
}

interface Column {
  key: SortKey;
  title: string;
  numeric: boolean;
  cell(r: Indexed): string | HTMLElement;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

/** "(None, 8, 8, 16)" as Keras prints it; "?" where the shape is unknown. */
export function shapeText(shape: readonly number[] | undefined): string {
  return shape ? `(None, ${shape.join(', ')})` : '?';
}

function paramsCell(r: Indexed): HTMLElement {
  const span = document.createElement('span');
  span.textContent = grouped(r.params);
  if (r.formula) {
    const f = document.createElement('span');
    f.className = 'formula';
    f.textContent = ` = ${r.formula}`;
    span.append(f);
  }
  if (r.nonTrainable > 0) {
    const n = document.createElement('span');
    n.className = 'formula';
    n.textContent = ` (${grouped(r.nonTrainable)} non-trainable)`;
    span.append(n);
  }
  return span;
}

const COLUMNS: readonly Column[] = [
  { key: 'order', title: '#', numeric: true, cell: (r) => String(r.order + 1) },
  { key: 'layer', title: 'Layer', numeric: false, cell: (r) => r.layer },
  { key: 'type', title: 'Type', numeric: false, cell: (r) => r.type },
  { key: 'shape', title: 'Output shape', numeric: true, cell: (r) => shapeText(r.outputShape) },
  { key: 'params', title: 'Params', numeric: true, cell: paramsCell },
  { key: 'inputs', title: 'Connected to', numeric: false, cell: (r) => r.inputs.join(', ') },
  { key: 'flops', title: 'FLOPs', numeric: true, cell: (r) => grouped(r.flops) },
];

/** The value a column sorts by (shapes by their size; unknown shapes last). */
function sortValue(r: Indexed, key: SortKey): number | string {
  switch (key) {
    case 'order': return r.order;
    case 'layer': return r.layer;
    case 'type': return r.type;
    case 'shape': return r.outputShape ? r.outputShape.reduce((a, b) => a * b, 1) : -1;
    case 'params': return r.params;
    case 'inputs': return r.inputs.join(', ');
    case 'flops': return r.flops;
  }
}

/** The rows in the order the sort asks for; ties keep the graph's order. */
export function sortRows(rows: readonly SummaryRowInfo[], key: SortKey, dir: SortDir): Indexed[] {
  const indexed = rows.map((r, order) => ({ ...r, order }));
  const sign = dir === 'ascending' ? 1 : -1;
  return indexed.sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
    return c !== 0 ? sign * c : a.order - b.order;
  });
}

/** The table and its state; `pick` is called with the layer the user chose. */
export class SummaryTable {
  sortKey: SortKey = 'order';
  sortDir: SortDir = 'ascending';
  selected = new Set<string>();
  shown?: Show;
  private readonly body = document.createElement('tbody');

  constructor(
    private readonly root: HTMLElement,
    private readonly pick: (id: string) => void,
    private readonly rendered: (t: SummaryTable) => void,
  ) {}

  /** Shows a new version of the design (keeping the sort and the selection that still exists). */
  show(m: Show): void {
    this.shown = m;
    const ids = new Set(m.rows.map((r) => r.layer));
    this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    this.render();
  }

  /** Highlights the graph's selection. */
  select(ids: readonly string[]): void {
    this.selected = new Set(ids);
    for (const tr of this.body.rows) this.mark(tr);
    this.rendered(this);
  }

  /** Sorts by `key` (again: the other way round). */
  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortKey = key;
      // Numbers read best largest first (where the parameters are); names and order A to Z.
      this.sortDir = key !== 'order' && COLUMNS.find((c) => c.key === key)?.numeric ? 'descending' : 'ascending';
    }
    this.render();
  }

  /** The layers in the order shown. */
  get layers(): string[] {
    return [...this.body.rows].map((tr) => tr.dataset.layer ?? '');
  }

  private mark(tr: HTMLTableRowElement): void {
    const on = this.selected.has(tr.dataset.layer ?? '');
    tr.classList.toggle('selected', on);
    tr.setAttribute('aria-selected', String(on));
  }

  private header(): HTMLElement {
    const head = document.createElement('thead');
    const tr = head.insertRow();
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.numeric) th.className = 'num';
      const sorted = this.sortKey === c.key;
      th.setAttribute('aria-sort', sorted ? this.sortDir : 'none');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.sort = c.key;
      b.textContent = c.title;
      b.title = `Sort by ${c.key === 'order' ? 'the graph\'s order' : c.title.toLowerCase()}`;
      if (sorted) {
        const arrow = document.createElement('span');
        arrow.className = 'arrow';
        arrow.setAttribute('aria-hidden', 'true');
        arrow.textContent = this.sortDir === 'ascending' ? ' ▲' : ' ▼';
        b.append(arrow);
      }
      b.addEventListener('click', () => this.sortBy(c.key));
      th.append(b);
      tr.append(th);
    }
    return head;
  }

  private row(r: Indexed): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.layer = r.layer;
    tr.tabIndex = 0;
    tr.title = `Select ${r.layer} in the graph`;
    for (const c of COLUMNS) {
      const td = tr.insertCell();
      if (c.numeric) td.className = 'num';
      if (c.key === 'layer') td.classList.add('layer');
      const v = c.cell(r);
      if (typeof v === 'string') td.textContent = v;
      else td.append(v);
    }
    this.mark(tr);
    const choose = (): void => {
      this.select([r.layer]);
      this.pick(r.layer);
    };
    tr.addEventListener('click', choose);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); (tr.nextElementSibling as HTMLElement | null)?.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling as HTMLElement | null)?.focus(); }
    });
    return tr;
  }

  private totals(m: Show): HTMLElement {
    const t = m.totals;
    const dl = document.createElement('dl');
    dl.className = 'totals';
    const items: [string, string][] = [
      ['Total params', grouped(t.total)],
      ['Trainable params', grouped(t.trainable)],
      ['Non-trainable params', grouped(t.nonTrainable)],
      ['FLOPs per sample (forward)', grouped(t.flops)],
    ];
    for (const [k, v] of items) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      div.append(dt, dd);
      dl.append(div);
    }
    return dl;
  }

  /** Draws everything from the state. */
  render(): void {
    const m = this.shown;
    if (!m) return;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.layer;
    const title = document.createElement('h1');
    title.textContent = `Model: "${m.name ?? m.file}"`;
    const file = document.createElement('span');
    file.className = 'file';
    file.textContent = m.file;
    title.append(' ', file);
    const parts: HTMLElement[] = [title];
    if (m.problem) {
      const p = document.createElement('p');
      p.className = 'problem';
      p.setAttribute('role', 'status');
      p.textContent = m.problem;
      parts.push(p);
    }
    if (m.rows.length > 0) {
      const table = document.createElement('table');
      const caption = document.createElement('caption');
      caption.textContent = 'Layers in the graph\'s order; click a column to sort, a row to select its node in the graph.';
      table.append(caption, this.header());
      this.body.replaceChildren(...sortRows(m.rows, this.sortKey, this.sortDir).map((r) => this.row(r)));
      table.append(this.body);
      // A narrow column (the view beside the graph) scrolls the table sideways, not the page.
      const scroll = document.createElement('div');
      scroll.className = 'scroll';
      scroll.append(table);
      parts.push(scroll, this.totals(m));
    } else {
      this.body.replaceChildren();
    }
    this.root.replaceChildren(...parts);
    if (focused) [...this.body.rows].find((tr) => tr.dataset.layer === focused)?.focus();
    this.rendered(this);
  }
}
