/**
 * Draws nodes and edges as SVG, keyed by id so a re-render only touches what changed; nodes glide
 * to new positions. Knows nothing of messages or editing: the app wires events to it.
 */
import { s } from './dom';
import { edgeRoute } from './edgePath';
import type { Box, Point } from './geometry';
import { LINE, volumeSpace } from './viewModel';
import { drawVolume } from './volumeDrawing';
import { drawGroupBox } from './groupDrawing';
import type { ViewEdge, ViewNode } from './viewModel';


interface DrawnNode {
  g: SVGGElement;
  signature: string;
  view: ViewNode;
  /** What the signature was made of besides the view: selected, focused, the direction. */
  state?: string;
}

interface DrawnEdge {
  g: SVGGElement;
  path: SVGPathElement;
  label: SVGTextElement;
  neurons?: SVGGElement;
  view: ViewEdge;
  /** The weight colour and width drawn now ('' when none). */
  weightStyle: string;
  /** The accessible name and selection drawn now. */
  state?: string;
}

/** What the renderer needs to know of the selection (the SelectionModel answers it). */
export interface DrawnSelection {
  has(id: string): boolean;
  hasEdge(from: string, to: string): boolean;
  readonly focused: string | undefined;
}

/** Codicon glyphs per node type (drawn with the codicon font; left out of exports). */
const TYPE_ICONS: Record<string, string> = {
  input: '\uea6f', dense: '\uebd2', activation: '\ueb31', dropout: '\ueaf1', add: '\uea60', multiply: '\uea76', concat: '\uebab',
  conv2d: '\uebb7', maxpool2d: '\ueb4d', avgpool2d: '\ueb4d', globalavgpool2d: '\uebb6', flatten: '\ueb84', reshape: '\uea96', batchnorm: '\ueacd',
};
const PIN_GLYPH = '\ueba0';

/** The SVG graph: `svg` is the element to mount; `update` and `moveTo` redraw. */
export class GraphRenderer {
  /** The root element (`data-testid="graph"`). */
  readonly svg: SVGSVGElement;
  /** Receives the pan/zoom transform. */
  readonly viewport: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  /** Temporary drawings (a connection being dragged, the selection box). */
  readonly overlay: SVGGElement;
  private readonly nodes = new Map<string, DrawnNode>();
  private readonly edges = new Map<string, DrawnEdge>();
  private readonly places = new Map<string, Point>();
  private animation = 0;
  /** Set when an update added edges or resized nodes: paths need redrawing even if nothing moves. */
  private edgesDirty = false;
  private arrived?: () => void;
  private em = 13;
  /** Adds to a node's drawing after each redraw (the neuron heatmaps). */
  decorate?: (g: SVGGElement, v: ViewNode, em: number) => void;
  /** Which way the layers run: ports and edges follow it. */
  private direction: 'right' | 'down' = 'right';
  /** Called whenever the edges are redrawn because nodes moved (group frames follow them). */
  onEdgesDrawn?: () => void;

  constructor() {
    this.svg = s('svg', { class: 'graph', 'data-testid': 'graph', role: 'group', 'aria-roledescription': 'network graph', tabindex: 0 });
    this.viewport = s('g', { class: 'viewport' });
    this.edgeLayer = s('g', { class: 'edges' });
    this.nodeLayer = s('g', { class: 'nodes' });
    this.overlay = s('g', { class: 'overlay' });
    this.viewport.append(this.edgeLayer, this.nodeLayer, this.overlay);
    this.svg.append(this.viewport);
  }

  /** Where each node is drawn now (mid-animation too); changed through `placeNow` and `moveTo`. */
  get positions(): ReadonlyMap<string, Point> {
    return this.places;
  }

  /** The drawn node views, by id. */
  view(id: string): ViewNode | undefined {
    return this.nodes.get(id)?.view;
  }

  /** The node's SVG group. */
  element(id: string): SVGGElement | undefined {
    return this.nodes.get(id)?.g;
  }

  /** Makes node `id` the one Tab reaches (roving tabindex); returns its description. */
  focusNode(id: string | undefined): string | undefined {
    for (const g of this.svg.querySelectorAll('.node[tabindex="0"]')) g.setAttribute('tabindex', '-1');
    const el = id ? this.element(id) : undefined;
    if (!el) return undefined;
    el.setAttribute('tabindex', '0');
    return el.getAttribute('aria-label') ?? '';
  }

  /** Sets which way the layers run (input ports on the left or top); takes effect at the next update. */
  setDirection(direction: 'right' | 'down'): void {
    if (direction === this.direction) return;
    this.direction = direction;
    this.edgesDirty = true;
  }

  /** Which way the layers run. */
  get flow(): 'right' | 'down' {
    return this.direction;
  }

