/**
 * Runs layouts in the worker. The worker script is fetched from the webview's resource origin
 * and started from a blob: URL, because a webview may only start same-origin workers (the CSP
 * allows `worker-src blob:` and `connect-src` to the resource origin). Only the newest request
 * matters: older answers are dropped.
 */
import type { LayoutRequest, LayoutResponse } from './layoutTypes';

/** Node boxes in, top-left corners out. */
export class LayoutClient {
  private worker?: Promise<Worker>;
  private instance?: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (r: LayoutResponse) => void>();
  private answered = false;

  constructor(private readonly workerUrl: string) {}

  /** Starts the worker (fetch, parse ELK) ahead of the first layout. */
  start(): Promise<Worker> {
    this.worker ??= fetch(this.workerUrl)
      .then((r) => {
        if (!r.ok) throw new Error(`could not load the layout worker (${r.status} ${r.statusText})`);
        return r.text();
      })
      .then((code) => {
        const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        const w = new Worker(url);
        this.instance = w;
        w.addEventListener('message', (e: MessageEvent<LayoutResponse>) => {
          this.answered = true;
          const done = this.waiting.get(e.data.id);
          this.waiting.delete(e.data.id);
          done?.(e.data);
        });
        w.addEventListener('error', (e) => {
          for (const [id, done] of this.waiting) done({ id, error: `layout worker failed: ${e.message}` });
          this.waiting.clear();
        });
        return w;
      });
    return this.worker;
  }

  /**
   * Lays out a graph; rejects with a readable message on failure. Once the worker runs, the job is
   * posted synchronously, so the worker computes while the caller goes on building the DOM.
   */
  layout(nodes: LayoutRequest['nodes'], edges: LayoutRequest['edges'], options: Pick<LayoutRequest, 'screen' | 'layerGap' | 'minScale' | 'direction' | 'groups' | 'groupPadding'> = {}): Promise<LayoutResponse> {
    const id = this.nextId++;
    const send = (worker: Worker): Promise<LayoutResponse> => new Promise<LayoutResponse>((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, nodes, edges, ...options } satisfies LayoutRequest);
    });
    const sent = this.instance ? send(this.instance) : this.start().then(send);
    return sent.then((result) => {
      if (result.error) throw new Error(result.error);
      return result;
    });
  }

  /** True once the worker has answered a layout (ELK is loaded and has run once). */
  get warm(): boolean {
    return this.answered;
  }

  /** True while a layout is on its way. */
  get busy(): boolean {
    return this.waiting.size > 0;
  }

  /** True when a newer layout was requested after the one with this id. */
  isStale(id: number): boolean {
    return id < this.nextId - 1;
  }
}
