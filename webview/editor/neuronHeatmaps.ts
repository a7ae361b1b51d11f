/**
 * Neuron heatmaps in the graph (two-input networks, while and after training): each neuron of the
 * input, each dense layer and the output shows what it computes over the input plane as a small
 * tile in its node, in the decision boundary's colours, repainted with each 'neurons' update (one
 * canvas a node, painted at most once a frame: no DOM churn while streaming). Hovering a tile
 * names the neuron to `onHover` (the training view shows it large in place of the boundary).
 */
import type { NeuronLayer, TrainingUpdate } from '../../src/protocol';
import { s } from './dom';
import { LEVEL_LUT, neuronAsBoundary } from '../shared/neuronColours';
import { tilesOf, type Tile } from './neuronTiles';
import { LINE, type ViewNode } from './viewModel';

/** A neuron the pointer is over, with its grid as a one-output boundary grid. */
export interface NeuronFocus {
  id: string;
  index: number;
  label: string;
  grid: ReturnType<typeof neuronAsBoundary>;
}

type NeuronsUpdate = Extract<TrainingUpdate, { kind: 'neurons' }>;

interface Painted {
  id: string;
  canvas: HTMLCanvasElement;
  tiles: Tile[];
  x0: number;
  y0: number;
}

/**
 * Tiles painted in one frame at most (a node's tiles are painted together, the rest in the next
 * frames): a 2-16-16-1 network's 35 come in two frames; all in one made the frame of a run's first
 * heatmaps one of its longest main-thread tasks.
 */
export const TILES_PER_FRAME = 20;

/** The heatmaps of the latest 'neurons' update, drawn into the graph's node groups. */
export class NeuronHeatmaps {
  private latest?: NeuronsUpdate;
  private layers = new Map<string, NeuronLayer>();
  private readonly painted = new Map<string, Painted>();
  /** Nodes whose tiles are still to be painted (in the order they are drawn). */
  private readonly pending = new Set<string>();
  private frame = 0;
  private hovered?: { id: string; index: number };
  private on = true;
  /** One tile's pixels, reused by every paint. */
  private scratch?: HTMLCanvasElement;
  private image?: ImageData;
  /** Paints done (tests wait for a change). */
  paints = 0;
  /** Told after the frame that painted the last pending tiles (the editor's test probe). */
  onPainted?: () => void;
  private reported?: { key: string; nodes: { id: string; tiles: number; varied: number }[] };

  constructor(private readonly onHover: (focus: NeuronFocus | undefined) => void) {}

  /** Tiles shown per node id (the view model makes room for them). */
  counts(): Map<string, number> {
    return new Map([...this.layers].map(([id, l]) => [id, l.levels.length / ((this.latest?.size ?? 1) ** 2)]));
  }

  /** Whether heatmaps are drawn (the user's setting); off, updates are ignored. */
  get enabled(): boolean {
    return this.on;
  }

  /** Turns heatmaps on or off (off drops the tiles; on, the next update brings them); true when the graph must be laid out again. */
  setEnabled(on: boolean): boolean {
    if (on === this.on) return false;
    this.on = on;
    return !on && this.apply({ kind: 'reset', runId: 0, message: '' });
  }

  /** Takes one training update; true when the tiles per node changed (the graph must be laid out again). */
  apply(u: TrainingUpdate): boolean {
    if (u.kind !== 'neurons' && u.kind !== 'reset') return false;
    if (u.kind === 'neurons' && !this.on) return false;
    const before = JSON.stringify([...this.counts()]);
    if (u.kind === 'reset') {
      this.latest = undefined;
      this.layers = new Map();
      if (this.hovered) this.leave();
    } else {
      this.latest = u;
      this.layers = new Map(u.layers.map((l) => [l.id, l]));
      if (this.hovered) this.enter(this.hovered.id, this.hovered.index);
    }
    const changed = JSON.stringify([...this.counts()]) !== before;
    if (!changed) this.schedule();
    return changed;
  }

