/**
 * The editor view's wiring: one per webview. It owns the latest snapshot, the selection model,
 * the expanded layers and the latest training weights, builds the view model from them, and
 * connects the parts: the renderer draws the view model, the layout policy places it, the
 * inspector and outline show it, and the interactions turn user actions into selection changes
 * and intents. It never edits text itself; the host answers every intent with a new snapshot.
 */
import type { Channel, DiagramTheme, DocumentSnapshot, EditorRendered, FromEditor, IntentBody, JsonValue, LayerWeights, ToEditor, TrainingUpdate } from '../../src/protocol';
import type { NetworkNode } from '../../src/model/types';
import { h } from './dom';
import { graphToolbar } from './graphToolbar';
import { withEdgeWeights } from './edgeWeights';
import { errorStateView } from './errorState';
import { DirectionButton } from './directionButton';
import { FindBox } from './findBox';
import { KeyboardConnect } from './keyboardConnect';
import { revealNode } from './revealNode';
import { diagramSvg, svgToPng } from './exportDiagram';
import { GraphRenderer } from './graphRenderer';
import type { Point } from './geometry';
import { InspectorPane } from './inspectorPane';
import { attachInteractions } from './interactions';
import { LayoutClient } from './layoutClient';
import { LayoutPolicy, QUICK_LAYOUT_ALWAYS_NODES } from './layoutPolicy';
import type { LayoutReport } from './layoutPolicy';
import { Minimap } from './minimap';
import { Outline } from './outline';
import { createPalette } from './palette';
import type { PaletteEntry } from './palette';
import { SelectionModel, selectionAnnouncement } from './selection';
import { GroupController } from './groupActions';
import { TextMeasure } from './textMeasure';
import { buildView, canExpand } from './viewModel';
import { NeuronHeatmaps, type NeuronFocus } from './neuronHeatmaps';
import type { ViewCache, ViewEdge, ViewNode } from './viewModel';
import { SMALLEST_NODE_TEXT_EM } from './readableScale';
import { Viewport } from './viewport';
import graphCss from './graph.css';

/** What the editor reports after drawing a version (tests, the bench and the host's log wait on it): the probe's fields. */
export type RenderedReport = Omit<EditorRendered, 'type'>;

/** How the editor is started: where the layout worker is, and where its reports go. */
export interface EditorOptions {
  workerUrl: string;
  reportRendered(report: RenderedReport): void;
}

