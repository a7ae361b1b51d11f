/**
 * Edge colours from the latest training weights, as properties of the view-model edges (the
 * renderer draws them): an edge into a dense layer takes the sign of that layer's mean weight
 * (orange positive, blue negative) and a width by its RMS relative to the largest layer's.
 * Pure: no DOM.
 */
import type { LayerWeights } from '../../src/protocol';
import { divergingRgba } from '../shared/colours';
import { own } from '../../src/model/ownKeys';

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

/** Weights listed value by value in an edge's tooltip up to this many (a summary always). */
export const LISTED_WEIGHTS = 32;

/** Numbers as the tooltips show them: 3 significant digits, a real minus sign. */
function num(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString().replace('-', '−') : String(v);
}

/**
 * The tooltip of an edge into layer `to`: its weight matrix's shape and summary (mean, RMS, range)
 * and, for small layers, every weight by unit.
 */
export function weightTitle(to: string, w: LayerWeights): string {
  const [units, inputs] = w.shape.length === 2 ? w.shape : [w.shape[0] ?? w.data.length, w.data.length / Math.max(1, w.shape[0] ?? 1)];
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (const v of w.data) { sum += v; sq += v * v; min = Math.min(min, v); max = Math.max(max, v); }
  const n = Math.max(1, w.data.length);
  const lines = [`Weights into ${to}: ${units} × ${inputs} (units × inputs)`, `mean ${num(sum / n)} · RMS ${num(Math.sqrt(sq / n))} · min ${num(min)} · max ${num(max)}`];
  if (w.data.length <= LISTED_WEIGHTS) {
    for (let u = 0; u < units; u++) lines.push(`${to}[${u}]: ${Array.from(w.data.subarray(u * inputs, (u + 1) * inputs), num).join(', ')}`);
  }
  return lines.join('\n');
}

/** Edges with `weightColour`/`weightWidth`/`weightTitle` set from `weights` (and cleared where a layer has none). */
export function withEdgeWeights<E extends { to: string; weightColour?: string; weightWidth?: number; weightTitle?: string }>(edges: readonly E[], weights: Readonly<Record<string, LayerWeights>>): E[] {
  const styles = edgeWeightStyles(weights);
  return edges.map((e) => {
    const s = styles.get(e.to);
    if (s) return { ...e, weightColour: s.colour, weightWidth: s.width, weightTitle: weightTitle(e.to, own(weights, e.to) as LayerWeights) };
    if (e.weightColour === undefined && e.weightWidth === undefined && e.weightTitle === undefined) return e;
    const { weightColour: _c, weightWidth: _w, weightTitle: _t, ...rest } = e;
    return rest as E;
  });
}
