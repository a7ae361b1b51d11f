/**
 * What each node and edge shows, derived from a snapshot: text lines, box size, badges.
 * Pure apart from the injected text measurer, so sizes follow the theme's font.
 */
import { cycleEdgeKeys } from './cycleEdges';
import type { Diagnostic, NetworkNode, PaddingName, Size2D } from '../../src/model/types';
import type { DocumentSnapshot, LayerWeights, NodeInfo } from '../../src/protocol';
import { own } from '../../src/model/ownKeys';
import { withEdgeWeights } from './edgeWeights';
import { volumeGeometry, type VolumeGeometry, type VolumeWindow } from './volume';
import { blockTileGrid } from './neuronTiles';
import type { GroupBox } from './groupBox';

/** Most units a dense or input layer may have to be drawn as a column of neurons. */
export const MAX_EXPANDED_UNITS = 16;

/** Measures a text's width in pixels at the graph font (bold or not). */
export type TextMeasurer = (text: string, bold: boolean) => number;

/** One node as drawn. */
export interface ViewNode {
  id: string;
  node: NetworkNode;
  info: NodeInfo;
  title: string;
  subtitle: string;
  /** Output shape and parameter count, e.g. "[3] · 9 params". */
  footer: string;
  /** Hover text on the parameter count. */
  paramsTitle?: string;
  /** Hover text on the whole node: what it is, its output shape and how its parameters are counted. */
  hover: string;
  /** Circles drawn instead of the block (expanded small layers). */
  neurons: number;
  /** An image-shaped output drawn as a volume between the subtitle and the footer. */
  volume?: VolumeGeometry;
  width: number;
  height: number;
  diagnostics: Diagnostic[];
  pinned?: { x: number; y: number };
  /** Screen-reader description. */
  ariaLabel: string;
  /** Set on a collapsed group's box (groupView.ts), which stands for its members. */
  group?: GroupBox;
}

/** An edge label's font size in em of the graph font (graph.css: `.graph .edge-label`). */
export const EDGE_LABEL_EM = 0.85;

/** One edge as drawn. */
export interface ViewEdge {
  key: string;
  from: string;
  to: string;
  /** The tensor shape flowing along it, e.g. "[3]". */
  label: string;
  /** The label's drawn width in px (it is set at EDGE_LABEL_EM of the graph font). */
  labelWidth?: number;
  /** Colour by the weights into `to` during training (see edgeWeights.ts); unset: the theme's. */
  weightColour?: string;
  /** Stroke width by those weights, px. */
  weightWidth?: number;
  /** Tooltip: the weights into `to` (shape, summary, small layers' values). */
  weightTitle?: string;
  /** On a cycle (drawn in the error colour). */
  cycle?: boolean;
}

/** Units of a node when it has them. */
export function unitsOf(n: NetworkNode): number | undefined {
  return n.type === 'input' || n.type === 'dense' ? n.units : undefined;
}

/** True when the node can be shown as a column of neurons (not an image input: it is drawn as a volume). */
export function canExpand(n: NetworkNode): boolean {
  if (n.type === 'input' && n.shape && n.shape.length > 1) return false;
  const u = unitsOf(n);
  return u !== undefined && u <= MAX_EXPANDED_UNITS;
}

/** "[3]" or "[?]" when unknown. */
export function shapeText(shape: number[] | undefined): string {
  return shape ? `[${shape.join('×')}]` : '[?]';
}

/** One formatter for every count: toLocaleString builds a new one per call, which a 2,000-node redraw felt. */
const COUNT = new Intl.NumberFormat('en-US');

function plural(n: number, word: string): string {
  return `${n < 1000 && Number.isInteger(n) ? String(n) : COUNT.format(n)} ${word}${n === 1 ? '' : 's'}`;
}