/** The running editor; one per webview. */
export class EditorApp {
  /** What is selected; the graph, inspector, outline and host follow its changes. */
  readonly selection = new SelectionModel();
  private readonly renderer = new GraphRenderer();
  private readonly viewport: Viewport;
  /** The latest snapshot from the host. */
  private snapshot?: DocumentSnapshot;
  /** Nodes drawn as neuron columns. */
  private readonly expanded = new Set<string>();
  /** The latest training weights (edges into their layers are coloured by them). */
  private weights: Readonly<Record<string, LayerWeights>> = {};
  private view: { nodes: ViewNode[]; edges: ViewEdge[] } = { nodes: [], edges: [] };
  /** Node views of the last build, reused for nodes an edit left alone. */
  private readonly viewCache: ViewCache = new Map();
  /** Neuron heatmaps of two-input networks, drawn in their nodes; a hovered one goes to `neuronHover`. */
  readonly neurons = new NeuronHeatmaps((f) => this.neuronHover?.(f));
  neuronHover?: (focus: NeuronFocus | undefined) => void;
  /** Set while the graph alone is drawn again (heatmaps make room, the canvas was resized): the inspector is left as it is. */
  private graphOnly = false;
  private readonly minimap: Minimap;
  private readonly layout: LayoutPolicy;
  private readonly text = new TextMeasure();
  private readonly outline = new Outline();
  /** Groups: boxes for collapsed ones, frames around expanded ones, and the group commands. */
  private readonly groups: GroupController;
  private readonly canvas = h('div', { class: 'canvas' });
  private readonly inspector: InspectorPane;
  private readonly title = h('span', { class: 'title' });
  private readonly params = h('span', { class: 'params', 'data-testid': 'toolbar-params', 'aria-live': 'polite' });
  private readonly notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'assertive', hidden: true });
  private readonly live = h('div', { class: 'sr-only', 'aria-live': 'polite' });
  /** The nodes to select once a snapshot has them (nodes just added, pasted or renamed). */
  private pendingSelect?: readonly string[];
  /** The node to scroll into view once drawn at its place. */
  private revealWhenDrawn?: string;
  private readonly find: FindBox;
  private readonly direction = new DirectionButton((direction) => void this.send({ type: 'setLayoutDirection', direction }));
  private readonly keyboardConnect: KeyboardConnect;
  /** Set while a snapshot is drawn (which draws the selection too). */
  private drawing = false;
  /** The last version drawn complete (quick layout or final). */
  private drawnVersion = -1;
  private noticeTimer?: ReturnType<typeof setTimeout>;
  private interactive = false;
  /** Set while a large graph's first drawing is made: its inspector and outline wait a frame. */
  private sideAfterDrawing = false;

  constructor(private readonly root: HTMLElement, private readonly channel: Channel<FromEditor, ToEditor>, private readonly options: EditorOptions) {
    this.viewport = new Viewport(this.renderer.svg, this.renderer.viewport, () => this.minimap?.drawFrame());
    this.minimap = new Minimap(this.viewport);
    this.renderer.decorate = (g, v, em) => this.neurons.decorate(g, v, em);
    this.groups = new GroupController(this.renderer, this.selection, (intent) => this.send(intent), (m, level) => this.showNotice(m, level));
    this.inspector = new InspectorPane({
      setProperty: (id, key, value) => this.send({ type: 'setProperty', id, key, value }),
      rename: (oldId, newId) => {
        this.pendingSelect = [newId];
        this.send({ type: 'rename', oldId, newId });
      },
      remove: (ids) => this.send({ type: 'removeNodes', ids }),
      unpin: (ids) => this.send({ type: 'unpin', ids }),
      toggleExpand: (id) => this.toggleExpand(id),
      setGroupLabel: (id, label) => void this.send({ type: 'setGroupLabel', id, label }),
      toggleGroup: (id) => this.groups.toggle(id),
      ungroup: (id) => void this.send({ type: 'ungroup', id }),
      setTrainingField: (path, value) => void this.send({ type: 'setTrainingField', path, value }),
      previewCsv: (path) => channel.post({ type: 'previewCsv', path }),
      addTrainingData: (csvFile) => channel.post({ type: 'addTrainingData', ...(csvFile ? { csvFile } : {}) }),
    }, (m) => channel.post(m), (m) => this.showNotice(m, 'error'));
    const client = new LayoutClient(options.workerUrl);
    // Warm the worker while the host prepares the first snapshot.
    client.start().catch(() => undefined);
    this.layout = new LayoutPolicy(client, this.renderer, this.viewport, (rects, bounds) => this.minimap.show(rects, bounds));
    // Each part that shows the selection subscribes to it.
    this.selection.onChange(() => this.drawSelection());
    this.selection.onChange(() => this.renderInspector());
    this.selection.onChange(() => this.renderOutline());
    channel.on('document', (m) => this.show(m.snapshot));
    channel.on('action', (m) => {
      if (m.action === 'fitView') this.fit();
      else if (m.action === 'zoomIn') this.viewport.zoom(1.25);
      else if (m.action === 'zoomOut') this.viewport.zoom(0.8);
      else this.renderer.svg.focus();
    });
    channel.on('notice', (m) => this.showNotice(m.message, m.level));
    channel.on('csvPreview', (m) => {
      this.inspector.setCsvPreview(m.preview);
      this.renderInspector();
    });
    channel.on('selectNode', (m) => this.reveal(m.id));
    this.find = new FindBox({
      nodes: () => this.snapshot?.doc && { nodes: this.snapshot.doc.nodes, order: this.snapshot.order },
      reveal: (id) => this.reveal(id),
      focusGraph: () => this.renderer.svg.focus(),
    });
    this.find.attach(document);
    this.keyboardConnect = new KeyboardConnect({
      renderer: this.renderer,
      doc: () => this.snapshot?.doc,
      order: () => this.snapshot?.order,
      show: (id) => revealNode(this.renderer, this.viewport, id),
      announce: (text) => { this.live.textContent = text; },
      connect: (from, to) => void this.send({ type: 'connect', from, to }),
    });
    channel.on('exportDiagram', (m) => {
      void this.exportDiagram(m.format, m.theme).then(
        (value) => channel.post({ type: 'response', requestId: m.requestId, ok: true, value }),
        (e: unknown) => channel.post({ type: 'response', requestId: m.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    });
  }

  /** Builds the frame (toolbar, palette, canvas, inspector). */
  private buildFrame(): void {
    if (this.root.querySelector('.canvas')) return;
    this.root.className = '';
    const toolbar = graphToolbar(this.title, this.params, this.direction.el, { zoom: (f) => this.viewport.zoom(f), fit: () => this.fit(),
      setAllExpanded: (on) => this.setAllExpanded(on), group: () => this.groups.group(), ungroup: () => this.groups.ungroup() });
    this.canvas.append(this.renderer.svg, this.minimap.svg, this.find.el, this.notice, this.live);
    const skip = h('a', { href: '#', class: 'skip-link', 'data-testid': 'skip-to-graph' }, 'Skip to graph');
    skip.addEventListener('click', (e) => { e.preventDefault(); this.renderer.svg.focus(); });
    const side = h('aside', { class: 'inspector', 'aria-label': 'Inspector' }, this.inspector.el,
      h('section', { class: 'outline' }, h('h2', { id: 'outline-heading' }, 'Outline'), this.outline.el));
    this.outline.el.setAttribute('aria-labelledby', 'outline-heading');
    this.root.replaceChildren(skip, toolbar, createPalette((p) => this.addFromPalette(p)), this.canvas, side);
    // The graph and outline elements survive an error state; their handlers are attached once.
    if (!this.interactive) {
      this.interactive = true;
      attachInteractions({
        renderer: this.renderer,
        viewport: this.viewport,
        selection: this.selection,
        outline: this.outline.el,
        doc: () => this.snapshot?.doc,
        order: () => this.snapshot?.order,
        send: (intent) => void this.send(intent),
        showNotice: (message, level) => this.showNotice(message, level),
        addFromPalette: (p, opts) => this.addFromPalette(p, opts),
        fit: () => this.fit(),
        toggleExpand: (id) => this.toggleExpand(id),
        keyboardConnect: this.keyboardConnect,
        groups: this.groups,
      });
    }
  }

  /** Shows a snapshot: the error state, or the graph with everything around it. */
  show(snap: DocumentSnapshot): void {
    const started = performance.now();
    this.snapshot = snap;
    const doc = snap.doc;
    if (!doc) {
      this.layout.reset();
      this.root.className = 'error';
      this.root.replaceChildren(errorStateView(snap, () => this.channel.post({ type: 'openTextEditor' })));
      this.rendered(snap.version, 0, false);
      return;
    }
    this.buildFrame();
    const ids = this.groups.refresh(doc);
    this.drawing = true;
    try {
      this.selection.retain((id) => ids.has(id), (from, to) => doc.edges.some((e) => e.from === from && e.to === to));
      const pending = this.pendingSelect?.filter((id) => ids.has(id));
      if (pending?.length) {
        this.selection.clear();
        this.selection.add(pending);
        this.revealWhenDrawn = pending[pending.length - 1];
        this.pendingSelect = undefined;
      }
    } finally {
      this.drawing = false;
    }
    this.text.readFont(this.renderer.svg);
    this.view = this.groups.collapse(snap, this.text.width, this.text.em, buildView(snap, this.expanded, this.text.width, this.text.em, this.weights, this.neurons.counts(), this.viewCache));
    const plan = this.layout.plan(this.view, doc.layout?.pinned ?? {}, this.text.em, doc.layout?.direction ?? 'auto', this.groups.expandedGroups());
    this.renderer.update(this.view.nodes, this.view.edges, this.selection, this.text.em, plan.initial);
    this.groups.drawFrames(this.text.em);
    this.title.textContent = doc.name ?? snap.fileName;
    this.renderer.svg.setAttribute('aria-label', `${doc.name ?? snap.fileName}: network graph of ${doc.nodes.length} node${doc.nodes.length === 1 ? '' : 's'}`);
    this.find.refresh();
    this.params.textContent = snap.totalParams === undefined ? '' : `${snap.totalParams.toLocaleString('en-US')} parameters`;
    // A large graph's first drawing is on screen a frame before its inspector (~50 ms at 500 nodes) and outline.
    this.sideAfterDrawing = this.drawnVersion < 0 && this.view.nodes.length >= QUICK_LAYOUT_ALWAYS_NODES;
    if (!this.sideAfterDrawing) this.renderSide();
    this.renderer.svg.setAttribute('data-version', String(snap.version));
    this.direction.update(doc.layout?.direction ?? 'auto', this.renderer.flow);
    this.layout.settle(plan, this.report(snap.version, started));
  }

  /** A training update: new neuron heatmaps repaint in place; when they need more or less room the graph is drawn again. */
  training(u: TrainingUpdate): void { if (this.neurons.apply(u)) this.tilesChanged(); }

  /** Neuron heatmaps turned on or off (the user's setting): off, the tiles go at once. */
  showNeuronHeatmaps(on: boolean): void { if (this.neurons.setEnabled(on)) this.tilesChanged(); }

  private tilesChanged(): void {
    if (!this.snapshot?.doc) return;
    // The inspector is unchanged by heatmaps and is the costly part of a redraw (the view streams meanwhile).
    this.graphOnly = true;
    try { this.show(this.snapshot); } finally { this.graphOnly = false; }
    // Nodes whose box kept its size (neuron columns) were not redrawn: their tiles are added here.
    for (const id of this.renderer.ids()) {
      const g = this.renderer.element(id), v = this.renderer.view(id);
      if (g && v) this.neurons.decorate(g, v, this.text.em);
    }
  }

  /** Colours the edges by the latest training weights ({}: the theme's colours again). */
  showWeights(weights: Readonly<Record<string, LayerWeights>>): void {
    this.weights = weights;
    this.inspector.setWeights(weights);
    if (!this.snapshot?.doc) return;
    this.view = { nodes: this.view.nodes, edges: withEdgeWeights(this.view.edges, weights) };
    this.renderer.updateEdges(this.view.edges, this.selection);
  }

  /** How the layout policy reports the drawing of `version`. */
  private report(version: number, started: number): LayoutReport {
    return {
      drawn: (at) => this.drawn(version, at - started),
      rendered: (laidOut, at, layoutMs) => this.rendered(version, at - started, laidOut, layoutMs),
      failed: (message) => this.showNotice(message, 'error'),
    };
  }

  /** Reports a version drawn complete (every node placed, none overlapping), maybe before ELK's places. */
  private drawn(version: number, ms: number): void {
    if (this.drawnVersion === version) return;
    this.drawnVersion = version;
    document.body.setAttribute('data-drawn-version', String(version));
    document.body.setAttribute('data-drawn-ms', String(Math.round(ms * 10) / 10));
    document.dispatchEvent(new CustomEvent('nc-drawn', { detail: { version, ms } }));
    if (this.sideAfterDrawing) requestAnimationFrame(() => this.renderSide());
    this.sideAfterDrawing = false;
  }

  /** Reports a version at its final places (to tests, the bench and the host). */
  private rendered(version: number, ms: number, laidOut: boolean, layoutMs?: number): void {
    this.drawn(version, ms);
    if (this.revealWhenDrawn && revealNode(this.renderer, this.viewport, this.revealWhenDrawn)) this.revealWhenDrawn = undefined;
    // On <body>, so tests and the bench see it in the error state too.
    document.body.setAttribute('data-rendered-version', String(version));
    document.dispatchEvent(new CustomEvent('nc-rendered', { detail: { version, ms, laidOut, layoutMs } }));
    const textPx = this.snapshot?.doc ? Math.round(this.text.em * SMALLEST_NODE_TEXT_EM * this.viewport.t.scale * 100) / 100 : undefined;
    this.options.reportRendered({ version, nodes: this.snapshot?.doc ? this.view.nodes.length : 0, errorState: !this.snapshot?.doc, ms: Math.round(ms * 10) / 10, ...(textPx === undefined ? {} : { textPx }) });
  }

  /** The graph's part of a selection change: highlights, the Tab stop, the screen-reader line. */
  private drawSelection(): void {
    if (!this.snapshot?.doc || this.drawing) return;
    this.renderer.update(this.view.nodes, this.view.edges, this.selection, this.text.em, new Map());
    const focused = this.selection.focused;
    const label = this.renderer.focusNode(focused);
    if (label !== undefined) this.live.textContent = selectionAnnouncement(label, this.selection.has(focused as string), this.selection.size);
  }

  private renderSide(): void {
    if (!this.graphOnly) this.renderInspector();
    this.renderOutline();
  }

  private renderInspector(): void {
    const snap = this.snapshot;
    if (!snap?.doc || this.drawing) return;
    this.inspector.render(snap, this.selection.ids, this.expanded);
  }

  private renderOutline(): void {
    const snap = this.snapshot;
    if (!snap?.doc || this.drawing) return;
    this.outline.render(snap.order ?? snap.doc.nodes.map((n) => n.id), this.view.nodes, this.selection);
  }

  /** Selects node `id` and scrolls it into view (find, the Problems panel, the summary). */
  reveal(node: string): void {
    // A node inside a collapsed group is shown by its group's box.
    const id = this.groups.shownAs(node);
    if (!this.renderer.view(id)) return;
    this.selection.select(id);
    revealNode(this.renderer, this.viewport, id);
  }

  /** Sends an intent; a refusal shows as a notice. */
  send(intent: IntentBody): Promise<JsonValue | undefined> {
    // Pasted nodes are selected and shown once drawn, as an added node is.
    if (intent.type === 'paste') this.pendingSelect = intent.nodes.map((n) => n.id);
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
    const after = opts.at ? opts.after : opts.after ?? (node.type === 'input' ? undefined : this.selection.focused);
    this.pendingSelect = [node.id];
    void this.send({ type: 'addNode', node, ...(after ? { after } : {}), ...(opts.at ? { position: { x: Math.round(opts.at.x), y: Math.round(opts.at.y) } } : {}) });
  }

  /** Fits the whole graph into view. */
  fit(): void {
    // A canvas much changed (the training view docked) gets a layout made for it, fitted once placed;
    // the inspector is the same at any size (rebuilt, it cost ~50 ms as a run started and lost what was being typed).
    if (!this.snapshot?.doc || !this.layout.resized()) return this.layout.fit();
    this.graphOnly = true;
    try { this.show(this.snapshot); } finally { this.graphOnly = false; }
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

  /** The diagram as SVG text or a PNG data URL, in `theme`'s colours, without selection or focus, with a legend when colours carry meaning. */
  async exportDiagram(format: 'svg' | 'png', theme: DiagramTheme = 'light'): Promise<string> {
    if (!this.snapshot?.doc) throw new Error('There is no graph to export: the file cannot be read as a network.');
    const svg = diagramSvg(this.renderer.svg, this.renderer.viewport, this.renderer.bounds(), graphCss, theme);
    return format === 'svg' ? svg : svgToPng(svg);
  }
}
