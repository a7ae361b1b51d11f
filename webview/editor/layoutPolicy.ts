/**
 * Where the nodes go, and when the view moves: the layout policy of the graph editor. A view
 * whose boxes or edges changed asks ELK (in the worker) for places; while ELK cannot answer at
 * once (its worker starting, or busy) a big graph is first drawn at the quick layout's places.
 * New nodes appear beside the node they follow and glide to ELK's places; pinned nodes stay at
 * their pins. The first layout fits the graph into view; a later one refits only when the whole
 * graph was in view and no longer would be (or when ELK replaces the quick layout).
 */
import { own, setOwn } from '../../src/model/ownKeys';
import { boundsOf, contains } from './geometry';
import type { Box, Point } from './geometry';
import type { LayoutResponse } from './layoutTypes';
import { chooseDirection } from './layoutDirection';
import type { DirectionSetting } from './layoutDirection';
import { quickLayout } from './quickLayout';
import { wrapForScreen } from './wrapRows';
import type { FlowDirection } from './wrapRows';
import { readableScale } from './readableScale';
import { groupPadding } from './elkGraph';
import type { GroupPadding, LayoutGroup } from './elkGraph';
import type { ViewEdge, ViewNode } from './viewModel';

/**
 * Nodes without a place above which the first drawing uses the quick layout when ELK cannot
 * answer at once (its worker still starting, or busy); smaller graphs wait for ELK.
 */
export const QUICK_LAYOUT_MIN_NODES = 60;

/**
 * Nodes without a place from which the first drawing uses the quick layout even when ELK is
 * ready: ELK takes longer than the first drawing may (about 400 ms for 500 nodes on a quiet
 * machine, against a 0.5 s target for a readable drawing), so the graph is drawn at once and
 * glides to ELK's places, as on a page whose worker is still starting.
 */
export const QUICK_LAYOUT_ALWAYS_NODES = 300;

/** How long nodes glide to new places once the graph is on screen, ms. */
export const GLIDE_MS = 220;

/** The layout worker as the policy uses it. */
export interface LayoutEngine {
  readonly warm: boolean;
  readonly busy: boolean;
  layout(nodes: { id: string; width: number; height: number }[], edges: { from: string; to: string }[], options?: LayoutOptions): Promise<LayoutResponse>;
}

/** What a layout request says besides the boxes and edges. */
export interface LayoutOptions {
  /** The canvas size in pixels (a long graph is wrapped to fit it readably). */
  screen?: { width: number; height: number };
  /** The least gap between layers in px. */
  layerGap?: number;
  /** The smallest readable zoom. */
  minScale?: number;
  /** Which way the layers run. */
  direction?: FlowDirection;
  /** Expanded groups, laid out together inside frames of `groupPadding`. */
  groups?: LayoutGroup[];
  groupPadding?: GroupPadding;
}

/** The drawing as the policy moves it. */
export interface PlacedDrawing {
  /** Which way the layers run (ports and edges follow). */
  setDirection?(direction: FlowDirection): void;
  readonly positions: ReadonlyMap<string, Point>;
  moveTo(target: ReadonlyMap<string, Point>, ms: number): Promise<void>;
  bounds(): Box;
}

/** The pan and zoom as the policy frames it. */
export interface Framing {
  /** Shows `box`, at no zoom below `minScale`; a larger box is shown from `start` (the inputs). */
  fit(box: Box, opts?: { minScale?: number; start?: Box }): void;
  visible(): Box;
  /** The canvas size in pixels (the layout wraps a graph too long to read at that size). */
  size?(): { width: number; height: number };
}

/** What the policy tells about the drawing of one version. */
export interface LayoutReport {
  /** Every node placed (maybe at the quick layout's places), at time `at`. */
  drawn(at: number): void;
  /** Final places reached, so drawn too (`laidOut`: ELK answered); `at`: when drawing ended, before the glide. */
  rendered(laidOut: boolean, at: number, layoutMs?: number): void;
  /** ELK failed; the nodes keep their places. */
  failed(message: string): void;
}

/** The places decided for one view before it is drawn. */
export interface LayoutPlan {
  /** Where each node is drawn first (new nodes: pin, quick layout, last layout or beside their source). */
  initial: Map<string, Point>;
  /** The quick layout's places, when the graph is drawn at them first. */
  quick?: Map<string, Point>;
  /** ELK's answer on its way, when the boxes or edges changed. */
  layout?: Promise<LayoutResponse>;
}

/** True when a view should be drawn at the quick layout's places before ELK answers. */
export function useQuickLayout(engine: { warm: boolean; busy: boolean }, unplacedNodes: number): boolean {
  return ((!engine.warm || engine.busy) && unplacedNodes >= QUICK_LAYOUT_MIN_NODES) || unplacedNodes >= QUICK_LAYOUT_ALWAYS_NODES;
}

/**
 * True when the view should fit the graph after ELK's layout: always the first time; later only
 * when the whole graph was in view and the new places would leave it (or replace a quick layout).
 */