function subtitleOf(n: NetworkNode): string {
  switch (n.type) {
    case 'input': return n.shape ? `Input · ${n.shape.join('×')}` : `Input · ${plural(n.units, 'feature')}`;
    case 'dense': return `Dense · ${plural(n.units, 'unit')} · ${n.activation ?? 'linear'}`;
    case 'activation': return `Activation · ${n.activation}`;
    case 'dropout': return `Dropout · rate ${n.rate}`;
    case 'add': return 'Add';
    case 'multiply': return 'Multiply';
    case 'concat': return 'Concat';
    case 'conv2d': return [`Conv2D · ${plural(n.filters, 'filter')} ${sizeText(n.kernelSize)}`, ...windowExtras(n.strides, 1, n.padding), n.activation ?? 'linear'].join(' · ');
    case 'maxpool2d': case 'avgpool2d':
      return [`${n.type === 'maxpool2d' ? 'Max' : 'Average'} pool · ${sizeText(n.poolSize)}`, ...windowExtras(n.strides, n.poolSize, n.padding)].join(' · ');
    case 'globalavgpool2d': return 'Global average pool';
    case 'flatten': return 'Flatten';
    case 'reshape': return `Reshape · ${n.shape.join('×')}`;
    case 'batchnorm': return 'Batch norm';
  }
}

/** A window or stride as written: 3 → "3×3", [3, 5] → "3×5". */
export function sizeText(size: Size2D): string {
  return typeof size === 'number' ? `${size}×${size}` : `${size[0]}×${size[1]}`;
}

/** "stride 2" and "same" when they differ from the defaults. */
function windowExtras(strides: Size2D | undefined, defaultStrides: Size2D, padding: PaddingName | undefined): string[] {
  const out: string[] = [];
  if (strides !== undefined && sizeText(strides) !== sizeText(defaultStrides)) out.push(`stride ${typeof strides === 'number' ? strides : strides.join('×')}`);
  if (padding === 'same') out.push('same');
  return out;
}

/** For each node that feeds a conv or pool layer, that layer's window (the first such consumer in file order). */
function windowsOver(nodes: readonly NetworkNode[], edges: readonly { from: string; to: string }[]): Map<string, VolumeWindow> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, VolumeWindow>();
  for (const e of edges) {
    const to = byId.get(e.to);
    if (out.has(e.from) || !to) continue;
    const size = to.type === 'conv2d' ? to.kernelSize : to.type === 'maxpool2d' || to.type === 'avgpool2d' ? to.poolSize : undefined;
    if (size === undefined) continue;
    const [rows, cols] = typeof size === 'number' ? [size, size] : size;
    out.set(e.from, { rows, cols, by: to.id });
  }
  return out;
}

/** Line height as a multiple of the font size. */
export const LINE = 1.45;

/** The height a volume adds to its node: the drawing with a margin above and below. */
export function volumeSpace(v: VolumeGeometry, em: number): number {
  return Math.ceil(v.boxHeight + em * 0.8);
}

/**
 * Node views kept between snapshots, by node id with what each was built from: an edit of one
 * node in a big design builds that node's view again and reuses the others (same objects, so the
 * renderer sees at once that they are unchanged).
 */
export type ViewCache = Map<string, { key: string; view: ViewNode }>;

/**
 * Builds the drawn nodes and edges of a snapshot. `em` is the font size in pixels; `weights`, the
 * latest training weights, colour the edges into their layers; `heatmaps` (neuron heatmaps per
 * node id) grow block nodes to hold their tiles. `cache`: the views of the last build, reused
 * where a node's inputs are the same (the measurer must measure as it did then).
 */
