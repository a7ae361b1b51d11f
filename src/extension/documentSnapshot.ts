/**
 * Builds what the editor view draws from one version of the text: parse, validate and analyse
 * with the model core, then flatten the analysis into plain JSON (Maps do not survive
 * postMessage). Pure: no vscode import.
 */
import { analyzeNetwork, checkNetwork, setOwn } from '../model';
import type { NetworkAnalysis } from '../model';
import type { DocumentSnapshot, NodeInfo } from '../protocol';

/** The snapshot of `text` at `version`, plus the analysis for host-side users (status bar). */
export function documentSnapshot(text: string, version: number, fileName: string): { snapshot: DocumentSnapshot; analysis?: NetworkAnalysis } {
  const { parsed, diagnostics, analysis } = checkNetwork(text);
  const nodes: Record<string, NodeInfo> = {};
  // With errors, still show what can be known (shapes of the healthy part) on the graph.
  let shown = analysis;
  if (!shown && parsed.doc) {
    try {
      shown = analyzeNetwork(parsed.doc);
    } catch {
      shown = undefined;
    }
  }
  if (shown) {
    for (const n of parsed.doc?.nodes ?? []) {
      const info: NodeInfo = {};
      const shape = shown.shapes.get(n.id);
      if (shape) info.shape = shape;
      const p = shown.params.get(n.id);
      if (p) {
        info.params = p.count;
        info.formula = p.formula;
      }
      // Node ids may be '__proto__' or 'constructor': stored as own properties, read with own().
      setOwn(nodes, n.id, info);
    }
  }
  const snapshot: DocumentSnapshot = {
    version,
    fileName,
    doc: parsed.doc,
    diagnostics,
    nodes,
    ...(analysis ? { order: analysis.order, totalParams: analysis.totalParams } : {}),
  };
  return { snapshot, analysis };
}
