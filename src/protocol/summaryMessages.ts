/**
 * Host ↔ Summary view webview: the design as `nn summary` prints it (one row per layer, the
 * totals), and the row the user picked (the host selects that node in the graph editor). The
 * host checks every message from the view against `FromSummaryMessage` (a webview is not
 * trusted input).
 */
import { nodeId } from './editorMessages';
import { count, type Infer, list, msg, object, optional, text, union } from './schema';

/** One row: a layer of the design (model/summaryRows.ts), its output shape absent where unknown. */
export const SummaryRowInfo = object({
  layer: text(1000),
  type: text(200),
  outputShape: optional(list(count, { max: 8 })),
  params: count,
  nonTrainable: count,
  /** How the parameters are counted ("2×3 + 3"); empty without parameters. */
  formula: text(10_000),
  inputs: list(text(1000), { max: 10_000 }),
  flops: count,
});
export type SummaryRowInfo = Infer<typeof SummaryRowInfo>;

/** The totals under the table, as Keras prints them, and the forward FLOPs per sample. */
export const SummaryTotals = object({ total: count, trainable: count, nonTrainable: count, flops: count });
export type SummaryTotals = Infer<typeof SummaryTotals>;

/** Host → Summary view. */
export const ToSummaryMessage = union('type', 'message', [
  /**
   * The followed design: its file name, its name, the rows in topological order, the totals, and
   * `problem` (written for the user) when the text has errors or cannot be read as a network.
   */
  msg('show', {
    file: text(4096), name: optional(text(10_000)), rows: list(SummaryRowInfo, { max: 10_000 }), totals: SummaryTotals,
    problem: optional(text(10_000)),
  }),
  /** The graph editor's selection changed: these rows are highlighted. */
  msg('select', { ids: list(nodeId, { max: 10_000, what: 'a list of node ids' }) }),
]);
export type ToSummary = Infer<typeof ToSummaryMessage>;

/** Summary view → host. */
export const FromSummaryMessage = union('type', 'message', [
  msg('ready', {}),
  /** The user picked a row: the graph editor selects that node. */
  msg('select', { id: nodeId }),
]);
export type FromSummary = Infer<typeof FromSummaryMessage>;
