/**
 * The inspector's body as the editor keeps it: built by `renderInspector` for the snapshot and
 * selection, and built again only when what it shows changes (inspectorKey), a CSV preview
 * arrives or training weights do; a rebuild is the costly part of a redraw and would lose what
 * the user is typing. It also asks the host, once per path, for the CSV the settings name.
 */
import type { CsvPreview, DocumentSnapshot, FromEditor, LayerWeights } from '../../src/protocol';
import { h } from './dom';
import { renderInspector, type InspectorActions } from './inspector';
import { inspectorKey } from './inspectorKey';
import { appendWeightMatrix, updateWeightMatrix } from './weightMatrix';

export class InspectorPane {
  readonly el = h('div', { class: 'inspector-body' });
  /** The header and first rows of the design's CSV (the settings' column picker), and the path last asked for. */
  private csvPreview?: CsvPreview;
  private csvAsked?: string;
  /** What the body was last built for (inspectorKey), and a count of CSV previews and weights received. */
  private shown?: string;
  private inputs = 0;
  private weights: Readonly<Record<string, LayerWeights>> = {};

  constructor(private readonly actions: InspectorActions, private readonly post: (m: FromEditor) => void, private readonly showError: (m: string) => void) {}

  /** Shows `snap` with `selected`: rebuilt only when that changes what the inspector shows. */
  render(snap: DocumentSnapshot, selected: readonly string[], expanded: ReadonlySet<string>): void {
    if (!snap.doc) return;
    const key = inspectorKey(snap, selected, expanded, String(this.inputs));
    if (key === undefined || key !== this.shown) {
      renderInspector(this.el, snap, selected, expanded, this.actions, this.showError, this.csvPreview);
      appendWeightMatrix(this.el, selected.length === 1 ? selected[0] : undefined, this.weights, snap);
    }
    this.shown = key;
    // The CSV column picker shows the file's header and first rows: asked of the host once per path.
    const data = snap.doc.training?.data;
    if (data && 'csv' in data && this.csvAsked !== data.csv) {
      this.csvAsked = data.csv;
      this.post({ type: 'previewCsv', path: data.csv });
    }
  }

  /** The host's preview of the design's CSV; the next render shows it. */
  setCsvPreview(preview: CsvPreview | undefined): void {
    this.csvPreview = preview;
    this.inputs++;
  }

  /** The latest training weights: the matrix shown updates in place, the next rebuild shows them. */
  setWeights(weights: Readonly<Record<string, LayerWeights>>): void {
    this.weights = weights;
    this.inputs++;
    updateWeightMatrix(this.el, weights);
  }
}