export function fitAfterLayout(s: { fitted: boolean; wasWhole: boolean; provisional: boolean; targetInView: boolean }): boolean {
  return !s.fitted || (s.wasWhole && (s.provisional || !s.targetInView));
}

/** The quick layout's places in `direction`, wrapped for the screen as ELK's are (layoutWorker.ts). */
export function quickPlaces(
  boxes: { id: string; width: number; height: number }[],
  edges: { from: string; to: string }[],
  pins: Readonly<Record<string, Point>>,
  direction: FlowDirection,
  screen: { width: number; height: number } | undefined,
  minScale: number,
): Map<string, Point> {
  const down = direction === 'down';
  const swap = (p: Point): Point => ({ x: p.y, y: p.x });
  const flippedPins: Record<string, Point> = {};
  for (const id of Object.keys(pins)) { const p = own(pins, id); if (p) setOwn(flippedPins, id, swap(p)); }
  const laid = down ? quickLayout(boxes.map((b) => ({ id: b.id, width: b.height, height: b.width })), edges, flippedPins) : quickLayout(boxes, edges, pins);
  const at = down ? new Map([...laid].map(([id, p]) => [id, swap(p)])) : laid;
  const free = boxes.filter((b) => !own(pins, b.id)).map((b) => ({ ...b, ...(at.get(b.id) as Point) }));
  const wrapped = screen && free.length === boxes.length ? wrapForScreen(free, edges, screen, minScale, direction) : undefined;
  return wrapped ?? at;
}

/** A canvas size to 10 % (log scale), so small resizes keep the layout. */
function screenBucket(screen: { width: number; height: number } | undefined): string {
  if (!screen || !(screen.width > 0 && screen.height > 0)) return '';
  return `${Math.round(Math.log(screen.width) / Math.log(1.1))}x${Math.round(Math.log(screen.height) / Math.log(1.1))}`;
}

/** The policy's state across snapshots: the last layout, whether the view was fitted. */
export class LayoutPolicy {
  private key = '';
  private laidOut = new Map<string, Point>();
  private fitted = false;
  /** Set while the nodes stand at the quick layout's places, waiting for ELK's. */
  private provisional = false;
  /** Where the nodes are going (the last layout, pins applied). */
  private target: Box = { x: 0, y: 0, width: 1, height: 1 };
  private view: { nodes: ViewNode[]; edges: ViewEdge[] } = { nodes: [], edges: [] };
  private pins: Readonly<Record<string, Point>> = {};
  /** The graph's font size, px (Fit keeps node text readable at it). */
  private em = 13;
  /** Where the first input (a node nothing flows into) is going: shown first when the graph is too big to fit. */
  private start?: Box;
  /** Which way the layers run, and what it was chosen for (it changes only when the graph's size or the canvas does). */
  private flow: FlowDirection = 'right';
  private flowKey = '';
  /** The canvas size the last layout was made for (its direction and wrap fit that canvas). */
  private laidFor?: { width: number; height: number };

  constructor(
    private readonly engine: LayoutEngine,
    private readonly drawing: PlacedDrawing,
    private readonly framing: Framing,
    /** Called with every node's target box (the minimap draws them). */
    private readonly placed: (rects: Box[], bounds: Box) => void,
  ) {}

  /**
   * Decides the first places of a view (and starts ELK when its shapes changed). `em`: font size;
   * `direction`: the file's choice of which way the layers run (`auto`: chosen for the graph's
   * shape and the canvas). `groups`: the expanded groups, whose members are laid out together.
   */
  plan(view: { nodes: ViewNode[]; edges: ViewEdge[] }, pins: Readonly<Record<string, Point>>, em: number, direction: DirectionSetting = 'auto', groups: LayoutGroup[] = []): LayoutPlan {
    this.view = view;
    this.pins = pins;
    this.em = em;
    const screen = this.framing.size?.();
    const minScale = readableScale(em);
    // Each shape label fits between the ports it joins: its width, the two ports (0.4 em) and a margin.
    const labelGap = Math.ceil(Math.max(0, ...view.edges.map((e) => e.labelWidth ?? 0)) + 2 * em);
    // Layers drawn as neuron columns connect sideways, so they keep left to right.
    const setting = direction === 'auto' && view.nodes.some((v) => v.neurons > 0) ? 'right' : direction;
    const flowKey = JSON.stringify([setting, screen?.width, screen?.height, view.nodes.length, view.edges.length, em]);
    if (flowKey !== this.flowKey) {
      this.flowKey = flowKey;
      this.flow = chooseDirection(view.nodes, view.edges, screen, minScale, setting, labelGap);
    }
    const flow = this.flow;
    this.drawing.setDirection?.(flow);
    // Top to bottom, a label lies across its edge: the usual gap between layers is room enough.
    const layerGap = flow === 'down' ? 0 : labelGap;
    // A new layout is requested before the DOM work, so ELK runs in the worker meanwhile.
    // The canvas size (to 10 %) is part of it: a much narrower or shorter canvas wraps differently.
    const key = JSON.stringify([view.nodes.map((v) => [v.id, v.width, v.height]), view.edges.map((e) => e.key), layerGap, flow, screenBucket(screen), groups]);
    let layout: Promise<LayoutResponse> | undefined;
    let quick: Map<string, Point> | undefined;
    if (key !== this.key) {
      this.key = key;
      const boxes = view.nodes.map((v) => ({ id: v.id, width: v.width, height: v.height }));
      const edges = view.edges.map((e) => ({ from: e.from, to: e.to }));
      // Can ELK answer soon? Not while its worker starts (cold) or works on an older request.
      const engine = { warm: this.engine.warm, busy: this.engine.busy };
      layout = this.engine.layout(boxes, edges, { screen, layerGap, minScale, direction: flow, ...(groups.length ? { groups, groupPadding: groupPadding(em) } : {}) });
      this.laidFor = screen;
      layout.catch(() => undefined);
      if (useQuickLayout(engine, view.nodes.filter((v) => !own(pins, v.id) && !this.laidOut.has(v.id)).length)) quick = quickPlaces(boxes, edges, pins, flow, screen, minScale);
    }
    const initial = new Map<string, Point>();
    for (const v of view.nodes) initial.set(v.id, own(pins, v.id) ?? quick?.get(v.id) ?? this.laidOut.get(v.id) ?? this.beside(v.id, em));
    return { initial, quick, layout };
  }

