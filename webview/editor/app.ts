/**
 * The editor view: draws each snapshot the host sends (graph, inspector, outline, minimap) and
 * turns user actions into intents. It never edits text itself; the host answers every intent
 * with a new snapshot.
 */
import type { NetworkNode } from '../../src/model/types';
import { own } from '../../src/model/ownKeys';
import type { Channel, DocumentSnapshot, FromEditor, IntentBody, JsonValue, ToEditor } from '../../src/protocol';
import { custom, h, icon } from './dom';
import { diagramSvg, svgToPng } from './exportDiagram';
import { GraphRenderer } from './graphRenderer';
import type { Point } from './graphRenderer';
import { renderInspector } from './inspector';
import { attachInteractions } from './interactions';
import { LayoutClient } from './layoutClient';
import type { LayoutResponse } from './layoutTypes';
import { Minimap, MINIMAP_MIN_NODES } from './minimap';
import { quickLayout } from './quickLayout';
import { createPalette } from './palette';
import type { PaletteEntry } from './palette';
import { buildView, canExpand, shapeText } from './viewModel';
import type { ViewEdge, ViewNode } from './viewModel';
import { Viewport } from './viewport';
import graphCss from './graph.css';

/**
 * Nodes without a place above which the first drawing uses the quick layout when ELK cannot
 * answer at once (its worker still starting, or busy); smaller graphs wait for ELK as before.
 */
export const QUICK_LAYOUT_MIN_NODES = 60;

