/**
 * What the gradients panel knows of an image network (pure, no DOM): the first conv layer's
 * filters per epoch (a bounded history, for the slider), the latest image grid (to pick an image
 * from), which node and image the feature maps are of, and the maps (or why there are none).
 */
import type { FeatureMapsValue, TrainingUpdate } from '../../src/protocol';

type Filters = Extract<TrainingUpdate, { kind: 'filters' }>;
type Images = Extract<TrainingUpdate, { kind: 'images' }>;

/** Filter snapshots kept (older ones are thinned, so the slider spans the whole run). */
export const MAX_FILTER_SNAPSHOTS = 40;
/** Least time between two automatic feature-map requests (new weights while training). */
export const MAPS_REFRESH_MS = 1000;

/** The panel's image-network model. */
export class ConvState {
  filters: Filters[] = [];
  /** The snapshot the slider shows; undefined follows the latest. */
  shownFilter?: number;
  images?: Images;
  /** The node and image whose maps are wanted; the node is the first conv layer until the user picks one. */
  mapsNode?: string;
  nodePicked = false;
  row?: number;
  rowPicked = false;
  maps?: FeatureMapsValue;
  mapsError?: string;
  /** A request is out (at most one at a time). */
  asking?: { node: string; row: number; at: number };

  /** Whether the run is an image network (there is something to show). */
  get active(): boolean {
    return this.filters.length > 0 || this.images !== undefined || this.maps !== undefined;
  }

  /** The filter snapshot shown. */
  get filter(): Filters | undefined {
    return this.filters[this.shownFilter ?? this.filters.length - 1];
  }

  /** Forgets the run (`keepNode`: the same file runs again, so a node the user picked stays picked). */
  reset(keepNode = false): void {
    if (!keepNode) this.nodePicked = false;
    this.filters = [];
    this.shownFilter = undefined;
    this.images = undefined;
    this.maps = undefined;
    this.mapsError = undefined;
    this.asking = undefined;
    this.lastAsked = undefined;
    this.stale = undefined;
    if (!this.nodePicked) this.mapsNode = undefined;
    this.row = undefined;
    this.rowPicked = false;
  }

  /** Applies one training update (the others are not about images). */
  apply(u: TrainingUpdate): void {
    if (u.kind === 'filters') {
      const last = this.filters[this.filters.length - 1];
      // One snapshot per epoch: a later one of the same epoch replaces it.
      if (last && last.epoch === u.epoch && last.node === u.node) this.filters[this.filters.length - 1] = u;
      else this.filters.push(u);
      if (this.filters.length > MAX_FILTER_SNAPSHOTS) {
        const keepLast = this.filters.pop() as Filters;
        this.filters = this.filters.filter((_, i) => i % 2 === 0);
        this.filters.push(keepLast);
        if (this.shownFilter !== undefined) this.shownFilter = Math.min(this.filters.length - 1, Math.floor(this.shownFilter / 2));
      }
      if (!this.nodePicked) this.mapsNode ??= u.node;
      if (this.stale !== 'final') this.stale = 'weights';
    } else if (u.kind === 'done' && this.active) {
      this.stale = 'final';
    } else if (u.kind === 'images') {
      this.images = u;
      // Until the user picks one, the maps are of the grid's first image (its first mistake, if any).
      if (!this.rowPicked && u.rows.length > 0) this.row = u.rows[0];
    }
  }

  /** The graph or the user chose a node (the maps follow it). */
  pickNode(id: string | undefined): void {
    if (!id || id === this.mapsNode) return;
    this.mapsNode = id;
    this.nodePicked = true;
    this.maps = undefined;
    this.mapsError = undefined;
  }

  /** The user chose an image (its row in the grid's set). */
  pickRow(row: number): void {
    this.row = row;
    this.rowPicked = true;
  }

  /**
   * The feature-map request to send now, if any: when the wanted node or image is not the one
   * last asked for; else, after new weights (a filter snapshot), at most once every
   * MAPS_REFRESH_MS, and always for the final weights (the run's 'done'). A node that had no maps
   * is not asked again.
   */
  request(now: number): { node: string; row: number } | undefined {
    const node = this.mapsNode, row = this.row;
    if (node === undefined || row === undefined || this.asking) return undefined;
    const last = this.lastAsked;
    const same = last !== undefined && last.node === node && last.row === row;
    if (same && (this.mapsError !== undefined || !this.stale || (this.stale === 'weights' && now - last.at < MAPS_REFRESH_MS))) return undefined;
    this.stale = undefined;
    this.asking = { node, row, at: now };
    this.lastAsked = this.asking;
    return { node, row };
  }

  private lastAsked?: { node: string; row: number; at: number };
  /** New weights arrived since the maps were asked for. */
  private stale?: 'weights' | 'final';

  /** The host's answer to a request. */
  answer(node: string, row: number, maps: FeatureMapsValue | undefined, error: string | undefined): void {
    this.asking = undefined;
    if (node !== this.mapsNode) return;
    this.maps = maps;
    this.mapsError = maps ? undefined : error ?? 'no feature maps';
    if (maps) this.row ??= row;
  }
}