  /** Moves the drawn plan to its places, frames it, and reports; call after the renderer drew the view. */
  settle(plan: LayoutPlan, report: LayoutReport): void {
    if (plan.quick) {
      // Drawn complete now at the quick layout's places; ELK's answer moves them.
      void this.place(0, plan.quick);
      this.provisional = true;
      if (!this.fitted) {
        this.fitted = true;
        this.fit();
      }
      report.drawn(performance.now());
    }
    if (plan.layout) {
      void this.follow(plan.layout, this.key, report);
    } else {
      void this.place(0);
      report.rendered(false, performance.now());
    }
  }

  /**
   * Fits the whole graph (where its nodes are going) into view, never so small that node text is
   * unreadable: a graph too big for that shows its inputs first and scrolls.
   */
  fit(): void {
    this.framing.fit(this.target, { minScale: readableScale(this.em), start: this.start });
  }

  /**
   * True when the canvas changed so much since the last layout (the training view docked, the
   * editor resized) that the graph should be laid out again for it: the next plan does, and the
   * view is fitted afresh once it is placed.
   */
  resized(): boolean {
    const now = this.framing.size?.();
    if (!now || !this.laidFor || screenBucket(now) === screenBucket(this.laidFor)) return false;
    this.fitted = false;
    return true;
  }

  /** Forgets the layout (the error state): the next graph is laid out and fitted afresh. */
  reset(): void {
    this.key = '';
    this.flowKey = '';
    this.fitted = false;
    this.provisional = false;
  }

  private async follow(layout: Promise<LayoutResponse>, key: string, report: LayoutReport): Promise<void> {
    try {
      const r = await layout;
      if (key !== this.key) return;
      this.laidOut = new Map(Object.entries(r.positions ?? {}));
      // Keep the whole graph in view when it was in view before (a new node must not land off-screen).
      const wasWhole = this.fitted && contains(this.framing.visible(), this.drawing.bounds());
      const moved = this.place(this.fitted ? GLIDE_MS : 0);
      const provisional = this.provisional;
      this.provisional = false;
      if (fitAfterLayout({ fitted: this.fitted, wasWhole, provisional, targetInView: contains(this.framing.visible(), this.target) })) {
        this.fitted = true;
        this.fit();
      }
      const drawn = performance.now();
      await moved;
      // The glide that follows is not counted in the report's time.
      report.rendered(true, drawn, r.ms);
    } catch (e) {
      report.failed(`Automatic layout failed: ${e instanceof Error ? e.message : String(e)}. Nodes keep their places.`);
    }
  }

  /** Moves nodes to `places` (ELK's by default), pinned nodes to their pins. */
  private place(ms: number, places: ReadonlyMap<string, Point> = this.laidOut): Promise<void> {
    const target = new Map<string, Point>();
    for (const v of this.view.nodes) target.set(v.id, own(this.pins, v.id) ?? places.get(v.id) ?? this.drawing.positions.get(v.id) ?? { x: 0, y: 0 });
    const moved = this.drawing.moveTo(target, ms);
    const rects = this.view.nodes.map((v) => ({ ...(target.get(v.id) as Point), width: v.width, height: v.height }));
    this.target = boundsOf(rects);
    // The view starts at the first input in the file (the first node nothing flows into).
    const fed = new Set(this.view.edges.map((e) => e.to));
    this.start = rects.find((_, i) => !fed.has(this.view.nodes[i].id));
    this.placed(rects, this.target);
    return moved;
  }

  /** A new node appears beside the node it follows, so it glides from a sensible place. */
  private beside(id: string, em: number): Point {
    const from = this.view.edges.find((e) => e.to === id)?.from;
    const p = from ? this.drawing.positions.get(from) : undefined;
    return p ? { x: p.x + 12 * em, y: p.y } : { x: 0, y: 0 };
  }
}