  /** Every drawn node id. */
  ids(): string[] {
    return [...this.nodes.keys()];
  }

  /** Redraws content; positions of new nodes come from `initial` (others keep theirs until `moveTo`). */
  update(nodes: ViewNode[], edges: ViewEdge[], selection: DrawnSelection, em: number, initial: ReadonlyMap<string, Point>): void {
    this.em = em;
    const focused = selection.focused;
    const keep = new Set<string>();
    for (const v of nodes) {
      keep.add(v.id);
      // The same view object (buildView's cache) in the same state: nothing to redraw, no signature to make.
      const state = `${selection.has(v.id)} ${focused === v.id} ${this.direction}`;
      const same = this.nodes.get(v.id);
      if (same && same.view === v && same.state === state) continue;
      const signature = JSON.stringify([v.title, v.subtitle, v.footer, v.paramsTitle, v.hover, v.neurons, v.volume, v.width, v.height, v.diagnostics.map((d) => d.severity + d.message), !!v.pinned, selection.has(v.id), focused === v.id, v.ariaLabel, this.direction]);
      let drawn = this.nodes.get(v.id);
      if (!drawn) {
        const g = s('g', { class: 'node', 'data-node-id': v.id, role: 'button', tabindex: -1 });
        drawn = { g, signature: '', view: v };
        this.nodes.set(v.id, drawn);
        this.nodeLayer.append(g);
        const p = initial.get(v.id) ?? { x: 0, y: 0 };
        this.places.set(v.id, { ...p });
        g.setAttribute('transform', `translate(${p.x},${p.y})`);
      }
      if (drawn.view.width !== v.width || drawn.view.height !== v.height || drawn.view.neurons !== v.neurons) this.edgesDirty = true;
      drawn.view = v;
      drawn.state = state;
      if (drawn.signature !== signature) {
        drawn.signature = signature;
        this.drawNode(drawn.g, v, selection.has(v.id), focused === v.id);
      }
    }
    for (const [id, d] of this.nodes) {
      if (!keep.has(id)) {
        d.g.remove();
        this.nodes.delete(id);
        this.places.delete(id);
      }
    }
    this.updateEdges(edges, selection);
  }

  /**
   * Redraws the edges' content: labels, the selected edge, weight colours (drawn through CSSOM,
   * which the webview's CSP allows, over the theme's stroke).
   */
  updateEdges(edges: ViewEdge[], selection: DrawnSelection): void {
    const keepEdges = new Set<string>();
    for (const e of edges) {
      keepEdges.add(e.key);
      let drawn = this.edges.get(e.key);
      if (!drawn) {
        const path = s('path', { class: 'edge-line' });
        const hit = s('path', { class: 'edge-hit' });
        const label = s('text', { class: 'edge-label', 'text-anchor': 'middle' });
        const g = s('g', { class: 'edge', 'data-edge': e.key, 'data-from': e.from, 'data-to': e.to }, hit, path, label);
        drawn = { g, path, label, view: e, weightStyle: '' };
        this.edgesDirty = true;
        this.edges.set(e.key, drawn);
        this.edgeLayer.append(g);
      }
      drawn.view = e;
      if (drawn.label.textContent !== e.label) drawn.label.textContent = e.label;
      // Only what changed is written: a property edit on 2,000 nodes touches a handful of edges.
      const aria = `${e.from} to ${e.to}, ${e.label}${e.cycle ? ', on a cycle' : ''}`;
      const state = `${aria}\n${selection.hasEdge(e.from, e.to)}`;
      if (drawn.state !== state) {
        drawn.state = state;
        drawn.g.setAttribute('aria-label', aria);
        drawn.g.classList.toggle('selected', selection.hasEdge(e.from, e.to));
        drawn.g.classList.toggle('cycle', !!e.cycle);
      }
      // Hovering an edge shows the weights into its layer (edgeWeights.ts: weightTitle).
      const tip = e.weightTitle ?? '';
      let title = drawn.g.querySelector(':scope > title');
      if ((title?.textContent ?? '') !== tip) {
        if (!tip) title?.remove();
        else (title ??= drawn.g.appendChild(s('title', {}))).textContent = tip;
      }
      const weightStyle = e.weightColour === undefined ? '' : `${e.weightColour} ${e.weightWidth ?? 1}`;
      if (drawn.weightStyle !== weightStyle) {
        drawn.weightStyle = weightStyle;
        if (e.weightColour === undefined) {
          drawn.path.style.removeProperty('stroke');
          drawn.path.style.removeProperty('stroke-width');
        } else {
          drawn.path.style.stroke = e.weightColour;
          drawn.path.style.strokeWidth = String(e.weightWidth ?? 1);
        }
      }
    }
    for (const [key, d] of this.edges) {
      if (!keepEdges.has(key)) {
        d.g.remove();
        this.edges.delete(key);
      }
    }
    if (this.edgesDirty) this.drawEdges();
  }

