/**
 * Edge colours from the latest training weights, as properties of the view-model edges (the
 * renderer draws them): an edge into a dense layer takes the sign of that layer's mean weight
 * (orange positive, blue negative) and a width by its RMS relative to the largest layer's.
 * Pure: no DOM.
 */
import type { LayerWeights } from '../../src/protocol';
import { divergingRgba } from '../shared/colours';

/** How the edges into one layer are drawn. */
export interface EdgeWeightStyle {
  /** CSS colour, e.g. "rgb(245,147,34)". */
  colour: string;
  /** Stroke width in px, 1 (tiny weights) to 5 (the largest layer's). */
  width: number;
}

/** The style of the edges into each layer that has weights. */
export function edgeWeightStyles(weights: Readonly<Record<string, LayerWeights>>): Map<string, EdgeWeightStyle> {
  const stats = new Map<string, { mean: number; rms: number }>();
  let maxRms = 0;
  for (const [id, w] of Object.entries(weights)) {
    let sum = 0, sq = 0;
    for (const v of w.data) { sum += v; sq += v * v; }
    const n = Math.max(1, w.data.length);
    const s = { mean: sum / n, rms: Math.sqrt(sq / n) };
    stats.set(id, s);
    maxRms = Math.max(maxRms, s.rms);
  }
  const out = new Map<string, EdgeWeightStyle>();
  for (const [id, s] of stats) {
    const [R, G, B] = divergingRgba(s.mean, Math.abs(s.mean) || 1);
    out.set(id, { colour: `rgb(${R},${G},${B})`, width: 1 + 4 * (s.rms / (maxRms || 1)) });
  }
  return out;
}

/** Edges with `weightColour`/`weightWidth` set from `weights` (and cleared where a layer has none). */
export function withEdgeWeights<E extends { to: string; weightColour?: string; weightWidth?: number }>(edges: readonly E[], weights: Readonly<Record<string, LayerWeights>>): E[] {
  const styles = edgeWeightStyles(weights);
  return edges.map((e) => {
    const s = styles.get(e.to);
    if (s) return { ...e, weightColour: s.colour, weightWidth: s.width };
    if (e.weightColour === undefined && e.weightWidth === undefined) return e;
    const { weightColour: _c, weightWidth: _w, ...rest } = e;
    return rest as E;
  });
}