  /** Adds the heatmap canvas to node `v`'s group (called whenever the renderer redraws the node). */
  decorate(g: SVGGElement, v: ViewNode, em: number): void {
    const old = g.querySelector(':scope > .neuron-heatmaps');
    const layer = this.layers.get(v.id);
    const count = layer && this.latest ? layer.levels.length / this.latest.size ** 2 : 0;
    if (!layer || count < 1 || v.volume) {
      old?.remove();
      this.painted.delete(v.id);
      return;
    }
    // The same tiles in the same box are kept (a relayout decorates each node once or twice):
    // only repainted, and like every paint, in the next frame, not in the update's task.
    const key = `${count} ${v.width} ${v.neurons} ${em}`;
    const kept = this.painted.get(v.id);
    if (old && kept && old.contains(kept.canvas) && old.getAttribute('data-key') === key) return this.schedule();
    old?.remove();
    const tiles = tilesOf(count, v, em, em / 2 + LINE * em * 2);
    const x0 = Math.min(...tiles.map((t) => t.x)), y0 = Math.min(...tiles.map((t) => t.y));
    const w = Math.max(...tiles.map((t) => t.x + t.side)) - x0, h = Math.max(...tiles.map((t) => t.y + t.side)) - y0;
    const canvas = document.createElement('canvas');
    canvas.className = 'neuron-heatmap';
    canvas.setAttribute('data-testid', 'neuron-heatmap');
    canvas.setAttribute('data-node', v.id);
    canvas.setAttribute('data-tiles', String(count));
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${v.id}: ${count} neuron heatmap${count === 1 ? '' : 's'} over the input plane${layer.units > count ? ` (the first ${count} of ${layer.units})` : ''}`);
    canvas.width = Math.round(w * 2);
    canvas.height = Math.round(h * 2);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    canvas.style.display = 'block';
    canvas.style.cursor = 'crosshair';
    const painted: Painted = { id: v.id, canvas, tiles, x0, y0 };
    canvas.addEventListener('mousemove', (e) => {
      const r = canvas.getBoundingClientRect();
      const k = w / Math.max(1, r.width);
      const px = (e.clientX - r.left) * k + x0, py = (e.clientY - r.top) * k + y0;
      const i = tiles.findIndex((t) => px >= t.x && px <= t.x + t.side && py >= t.y && py <= t.y + t.side);
      if (i < 0) this.leave();
      else if (this.hovered?.id !== v.id || this.hovered.index !== i) this.enter(v.id, i);
    });
    canvas.addEventListener('mouseleave', () => this.leave());
    const fo = s('foreignObject', { class: 'neuron-heatmaps', 'data-key': key, x: x0, y: y0, width: w, height: h });
    fo.append(canvas);
    // Above the neuron circles, below the ports and badges.
    const port = g.querySelector(':scope > .port');
    if (port) g.insertBefore(fo, port);
    else g.append(fo);
    this.painted.set(v.id, painted);
    this.schedule();
  }

  /** Forgets nodes no longer drawn. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.painted.keys()) if (!ids.has(id)) { this.painted.delete(id); this.pending.delete(id); }
  }

  /** Every node's tiles are painted again, from the next frame on. */
  private schedule(): void {
    for (const id of this.painted.keys()) this.pending.add(id);
    this.request();
  }

  /** Paints pending nodes in the next frame, up to TILES_PER_FRAME tiles (at least one node); the rest in the frames after. */
  private request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      let tiles = 0;
      for (const id of [...this.pending]) {
        const p = this.painted.get(id);
        if (p && tiles > 0 && tiles + p.tiles.length > TILES_PER_FRAME) break;
        this.pending.delete(id);
        if (!p?.canvas.isConnected) continue;
        this.paint(p);
        tiles += p.tiles.length;
      }
      if (this.pending.size > 0) this.request();
      else this.onPainted?.();
    });
  }

  /**
   * The tiles as drawn, per node: how many, and how many are not one flat colour (read back from
   * the canvases, so only when asked: the editor's test probe asks when no run streams).
   */
  drawnTiles(): { id: string; tiles: number; varied: number }[] {
    const shown = [...this.painted.values()].filter((p) => p.canvas.isConnected);
    const key = `${this.paints} ${shown.map((p) => p.id).join(' ')}`;
    if (this.reported?.key === key) return this.reported.nodes;
    const nodes = shown.map((p) => {
      const ctx = p.canvas.getContext('2d');
      const varied = p.tiles.filter((t) => {
        // The tile's inside (its 2× pixels less the outline), all one colour or not.
        const d = ctx?.getImageData(Math.round((t.x - p.x0) * 2) + 2, Math.round((t.y - p.y0) * 2) + 2, Math.max(1, Math.floor(t.side * 2) - 4), Math.max(1, Math.floor(t.side * 2) - 4)).data;
        return !!d && d.some((v, i) => v !== d[i % 4]);
      }).length;
      return { id: p.id, tiles: p.tiles.length, varied };
    });
    this.reported = { key, nodes };
    return nodes;
  }

  private paint(p: Painted): void {
    const layer = this.layers.get(p.id);
    const u = this.latest;
    const ctx = p.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(2, 0, 0, 2, 0, 0);
    ctx.clearRect(0, 0, p.canvas.width, p.canvas.height);
    if (!layer || !u) return;
    this.paints++;
    p.canvas.setAttribute('data-paints', String(this.paints));
    // All the node's tiles go into one scratch image, side by side, each with a one-pixel border
    // repeating its edge (so smoothing at a tile's edge reads only its own cells): one
    // putImageData a node, then one drawImage a tile from it (a put before each draw made the
    // canvas copy its pixels each time: a 2-16-16-1 network's first paint took 15 ms).
    const size = u.size, cells = size * size, pad = size + 2, n = p.tiles.length;
    // Wide enough for the node with the most tiles (a new canvas for each wider node cost a frame ~2 ms).
    const most = Math.max(n, ...[...this.painted.values()].map((q) => q.tiles.length));
    if (this.scratch?.height !== pad || this.scratch.width < pad * n) {
      const canvas = document.createElement('canvas');
      canvas.width = pad * most;
      canvas.height = pad;
      this.scratch = canvas;
      this.image = new ImageData(canvas.width, pad);
    }
    const img = this.image as ImageData, scratch = this.scratch, data = img.data, stride = img.width * 4, levels = layer.levels;
    for (let k = 0; k < n; k++) {
      const left = k * pad * 4;
      for (let r = 0; r < size; r++) {
        // Grid row 0 is at ymin; the canvas's row 0 is the top.
        const src = k * cells + (size - 1 - r) * size, row = (r + 1) * stride + left;
        for (let c = 0, d = row + 4; c < size; c++, d += 4) {
          const o = levels[src + c] * 4;
          data[d] = LEVEL_LUT[o]; data[d + 1] = LEVEL_LUT[o + 1]; data[d + 2] = LEVEL_LUT[o + 2]; data[d + 3] = LEVEL_LUT[o + 3];
        }
        data.copyWithin(row, row + 4, row + 8);
        data.copyWithin(row + (size + 1) * 4, row + size * 4, row + (size + 1) * 4);
      }
      data.copyWithin(left, stride + left, stride + left + pad * 4);
      data.copyWithin((size + 1) * stride + left, size * stride + left, size * stride + left + pad * 4);
    }
    (scratch.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0, 0, 0, pad * n, pad);
    ctx.imageSmoothingEnabled = true;
    let hovered = -1;
    ctx.beginPath();
    p.tiles.forEach((t, k) => {
      const x = t.x - p.x0, y = t.y - p.y0;
      ctx.drawImage(scratch, k * pad + 1, 1, size, size, x, y, t.side, t.side);
      if (this.hovered?.id === p.id && this.hovered.index === k) hovered = k;
      else ctx.rect(x + 0.25, y + 0.25, t.side - 0.5, t.side - 0.5);
    });
    ctx.lineWidth = 0.5;
    ctx.strokeStyle = 'rgba(128,128,128,0.6)';
    ctx.stroke();
    if (hovered < 0) return;
    const t = p.tiles[hovered];
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = 'rgba(128,128,128,1)';
    ctx.strokeRect(t.x - p.x0 + 0.25, t.y - p.y0 + 0.25, t.side - 0.5, t.side - 0.5);
  }

  private enter(id: string, index: number): void {
    const layer = this.layers.get(id);
    const u = this.latest;
    if (!layer || !u || index >= layer.levels.length / u.size ** 2) return this.leave();
    this.hovered = { id, index };
    this.onHover({ id, index, label: `${id}[${index}]`, grid: neuronAsBoundary(layer, index, u.size, u.extent) });
    this.schedule();
  }

  private leave(): void {
    if (!this.hovered) return;
    this.hovered = undefined;
    this.onHover(undefined);
    this.schedule();
  }
}