  private drawNode(g: SVGGElement, v: ViewNode, selected: boolean, focused: boolean): void {
    const em = this.em;
    const lineH = LINE * em;
    const pad = em / 2;
    g.replaceChildren();
    g.setAttribute('class', `node type-${v.node.type}${selected ? ' selected' : ''}${focused ? ' focused' : ''}${v.diagnostics.some((d) => d.severity === 'error') ? ' has-error' : ''}${v.pinned ? ' pinned' : ''}`);
    g.setAttribute('aria-label', v.ariaLabel);
    g.setAttribute('aria-pressed', String(selected));
    g.append(s('title', { class: 'node-hover' }, v.hover));
    g.append(s('rect', { class: 'node-box', width: v.width, height: v.height, rx: em * 0.4 }));
    g.append(s('rect', { class: 'node-stripe', width: em * 0.3, height: v.height, rx: em * 0.15 }));
    const x = em;
    const title = s('text', { class: 'node-title', x: x + em * 1.2, y: pad + lineH * 0.75 }, v.title);
    const typeIcon = s('text', { class: 'node-icon glyph', x, y: pad + lineH * 0.75, 'aria-hidden': 'true' }, TYPE_ICONS[v.node.type] ?? '?');
    const sub = s('text', { class: 'node-sub', x, y: pad + lineH * 1.75 }, v.subtitle);
    const footY = v.height - pad - lineH * 0.25;
    const footer = s('text', { class: 'node-footer', x, y: footY }, v.footer);
    if (v.paramsTitle) footer.append(s('title', {}, v.paramsTitle));
    g.append(typeIcon, title, sub, footer);
    if (v.volume) {
      const top = pad + lineH * 2 + (volumeSpace(v.volume, em) - v.volume.boxHeight) / 2;
      g.append(drawVolume(v.volume, (v.width - v.volume.boxWidth) / 2, top, `Output ${v.volume.shape.join(' × ')} (height × width × channels)`));
    }
    if (v.neurons > 0) {
      const top = pad + lineH * 2 + em * 0.2;
      const r = em * 0.55;
      for (let i = 0; i < v.neurons; i++) {
        const cy = top + i * 1.6 * em + r + em * 0.2;
        const stub = v.node.type === 'input' ? `M${v.width / 2 + r},${cy}H${v.width}` : `M0,${cy}H${v.width / 2 - r}M${v.width / 2 + r},${cy}H${v.width}`;
        g.append(s('path', { class: 'neuron-stub', d: stub }));
        g.append(s('circle', { class: 'neuron', cx: v.width / 2, cy, r }, s('title', {}, `${v.id}[${i}]`)));
      }
    }
    const down = this.direction === 'down';
    if (v.node.type !== 'input') g.append(s('circle', { class: 'port port-in', 'data-port': 'in', cx: down ? v.width / 2 : 0, cy: down ? 0 : v.height / 2, r: em * 0.4 }));
    g.append(s('circle', { class: 'port port-out', 'data-port': 'out', cx: down ? v.width / 2 : v.width, cy: down ? v.height : v.height / 2, r: em * 0.4 }));
    if (v.group) drawGroupBox(g, v, em);
    if (v.pinned) g.append(s('text', { class: 'pin-mark glyph', x: v.width - em * 1.6, y: pad + lineH * 0.75 }, PIN_GLYPH, s('title', {}, 'Pinned: dragged into place. Unpin from the inspector.')));
    if (v.diagnostics.length) {
      const worst = v.diagnostics.some((d) => d.severity === 'error') ? 'error' : v.diagnostics.some((d) => d.severity === 'warning') ? 'warning' : 'info';
      const badge = s('g', { class: `badge badge-${worst}`, 'data-testid': 'node-badge', transform: `translate(${v.width - em * 0.2},${-em * 0.2})` },
        s('circle', { r: em * 0.7 }),
        s('text', { 'text-anchor': 'middle', y: em * 0.35 }, worst === 'error' ? '!' : worst === 'warning' ? '!' : 'i'),
        s('title', {}, v.diagnostics.map((d) => `${d.severity}: ${d.message}`).join('\n')));
      g.append(badge);
    }
    this.decorate?.(g, v, em);
  }

