/**
 * What the Summary view shows for one version of a design: the rows `nn summary` prints
 * (src/model/summaryRows.ts) and the totals, or why there is less to show (errors: the rows of
 * what can still be analysed, as the graph shows them). Pure: no vscode import.
 */
import { analyzeNetwork, checkNetwork, type NetworkAnalysis, summaryRows } from '../../model';
import type { ToSummary } from '../../protocol';

/** The 'show' message for `text` (the design file `file`, a base name). */
export function summaryContent(text: string, file: string): Extract<ToSummary, { type: 'show' }> {
  const { parsed, diagnostics, analysis } = checkNetwork(text);
  const doc = parsed.doc;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  let shown: NetworkAnalysis | undefined = analysis;
  if (!shown && doc) {
    try {
      shown = analyzeNetwork(doc);
    } catch {
      shown = undefined;
    }
  }
  const empty = { type: 'show' as const, file, rows: [], totals: { total: 0, trainable: 0, nonTrainable: 0, flops: 0 } };
  if (!doc || !shown) {
    return { ...empty, problem: `${file} cannot be read as a network (${errors} error${errors === 1 ? '' : 's'}): fix the text first (see the Problems panel).` };
  }
  const rows = summaryRows(doc, shown).map(({ outputShape, ...r }) => (outputShape ? { ...r, outputShape } : r));
  return {
    type: 'show',
    file,
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    rows,
    totals: { total: shown.totalParams, trainable: shown.trainableParams, nonTrainable: shown.nonTrainableParams, flops: shown.flops },
    ...(errors > 0 ? { problem: `${file} has ${errors} error${errors === 1 ? '' : 's'}: shapes and counts that depend on them are unknown (see the Problems panel).` } : {}),
  };
}
