/**
 * Docks the training view into the graph editor's page: below the editor (or beside it when the
 * editor is much wider than tall), never over the graph, with a splitter between them. The
 * splitter is a Tab stop: Enter or Space collapses or expands the view, the arrow keys resize it
 * (Shift: faster; Home and End: smallest and largest); it can be dragged too. The graph is fitted
 * again whenever the view opens, closes, collapses, expands or changes size (the editor's too,
 * while the view is docked), and the collapsed state and sizes are remembered in the webview's
 * state, so each editor keeps its own.
 */
import { chooseSide, clampSize, KEY_STEP, readDockState, sizeRange } from './dockState';
import type { DockSide, DockState } from './dockState';
import type { TrainingView } from './trainingView';

/** Where the dock keeps its state (the webview state, under a key of its own). */
export interface DockStore {
  load(): unknown;
  save(state: DockState): void;
}

/** The dock around the graph editor's frame (#app) and the training view. */
export class TrainingDock {
  /** The page's layout: the editor frame, the splitter and the training view, in a row or a column. */
  readonly root = document.createElement('div');
  readonly splitter = document.createElement('div');
  private state: DockState;
  private side: DockSide = 'below';
  private shown = { visible: false, content: false };
  private fitFrame = 0;

  constructor(private readonly frame: HTMLElement, private readonly view: TrainingView, private readonly fitGraph: () => void, private readonly store: DockStore) {
    this.state = readDockState(store.load());
    this.root.className = 'nc-workbench';
    this.root.setAttribute('data-testid', 'workbench');
    const s = this.splitter;
    s.className = 'nc-splitter';
    s.tabIndex = 0;
    s.hidden = true;
    s.setAttribute('role', 'separator');
    s.setAttribute('data-testid', 'training-splitter');
    view.root.id ||= 'nc-training-view';
    s.setAttribute('aria-controls', view.root.id);
    frame.parentElement?.insertBefore(this.root, frame);
    this.root.append(frame, s, view.root);
    s.addEventListener('keydown', (e) => this.onKey(e));
    s.addEventListener('dblclick', () => this.setCollapsed(!this.state.collapsed));
    s.addEventListener('pointerdown', (e) => this.onDrag(e));
    // The editor resized (a panel opened below it, the window changed): the view's size is
    // clamped anew and, while it is docked, the graph fitted into what is left of the canvas.
    window.addEventListener('resize', () => {
      this.apply();
      if (this.shown.visible) {
        this.view.relayout();
        this.refit();
      }
    });
    view.hooks = { changed: (shown) => this.changed(shown), fold: () => this.setCollapsed(!this.state.collapsed) };
    view.setCollapsed(this.state.collapsed);
    this.apply();
  }

  /** The view was shown or hidden, or got a chart to show: lay out again and fit the graph. */
  changed(shown: { visible: boolean; content: boolean }): void {
    this.shown = shown;
    this.apply();
    this.refit();
  }

  /** Collapses the view to its header, or expands it. */
  setCollapsed(collapsed: boolean): void {
    if (collapsed === this.state.collapsed) return;
    this.state = { ...this.state, collapsed };
    this.view.setCollapsed(collapsed);
    this.commit();
  }

  /** Sets the size on the current side (clamped), expanding the view. */
  resize(size: number): void {
    const clamped = clampSize(this.side, size, innerWidth, innerHeight);
    if (clamped === this.size() && !this.state.collapsed) return;
    this.state = { ...this.state, [this.side]: clamped, collapsed: false };
    this.view.setCollapsed(false);
    this.commit();
  }

  /** The expanded size on the current side, px. */
  size(): number {
    return clampSize(this.side, this.state[this.side], innerWidth, innerHeight);
  }

  /** Saves, lays out, redraws the chart at its new size and fits the graph. */
  private commit(): void {
    this.store.save(this.state);
    this.apply();
    this.view.relayout();
    this.refit();
  }

  /** Writes the side, size and state to the DOM. */
  private apply(): void {
    const { visible, content } = this.shown;
    const collapsed = this.state.collapsed;
    // Collapsed, the view is its header: a bar below the editor on either side.
    this.side = collapsed ? 'below' : chooseSide(innerWidth, innerHeight);
    const side = this.side;
    const size = this.size();
    this.root.className = `nc-workbench dock-${side}${visible ? ' docked' : ''}${collapsed ? ' collapsed' : ''}${content ? '' : ' compact'}`;
    const v = this.view.root.style;
    // Without a chart (saved weights, a message) the view takes the height of its lines, up to its size.
    v.height = side === 'below' && !collapsed && content ? `${size}px` : '';
    v.maxHeight = side === 'below' && !collapsed ? `${size}px` : '';
    v.width = side === 'beside' ? `${size}px` : '';
    const s = this.splitter;
    s.hidden = !visible;
    const { min, max } = sizeRange(side, innerWidth, innerHeight);
    s.setAttribute('aria-orientation', side === 'below' ? 'horizontal' : 'vertical');
    s.setAttribute('aria-valuemin', String(min));
    s.setAttribute('aria-valuemax', String(max));
    s.setAttribute('aria-valuenow', String(collapsed ? min : size));
    s.setAttribute('aria-valuetext', collapsed ? 'training view collapsed' : `training view ${size} pixels ${side === 'below' ? 'high' : 'wide'}`);
    s.setAttribute('aria-label', `Training view splitter: Enter to ${collapsed ? 'expand' : 'collapse'}, arrow keys to resize`);
    s.title = `Drag to resize the training view; double-click or Enter to ${collapsed ? 'expand' : 'collapse'}`;
  }

  /**
   * Fits the graph into its new canvas once the layout has settled (one frame), in a task of its
   * own: a much resized canvas means a new layout of the graph, which in the frame's task would
   * add to the view's drawing (the first chart of a run) in one long task.
   */
  private refit(): void {
    if (this.fitFrame) return;
    this.fitFrame = requestAnimationFrame(() => setTimeout(() => {
      this.fitFrame = 0;
      this.fitGraph();
    }));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.setCollapsed(!this.state.collapsed);
      return;
    }
    // The arrow that moves the splitter towards the graph grows the view.
    const grow: Record<string, number> = this.side === 'below' ? { ArrowUp: 1, ArrowDown: -1 } : { ArrowLeft: 1, ArrowRight: -1 };
    const { min, max } = sizeRange(this.side, innerWidth, innerHeight);
    const from = this.state.collapsed ? min : this.size();
    let to: number | undefined;
    if (e.key in grow) to = from + grow[e.key] * KEY_STEP * (e.shiftKey ? 4 : 1);
    else if (e.key === 'Home') to = min;
    else if (e.key === 'End') to = max;
    if (to === undefined) return;
    e.preventDefault();
    // A shrinking arrow on a collapsed view leaves it collapsed.
    if (this.state.collapsed && to <= from && e.key !== 'Home') return;
    this.resize(to);
  }

  private onDrag(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    const s = this.splitter;
    s.setPointerCapture(e.pointerId);
    s.classList.add('dragging');
    const box = this.root.getBoundingClientRect();
    const move = (m: PointerEvent): void => {
      this.resize(this.side === 'below' ? box.bottom - m.clientY : box.right - m.clientX);
    };
    const end = (): void => {
      s.classList.remove('dragging');
      s.removeEventListener('pointermove', move);
      s.removeEventListener('pointerup', end);
      s.removeEventListener('pointercancel', end);
    };
    s.addEventListener('pointermove', move);
    s.addEventListener('pointerup', end);
    s.addEventListener('pointercancel', end);
  }
}