  /** Recomputes every edge path from the current node positions. */
  drawEdges(): void {
    this.edgesDirty = false;
    this.onEdgesDrawn?.();
    const boxes: Box[] = [];
    for (const [id, p] of this.positions) {
      const v = this.nodes.get(id)?.view;
      if (v) boxes.push({ x: p.x, y: p.y, width: v.width, height: v.height });
    }
    for (const d of this.edges.values()) {
      const a = this.nodes.get(d.view.from);
      const b = this.nodes.get(d.view.to);
      const pa = this.positions.get(d.view.from);
      const pb = this.positions.get(d.view.to);
      if (!a || !b || !pa || !pb) continue;
      const route = edgeRoute({ ...pa, width: a.view.width, height: a.view.height }, { ...pb, width: b.view.width, height: b.view.height }, boxes, this.em, this.direction);
      d.path.setAttribute('d', route.d);
      (d.g.firstChild as SVGPathElement).setAttribute('d', route.d);
      d.label.setAttribute('x', String(route.labelX));
      d.label.setAttribute('y', String(route.labelY));
      this.drawNeuronEdges(d, a.view, b.view, pa, pb);
    }
  }

  /** Between two expanded layers, draw every neuron-to-neuron connection (the lectures' picture). */
  private drawNeuronEdges(d: DrawnEdge, a: ViewNode, b: ViewNode, pa: Point, pb: Point): void {
    // Neurons stand in a column, so their connections are drawn only between layers side by side.
    if (!(a.neurons > 0 && b.neurons > 0) || this.direction === 'down') {
      d.neurons?.remove();
      d.neurons = undefined;
      d.g.classList.remove('dense-edge');
      return;
    }
    d.g.classList.add('dense-edge');
    const em = this.em;
    const lineH = LINE * em;
    const top = em / 2 + lineH * 2 + em * 0.2 + em * 0.75;
    // Every neuron to every neuron, drawn in the gap between the boxes (the boxes would hide the
    // rest); stubs inside each box lead from the circles to its edges.
    let segs = '';
    for (let i = 0; i < a.neurons; i++) {
      for (let j = 0; j < b.neurons; j++) {
        segs += `M${pa.x + a.width},${pa.y + top + i * 1.6 * em}L${pb.x},${pb.y + top + j * 1.6 * em}`;
      }
    }
    if (!d.neurons) {
      d.neurons = s('g', { class: 'neuron-edges' }, s('path', {}));
      d.g.append(d.neurons);
    }
    (d.neurons.firstChild as SVGPathElement).setAttribute('d', segs);
  }

  /** Puts nodes at `places` at once (a drag in progress), edges following. */
  placeNow(places: ReadonlyMap<string, Point>): void {
    for (const [id, p] of places) {
      this.places.set(id, { x: p.x, y: p.y });
      this.nodes.get(id)?.g.setAttribute('transform', `translate(${p.x},${p.y})`);
    }
    this.drawEdges();
  }

  /** Moves nodes to `target`, gliding over `ms` (0: at once); resolves when they arrived. */
  moveTo(target: ReadonlyMap<string, Point>, ms = 220): Promise<void> {
    cancelAnimationFrame(this.animation);
    this.arrived?.();
    // Nodes already in place are left alone (a property edit moves nothing).
    const moving = new Map<string, Point>();
    for (const [id, to] of target) {
      const p = this.positions.get(id);
      if (!p || p.x !== to.x || p.y !== to.y) moving.set(id, to);
    }
    if (moving.size === 0) {
      if (this.edgesDirty) this.drawEdges();
      return Promise.resolve();
    }
    target = moving;
    const from = new Map([...this.positions].map(([id, p]) => [id, { ...p }]));
    const apply = (t: number): void => {
      const k = t >= 1 ? 1 : 1 - Math.pow(1 - t, 3);
      for (const [id, to] of target) {
        const f = from.get(id) ?? to;
        const p = { x: f.x + (to.x - f.x) * k, y: f.y + (to.y - f.y) * k };
        this.places.set(id, p);
        this.nodes.get(id)?.g.setAttribute('transform', `translate(${p.x},${p.y})`);
      }
      this.drawEdges();
    };
    if (ms <= 0 || matchMedia('(prefers-reduced-motion: reduce)').matches) {
      apply(1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // A newer move cancels this one; its promise still resolves (the nodes are on their way).
      this.arrived = resolve;
      const start = performance.now();
      const step = (now: number): void => {
        const t = Math.min(1, (now - start) / ms);
        apply(t);
        if (t < 1) this.animation = requestAnimationFrame(step);
        else {
          this.arrived = undefined;
          resolve();
        }
      };
      this.animation = requestAnimationFrame(step);
    });
  }

  /** Bounding box of all nodes in graph coordinates. */
  bounds(): { x: number; y: number; width: number; height: number } {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [id, p] of this.positions) {
      const v = this.nodes.get(id)?.view;
      if (!v) continue;
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x + v.width);
      maxY = Math.max(maxY, p.y + v.height);
    }
    if (minX === Infinity) return { x: 0, y: 0, width: 1, height: 1 };
    return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  }
}
