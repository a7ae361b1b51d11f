/**
 * Connecting two existing nodes from the keyboard: with a node selected, C starts; the arrow keys
 * step through the nodes it may feed (those the connection rules accept, in data-flow order),
 * each highlighted, scrolled into view and announced; Enter sends one `connect` intent; Escape
 * (or Tab) cancels. Nothing is sent until Enter.
 */
import type { NetworkDoc } from '../../src/model/types';
import { connectionRefusal } from './connectRules';
import { s } from './dom';
import type { GraphRenderer } from './graphRenderer';

/** What connecting needs of the editor. */
export interface ConnectHost {
  readonly renderer: Pick<GraphRenderer, 'overlay' | 'positions' | 'view' | 'element'>;
  doc(): NetworkDoc | undefined;
  order(): readonly string[] | undefined;
  /** Scrolls node `id` into view without selecting it. */
  show(id: string): void;
  /** Says `text` to screen readers (an aria-live region). */
  announce(text: string): void;
  connect(from: string, to: string): void;
}

/** The keyboard connection in progress, if any. */
export class KeyboardConnect {
  private from?: string;
  private targets: string[] = [];
  private index = 0;
  private line?: SVGPathElement;

  constructor(private readonly host: ConnectHost) {}

  /** Whether a connection is being chosen. */
  get active(): boolean {
    return this.from !== undefined;
  }

  /** Starts choosing a target for `from`; says so when no node can take its output. */
  start(from: string): void {
    const doc = this.host.doc();
    if (!doc) return;
    this.cancel(false);
    const ids = [...(this.host.order() ?? []), ...doc.nodes.map((n) => n.id)];
    this.targets = [...new Set(ids)].filter((id) => id !== from && connectionRefusal(doc, from, id) === undefined);
    if (!this.targets.length) {
      this.host.announce(`No node can take the output of ${from}.`);
      return;
    }
    this.from = from;
    // Start at the first candidate after `from` in data-flow order (the usual choice).
    const order = this.host.order() ?? [];
    const after = order.indexOf(from);
    const i = this.targets.findIndex((id) => order.indexOf(id) > after);
    this.index = after >= 0 && i >= 0 ? i : 0;
    this.line = s('path', { class: 'connect-line', 'data-testid': 'keyboard-connect-line' });
    this.host.renderer.overlay.append(this.line);
    this.highlight(`Connect ${from} to: choose with the arrow keys, Enter connects, Escape cancels. `);
  }

  /** Handles a key while choosing; true when it was consumed. */
  key(e: KeyboardEvent): boolean {
    if (!this.from) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') this.move(1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') this.move(-1);
    else if (e.key === 'Enter') {
      const from = this.from;
      const to = this.targets[this.index];
      this.cancel(false);
      this.host.announce(`Connecting ${from} to ${to}.`);
      this.host.connect(from, to);
    } else if (e.key === 'Escape') this.cancel(true);
    else if (e.key === 'Tab') {
      this.cancel(true);
      return false;
    } else return e.key.length === 1 || e.key === 'Delete' || e.key === 'Backspace';
    return true;
  }

  /** Stops choosing; `say`: announce that nothing was connected. */
  cancel(say: boolean): void {
    if (!this.from) return;
    this.element(this.targets[this.index])?.classList.remove('connect-target');
    this.line?.remove();
    this.line = undefined;
    if (say) this.host.announce(`Connection from ${this.from} cancelled.`);
    this.from = undefined;
    this.targets = [];
  }

  private move(dir: 1 | -1): void {
    this.element(this.targets[this.index])?.classList.remove('connect-target');
    this.index = (this.index + dir + this.targets.length) % this.targets.length;
    this.highlight('');
  }

  private highlight(prefix: string): void {
    const to = this.targets[this.index];
    this.element(to)?.classList.add('connect-target');
    this.host.show(to);
    const r = this.host.renderer;
    const pa = r.positions.get(this.from as string);
    const va = r.view(this.from as string);
    const pb = r.positions.get(to);
    const vb = r.view(to);
    if (pa && va && pb && vb && this.line) {
      const x1 = pa.x + va.width, y1 = pa.y + va.height / 2, x2 = pb.x, y2 = pb.y + vb.height / 2;
      this.line.setAttribute('d', `M${x1},${y1} C${x1 + 40},${y1} ${x2 - 40},${y2} ${x2},${y2}`);
    }
    const label = this.element(to)?.getAttribute('aria-label') ?? to;
    this.host.announce(`${prefix}Target ${this.index + 1} of ${this.targets.length}: ${label}.`);
  }

  private element(id: string | undefined): SVGGElement | undefined {
    return id === undefined ? undefined : this.host.renderer.element(id);
  }
}
