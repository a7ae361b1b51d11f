/**
 * What the inspector shows depends on, as one string: a snapshot that leaves it equal (an edit
 * elsewhere in a big design, a redraw for heatmaps) keeps the inspector's elements as they are
 * instead of building its toolkit controls again — about a fifth of a 2,000-node redraw — and
 * what the user is typing in a field stays. Pure.
 */
import { own } from '../../src/model/ownKeys';
import type { DocumentSnapshot } from '../../src/protocol';

/**
 * The inspector's inputs for `selected`; undefined when they are not cheap to state (a group or
 * several nodes selected: those are built each time). `extra`: what else it shows (a counter of
 * CSV previews and training weights received).
 */
export function inspectorKey(snap: DocumentSnapshot, selected: readonly string[], expanded: ReadonlySet<string>, extra: string): string | undefined {
  const doc = snap.doc;
  if (!doc) return undefined;
  if (selected.length === 0) {
    // The summary, the problems and the training settings; the data kind's choices follow the inputs.
    const inputs = doc.nodes.filter((n) => n.type === 'input');
    return JSON.stringify(['design', extra, snap.fileName, doc.name, doc.description, doc.nodes.length, snap.totalParams, doc.training, snap.diagnostics, inputs]);
  }
  if (selected.length !== 1) return undefined;
  const id = selected[0];
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) return undefined;
  return JSON.stringify(['node', extra, node, own(snap.nodes, id), own(doc.layout?.pinned, id), expanded.has(id), snap.diagnostics.filter((d) => d.nodeId === id)]);
}