export function buildView(snapshot: DocumentSnapshot, expanded: ReadonlySet<string>, measure: TextMeasurer, em: number, weights: Readonly<Record<string, LayerWeights>> = {}, heatmaps: ReadonlyMap<string, number> = new Map(), cache?: ViewCache): { nodes: ViewNode[]; edges: ViewEdge[] } {
  const doc = snapshot.doc;
  if (!doc) return { nodes: [], edges: [] };
  const diagsByNode = new Map<string, Diagnostic[]>();
  for (const d of snapshot.diagnostics) {
    if (!d.nodeId) continue;
    const list = diagsByNode.get(d.nodeId) ?? [];
    list.push(d);
    diagsByNode.set(d.nodeId, list);
  }
  const pins = doc.layout?.pinned ?? {};
  const windows = windowsOver(doc.nodes, doc.edges);
  const ids = new Set(doc.nodes.map((n) => n.id));
  const nodes = doc.nodes.map((node): ViewNode => {
    const info = own(snapshot.nodes, node.id) ?? {};
    // Everything the view below is made of (the node's own fields, what the model says of it, its problems, pin and tiles).
    const key = cache ? JSON.stringify([node, info, diagsByNode.get(node.id), own(pins, node.id), expanded.has(node.id), windows.get(node.id), heatmaps.get(node.id), em]) : '';
    const kept = cache?.get(node.id);
    if (kept && kept.key === key) return kept.view;
    const view = nodeView(node, info);
    cache?.set(node.id, { key, view });
    return view;
  });
  if (cache && cache.size > nodes.length) for (const id of cache.keys()) if (!ids.has(id)) cache.delete(id);
  function nodeView(node: NetworkNode, info: NodeInfo): ViewNode {
    const title = node.label ? `${node.id} — ${node.label}` : node.id;
    const subtitle = subtitleOf(node);
    const params = info.params;
    const footer = `→ ${shapeText(info.shape)}${params !== undefined && params > 0 ? ` · ${plural(params, 'param')}` : ''}`;
    const neurons = expanded.has(node.id) && canExpand(node) ? unitsOf(node) ?? 0 : 0;
    const pad = em;
    const volume = neurons > 0 ? undefined : volumeGeometry(info.shape, em, windows.get(node.id));
    const textWidth = Math.max(measure(title, true), measure(subtitle, false), measure(footer, false), volume ? volume.boxWidth + em : 0);
    // Widths snap to a grid so a small text change does not force a new layout.
    const heatmapCount = heatmaps.get(node.id) ?? 0;
    const tiles = neurons > 0 || volume || heatmapCount === 0 ? undefined : blockTileGrid(heatmapCount, em);
    const width = Math.ceil((Math.max(textWidth, tiles ? tiles.width : 0) + 2 * pad + em) / (2 * em)) * 2 * em;
    const lineH = LINE * em;
    const blockH = 3 * lineH + pad;
    const height = (neurons > 0 ? blockH + neurons * 1.6 * em + em * 0.4 : volume ? blockH + volumeSpace(volume, em) : blockH) + (tiles?.height ?? 0);
    const diagnostics = diagsByNode.get(node.id) ?? [];
    const ariaParts = [`${node.id}`, subtitle.replace(/ · /g, ', '), `output shape ${shapeText(info.shape)}`];
    if (params !== undefined) ariaParts.push(plural(params, 'parameter'));
    if (diagnostics.length) ariaParts.push(`${plural(diagnostics.length, 'problem')}: ${diagnostics.map((d) => d.message).join('; ')}`);
    return {
      id: node.id, node, info, title, subtitle, footer,
      paramsTitle: info.formula ? `Parameters: ${info.formula}` : undefined,
      hover: [subtitle, `Output ${shapeText(info.shape)}`, ...(info.formula ? [`Parameters: ${info.formula}`] : [])].join('\n'),
      neurons, volume, width, height, diagnostics, pinned: own(pins, node.id), ariaLabel: ariaParts.join(', '),
    };
  }
  const edges: ViewEdge[] = [];
  const seen = new Set<string>();
  for (const e of doc.edges) {
    const key = `${e.from}->${e.to}`;
    if (!ids.has(e.from) || !ids.has(e.to) || seen.has(key)) continue;
    seen.add(key);
    const label = shapeText(own(snapshot.nodes, e.from)?.shape);
    edges.push({ key, from: e.from, to: e.to, label, labelWidth: measure(label, false) * EDGE_LABEL_EM });
  }
  const onCycle = cycleEdgeKeys(edges);
  for (const e of edges) if (onCycle.has(e.key)) e.cycle = true;
  return { nodes, edges: withEdgeWeights(edges, weights) };
}
