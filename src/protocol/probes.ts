/**
 * Test probes: what a webview reports about itself so tests can wait on it. Not part of the
 * product protocol: their types are in no product union (a product receiver refuses them), a view
 * sends them beside its messages, and the host checks them against these definitions and hands
 * them to whoever listens (integration tests); no product code acts on them.
 */
import { bool, count, finite, type Infer, int, list, msg, object, optional, text, union } from './schema';

const names = list(text(500), { max: 1000 });

/** A view's probe (one union for both views: the type names which view sent it). */
export const ProbeMessage = union('type', 'probe', [
  /** The graph editor finished drawing a version (layout included). */
  /** `textPx`: the smallest node text's size on screen at the zoom drawn (font size × zoom), px. */
  msg('editorRendered', { version: int(-1, Number.MAX_SAFE_INTEGER), nodes: count, errorState: bool, ms: finite(0), textPx: optional(finite(0)) }),
  /** What the gradients panel now shows. */
  msg('panelRendered', { layers: names, points: count, warnings: names, checkRows: count }),
  /** What the graph editor's training view now shows: its header, outcome line and notes, and whether a loss chart and a boundary are drawn. */
  msg('trainingRendered', { header: text(2000), outcome: text(100_000), notices: text(100_000), chart: bool, boundary: bool }),
  /** What the training view's Predict pane now shows: open, its fields' names and values, the bars ("class: 22.6%"), the predicted class, the error in words, and whether its point is drawn on the boundary. */
  msg('predictRendered', { open: bool, fields: names, values: names, bars: names, predicted: text(1000), error: text(100_000), point: bool }),
  /** The graph's neuron heatmaps as drawn: per node its tiles and how many of them are not one flat colour; the neuron the training view shows large in the boundary's place ('' for none). */
  msg('neuronsRendered', { nodes: list(object({ id: text(1000), tiles: count, varied: count }), { max: 1000 }), focus: text(1000) }),
]);
export type ProbeMessage = Infer<typeof ProbeMessage>;
export type EditorRendered = Extract<ProbeMessage, { type: 'editorRendered' }>;
export type PanelRendered = Extract<ProbeMessage, { type: 'panelRendered' }>;
export type TrainingRendered = Extract<ProbeMessage, { type: 'trainingRendered' }>;
export type PredictRendered = Extract<ProbeMessage, { type: 'predictRendered' }>;
export type NeuronsRendered = Extract<ProbeMessage, { type: 'neuronsRendered' }>;

/** Whether a raw message from a view is a probe (by its type; its content still needs `ProbeMessage.validate`). */
export function isProbe(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && Object.hasOwn(ProbeMessage.variants, (raw as { type?: unknown }).type as string);
}

/**
 * What the Summary view now shows (its own union, so the graph editor's and the gradients
 * panel's receivers, which narrow ProbeMessage, are unchanged): the file, the layers in the
 * order shown, the sort column and direction, and the highlighted layers.
 */
export const SummaryProbeMessage = union('type', 'probe', [
  msg('summaryRendered', { file: text(4096), layers: names, sort: text(100), selected: names, problem: bool }),
]);
export type SummaryRendered = Infer<typeof SummaryProbeMessage>;