/** The running editor; one per webview. */
export class EditorApp {
  /** The latest snapshot from the host. */
  snapshot?: DocumentSnapshot;
  /** Selected node ids, in selection order. */
  readonly selected = new Set<string>();
  /** The edge selected by a click (Delete removes it). */
  selectedEdge?: { from: string; to: string };
  /** Nodes drawn as neuron columns. */
  readonly expanded = new Set<string>();
  readonly renderer = new GraphRenderer();
  readonly viewport: Viewport;
  private readonly minimap: Minimap;
  private readonly layout: LayoutClient;
  private readonly canvas = h('div', { class: 'canvas' });
  private readonly inspector = h('div', { class: 'inspector-body' });
  private readonly outline = h('ol', { 'aria-label': 'Network outline, in data-flow order' });
  private readonly title = h('span', { class: 'title' });
  private readonly params = h('span', { class: 'params', 'data-testid': 'toolbar-params', 'aria-live': 'polite' });
  private readonly notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'assertive', hidden: true });
  private readonly live = h('div', { class: 'sr-only', 'aria-live': 'polite' });
  private view: { nodes: ViewNode[]; edges: ViewEdge[] } = { nodes: [], edges: [] };
  private layoutKey = '';
  private laidOut = new Map<string, Point>();
  private fitted = false;
  /** Set while the nodes stand at the quick layout's places, waiting for ELK's. */
  private provisional = false;
  /** The last version drawn complete (quick layout or final). */
  private drawnVersion = -1;
  /** Where the nodes are going (the last layout, pins applied). */
  private targetBounds = { x: 0, y: 0, width: 1, height: 1 };
  private pendingSelect?: string;
  private noticeTimer?: ReturnType<typeof setTimeout>;
  private em = 13;
  private readonly measureCtx = document.createElement('canvas').getContext('2d');
  /** Text widths already measured (a re-render measures only new text). */
  private readonly widths = new Map<string, number>();
  private fontFamily = 'sans-serif';
  private outlineKey = '';
  private interactive = false;
  private readonly outlineRows = new Map<string, HTMLLIElement>();

  constructor(private readonly root: HTMLElement, readonly channel: Channel<FromEditor, ToEditor>, workerUrl: string) {
    this.viewport = new Viewport(this.renderer.svg, this.renderer.viewport, () => this.minimap?.drawFrame());
    this.minimap = new Minimap(this.viewport);
    this.layout = new LayoutClient(workerUrl);
    // Warm the worker while the host prepares the first snapshot.
    this.layout.start().catch(() => undefined);
    channel.on('document', (m) => this.show(m.snapshot));
    channel.on('action', (m) => {
      if (m.action === 'fitView') this.fit();
      else if (m.action === 'zoomIn') this.viewport.zoom(1.25);
      else if (m.action === 'zoomOut') this.viewport.zoom(0.8);
      else this.renderer.svg.focus();
    });
    channel.on('notice', (m) => this.showNotice(m.message, m.level));
    channel.on('exportDiagram', (m) => {
      void this.exportDiagram(m.format).then(
        (value) => channel.post({ type: 'response', requestId: m.requestId, ok: true, value }),
        (e: unknown) => channel.post({ type: 'response', requestId: m.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    });
  }

  /** Builds the frame (toolbar, palette, canvas, inspector). */
  private buildFrame(): void {
    if (this.root.querySelector('.canvas')) return;
    this.root.className = '';
    const button = (name: string, label: string, action: () => void): HTMLButtonElement => {
      const b = h('button', { title: label, 'aria-label': label, 'data-action': name }, icon(name));
      b.addEventListener('click', action);
      return b;
    };
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Graph' }, this.title, this.params,
      button('zoom-out', 'Zoom out (-)', () => this.viewport.zoom(0.8)),
      button('zoom-in', 'Zoom in (+)', () => this.viewport.zoom(1.25)),
      button('screen-full', 'Fit to view (0)', () => this.fit()),
      button('unfold', 'Show small layers as neurons', () => this.setAllExpanded(true)),
      button('fold', 'Show layers as blocks', () => this.setAllExpanded(false)));
    this.canvas.append(this.renderer.svg, this.minimap.svg, this.notice, this.live);
    const side = h('aside', { class: 'inspector', 'aria-label': 'Inspector' }, this.inspector,
      h('section', { class: 'outline' }, h('h2', { id: 'outline-heading' }, 'Outline'), this.outline));
    this.outline.setAttribute('aria-labelledby', 'outline-heading');
    this.root.replaceChildren(toolbar, createPalette((p) => this.addFromPalette(p)), this.canvas, side);
    // The graph and outline elements survive an error state; their handlers are attached once.
    if (!this.interactive) {
      this.interactive = true;
      attachInteractions(this);
    }
  }

  /** Shows a snapshot: the error state, or the graph with everything around it. */
  show(snap: DocumentSnapshot): void {
    const started = performance.now();
    this.snapshot = snap;
    if (!snap.doc) {
      this.showErrorState(snap);
      return;
    }
    this.buildFrame();
    const doc = snap.doc;
    const ids = new Set(doc.nodes.map((n) => n.id));
    for (const id of [...this.selected]) if (!ids.has(id)) this.selected.delete(id);
    if (this.pendingSelect && ids.has(this.pendingSelect)) {
      this.selected.clear();
      this.selected.add(this.pendingSelect);
      this.pendingSelect = undefined;
    }
    if (this.selectedEdge && !doc.edges.some((e) => e.from === this.selectedEdge?.from && e.to === this.selectedEdge?.to)) this.selectedEdge = undefined;
    const style = getComputedStyle(this.renderer.svg);
    this.em = parseFloat(style.fontSize) || 13;
    this.fontFamily = style.fontFamily || 'sans-serif';
    this.view = buildView(snap, this.expanded, (t, bold) => this.measure(t, bold), this.em);
    const pins = doc.layout?.pinned ?? {};
    // A new layout is requested before the DOM work, so ELK runs in the worker meanwhile.
    const key = JSON.stringify([this.view.nodes.map((v) => [v.id, v.width, v.height]), this.view.edges.map((e) => e.key)]);
    let layout: Promise<LayoutResponse> | undefined;
    let quick: Map<string, Point> | undefined;
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      const boxes = this.view.nodes.map((v) => ({ id: v.id, width: v.width, height: v.height }));
      const edges = this.view.edges.map((e) => ({ from: e.from, to: e.to }));
      // Can ELK answer soon? Not while its worker starts (cold) or works on an older request.
      const slow = !this.layout.warm || this.layout.busy;
      layout = this.layout.layout(boxes, edges);
      layout.catch(() => undefined);
      if (slow && this.view.nodes.filter((v) => !own(pins, v.id) && !this.laidOut.has(v.id)).length >= QUICK_LAYOUT_MIN_NODES) {
        quick = quickLayout(boxes, edges, pins);
      }
    }
    const initial = new Map<string, Point>();
    for (const v of this.view.nodes) initial.set(v.id, own(pins, v.id) ?? quick?.get(v.id) ?? this.laidOut.get(v.id) ?? this.guessPosition(v.id));
    this.renderer.update(this.view.nodes, this.view.edges, this.selected, this.focusedId(), this.em, initial);
    this.renderChrome();
    this.renderer.svg.setAttribute('data-version', String(snap.version));
    if (quick) {
      // Drawn complete now at the quick layout's places; ELK's answer moves them (runLayout).
      void this.placeNodes(0, quick);
      this.provisional = true;
      if (!this.fitted) {
        this.fitted = true;
        this.fit();
      }
      this.drawn(snap.version, started);
    }
    if (layout) {
      void this.runLayout(layout, snap.version, key, started);
    } else {
      void this.placeNodes(0);
      this.rendered(snap.version, started, false);
    }
  }

  /** Reports a version drawn complete (every node placed, none overlapping), maybe before ELK's places. */
  private drawn(version: number, started: number, at = performance.now()): void {
    if (this.drawnVersion === version) return;
    this.drawnVersion = version;
    const ms = at - started;
    document.body.setAttribute('data-drawn-version', String(version));
    document.body.setAttribute('data-drawn-ms', String(Math.round(ms * 10) / 10));
    document.dispatchEvent(new CustomEvent('nc-drawn', { detail: { version, ms } }));
  }

  private rendered(version: number, started: number, laidOut: boolean, drawn = performance.now(), layoutMs?: number): void {
    const ms = drawn - started;
    this.drawn(version, started, drawn);
    // On <body>, so tests and the bench see it in the error state too.
    document.body.setAttribute('data-rendered-version', String(version));
    document.dispatchEvent(new CustomEvent('nc-rendered', { detail: { version, ms, laidOut, layoutMs } }));
    this.channel.post({ type: 'rendered', version, nodes: this.snapshot?.doc ? this.view.nodes.length : 0, errorState: !this.snapshot?.doc, ms: Math.round(ms * 10) / 10 });
  }

  private async runLayout(layout: Promise<LayoutResponse>, version: number, key: string, started: number): Promise<void> {
    try {
      const r = await layout;
      if (key !== this.layoutKey) return;
      this.laidOut = new Map(Object.entries(r.positions ?? {}));
      // Keep the whole graph in view when it was in view before (a new node must not land off-screen).
      const wasWhole = this.fitted && contains(this.viewport.visible(), this.renderer.bounds());
      const moved = this.placeNodes(this.fitted ? 220 : 0);
      const provisional = this.provisional;
      this.provisional = false;
      if (!this.fitted) {
        this.fitted = true;
        this.fit();
      } else if (wasWhole && (provisional || !contains(this.viewport.visible(), this.targetBounds))) {
        // After a quick layout, frame ELK's drawing as a first layout would have been framed.
        this.viewport.fit(this.targetBounds);
      }
      const drawn = performance.now();
      await moved;
      // `ms` is layout + render; the glide that follows is not counted.
      this.rendered(version, started, true, drawn, r.ms);
    } catch (e) {
      this.showNotice(`Automatic layout failed: ${e instanceof Error ? e.message : String(e)}. Nodes keep their places.`, 'error');
    }
  }

  /** Moves nodes to the laid-out places (`places`, ELK's by default), pinned nodes to their pins. */
  private placeNodes(ms: number, places: ReadonlyMap<string, Point> = this.laidOut): Promise<void> {
    const pins = this.snapshot?.doc?.layout?.pinned ?? {};
    const target = new Map<string, Point>();
    for (const v of this.view.nodes) target.set(v.id, own(pins, v.id) ?? places.get(v.id) ?? this.renderer.positions.get(v.id) ?? { x: 0, y: 0 });
    const moved = this.renderer.moveTo(target, ms);
    const rects = this.view.nodes.map((v) => ({ ...(target.get(v.id) as Point), width: v.width, height: v.height }));
    this.targetBounds = boundsOf(rects);
    this.minimap.svg.style.display = this.view.nodes.length >= MINIMAP_MIN_NODES ? '' : 'none';
    if (this.view.nodes.length >= MINIMAP_MIN_NODES) this.minimap.draw(rects, boundsOf(rects));
    return moved;
  }

  /** A new node appears beside the node it follows, so it glides from a sensible place. */
  private guessPosition(id: string): Point {
    const from = this.snapshot?.doc?.edges.find((e) => e.to === id)?.from;
    const p = from ? this.renderer.positions.get(from) : undefined;
    return p ? { x: p.x + 12 * this.em, y: p.y } : { x: 0, y: 0 };
  }

  private measure(text: string, bold: boolean): number {
    const ctx = this.measureCtx;
    if (!ctx) return text.length * this.em * 0.6;
    const key = `${bold ? 'b' : 'r'}${this.em}${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const font = `${bold ? '600 ' : ''}${this.em}px ${this.fontFamily}`;
      if (ctx.font !== font) ctx.font = font;
      w = ctx.measureText(text).width;
      if (this.widths.size > 20_000) this.widths.clear();
      this.widths.set(key, w);
    }
    return w;
  }

  /** The node with keyboard focus (the last selected). */
  focusedId(): string | undefined {
    return [...this.selected].pop();
  }

  /** Redraws selection highlights without a new snapshot. */
  refreshSelection(): void {
    if (!this.snapshot?.doc) return;
    this.renderer.update(this.view.nodes, this.view.edges, this.selected, this.focusedId(), this.em, new Map());
    for (const g of this.renderer.svg.querySelectorAll('.edge')) {
      g.classList.toggle('selected', !!this.selectedEdge && g.getAttribute('data-from') === this.selectedEdge.from && g.getAttribute('data-to') === this.selectedEdge.to);
    }
    this.renderChrome();
    const id = this.focusedId();
    const el = id ? this.renderer.element(id) : undefined;
    for (const g of this.renderer.svg.querySelectorAll('.node[tabindex="0"]')) g.setAttribute('tabindex', '-1');
    if (el) {
      el.setAttribute('tabindex', '0');
      this.live.textContent = el.getAttribute('aria-label') ?? '';
    }
  }

  private renderChrome(): void {
    const snap = this.snapshot;
    if (!snap?.doc) return;
    this.title.textContent = snap.doc.name ?? snap.fileName;
    this.params.textContent = snap.totalParams === undefined ? '' : `${snap.totalParams.toLocaleString('en-US')} parameters`;
    renderInspector(this.inspector, snap, [...this.selected], this.expanded, {
      setProperty: (id, key, value) => this.send({ type: 'setProperty', id, key, value }),
      rename: (oldId, newId) => {
        this.pendingSelect = newId;
        this.send({ type: 'rename', oldId, newId });
      },
      remove: (ids) => this.send({ type: 'removeNodes', ids }),
      unpin: (ids) => this.send({ type: 'unpin', ids }),
      toggleExpand: (id) => this.toggleExpand(id),
    }, (m) => this.showNotice(m, 'error'));
    const order = snap.order ?? snap.doc.nodes.map((n) => n.id);
    const byId = new Map(this.view.nodes.map((v) => [v.id, v]));
    // The outline is rebuilt only when its order changes; otherwise only changed rows are touched.
    const ids = order.filter((id) => byId.has(id));
    const outlineKey = ids.join('\n');
    if (outlineKey !== this.outlineKey) {
      this.outlineKey = outlineKey;
      this.outlineRows.clear();
      this.outline.replaceChildren(...ids.map((id) => {
        const li = h('li', { tabindex: 0, 'data-outline-id': id });
        this.outlineRows.set(id, li);
        return li;
      }));
    }
    for (const id of ids) {
      const v = byId.get(id) as ViewNode;
      const li = this.outlineRows.get(id) as HTMLLIElement;
      const text = `${v.title} — ${v.subtitle} → ${shapeText(v.info.shape)}${v.diagnostics.length ? ` (${v.diagnostics.length} problem${v.diagnostics.length > 1 ? 's' : ''})` : ''}`;
      if (li.textContent !== text) li.textContent = text;
      const sel = String(this.selected.has(id));
      if (li.getAttribute('aria-selected') !== sel) li.setAttribute('aria-selected', sel);
    }
  }

  private showErrorState(snap: DocumentSnapshot): void {
    this.layoutKey = '';
    this.fitted = false;
    this.provisional = false;
    this.root.className = 'error';
    const open = custom('vscode-button', { 'data-action': 'open-text-editor' }, 'Open in Text Editor');
    open.addEventListener('click', () => this.channel.post({ type: 'openTextEditor' }));
    const list = h('ul', { class: 'diagnostics' }, ...snap.diagnostics.map((d) =>
      h('li', { class: `diag diag-${d.severity}` }, icon(d.severity === 'info' ? 'info' : d.severity), ` ${snap.fileName}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message} `, h('span', { class: 'diag-code' }, `[${d.code}]`))));
    this.root.replaceChildren(h('div', { class: 'error-state', 'data-testid': 'error-state', role: 'alert' },
      h('h1', {}, `${snap.fileName} cannot be shown as a graph`),
      h('p', {}, snap.diagnostics.some((d) => d.code === 'file-too-large')
        ? 'The file is above the size limit, so it was not checked or drawn. Raise the setting neuralCanvas.maxFileSizeMB to open it here, or edit it in the text editor.'
        : 'The text is not a readable nn/1 network. The graph view will not change the file; fix it in the text editor and the graph comes back.'),
      list, open));
    this.rendered(snap.version, performance.now(), false);
  }

  /** Sends an intent; a refusal shows as a notice. */
  send(intent: IntentBody): Promise<JsonValue | undefined> {
    return this.channel.request(intent).catch((e: unknown) => {
      this.showNotice(e instanceof Error ? e.message : String(e), 'error');
      return undefined;
    });
  }

  /** A short message over the canvas. */
  showNotice(message: string, level: 'info' | 'error' = 'info'): void {
    this.notice.textContent = message;
    this.notice.className = `notice ${level}`;
    this.notice.hidden = false;
    this.notice.setAttribute('data-testid', 'notice');
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { this.notice.hidden = true; }, 6000);
  }

  /** Adds a palette node after the focused node (connected from it), or pinned at `at`. */
  addFromPalette(p: PaletteEntry, opts: { after?: string; at?: Point } = {}): void {
    const doc = this.snapshot?.doc;
    if (!doc) return;
    const taken = new Set(doc.nodes.map((n) => n.id));
    let i = 1;
    while (taken.has(`${p.idBase}${i}`)) i++;
    const node: NetworkNode = p.make(`${p.idBase}${i}`);
    const after = opts.at ? opts.after : opts.after ?? (node.type === 'input' ? undefined : this.focusedId());
    this.pendingSelect = node.id;
    void this.send({ type: 'addNode', node, ...(after ? { after } : {}), ...(opts.at ? { position: { x: Math.round(opts.at.x), y: Math.round(opts.at.y) } } : {}) });
  }

  /** Fits the whole graph into view. */
  fit(): void {
    this.viewport.fit(this.targetBounds);
  }

  /** Shows or hides one layer's neurons. */
  toggleExpand(id: string): void {
    const n = this.snapshot?.doc?.nodes.find((x) => x.id === id);
    if (!n || !canExpand(n)) return;
    if (this.expanded.has(id)) this.expanded.delete(id);
    else this.expanded.add(id);
    if (this.snapshot) this.show(this.snapshot);
  }

  private setAllExpanded(on: boolean): void {
    this.expanded.clear();
    if (on) for (const n of this.snapshot?.doc?.nodes ?? []) if (canExpand(n)) this.expanded.add(n.id);
    if (this.snapshot) this.show(this.snapshot);
  }

  /** The diagram as SVG text or a PNG data URL. */
  async exportDiagram(format: 'svg' | 'png'): Promise<string> {
    if (!this.snapshot?.doc) throw new Error('There is no graph to export: the file cannot be read as a network.');
    const svg = diagramSvg(this.renderer.svg, this.renderer.viewport, this.renderer.bounds(), graphCss);
    return format === 'svg' ? svg : svgToPng(svg);
  }
}

function contains(outer: { x: number; y: number; width: number; height: number }, inner: { x: number; y: number; width: number; height: number }): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function boundsOf(rects: { x: number; y: number; width: number; height: number }[]): { x: number; y: number; width: number; height: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x); minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width); maxY = Math.max(maxY, r.y + r.height);
  }
  return rects.length ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : { x: 0, y: 0, width: 1, height: 1 };
}
