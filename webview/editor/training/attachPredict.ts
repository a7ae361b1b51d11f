/**
 * Connects the training view's Predict pane to the host: the pane's rows go to the training
 * process (predictRow), the host's predictPane opens or refreshes it, and the pane refreshes its
 * names and weights when a run ends, a Step saves weights, the weights are reset or the design
 * changes. Until a run draws its own, the boundary the pane brought (its weights over the data) is
 * the view's boundary.
 */
import type { Channel, FromEditor, ToEditor } from '../../../src/protocol';
import type { TrainingView } from './trainingView';

/** How long a prediction may take before the pane says so (the training process may be busy starting). */
const PREDICT_TIMEOUT_MS = 60_000;
/** How long after the last edit of the design the pane asks for its names and weights again. */
const DESIGN_SETTLE_MS = 400;

/** Wires `view.predict` to `channel`. */
export function attachPredict(view: TrainingView, channel: Channel<FromEditor, ToEditor>): void {
  const pane = view.predict;
  pane.link = {
    predict: (inputs) => channel.request({ type: 'predictRow', inputs }, PREDICT_TIMEOUT_MS),
    refresh: (inputs) => channel.post({ type: 'refreshPredict', ...(inputs ? { inputs } : {}) }),
  };
  channel.on('predictPane', (m) => {
    const s = view.state;
    if (s.runId < 0) {
      // No run has drawn a boundary: the pane's (or none, when the design no longer has two inputs or weights).
      s.boundary = m.info.boundary && { ...m.info.boundary };
      s.points = m.info.points;
    }
    if (m.open && view.collapsed) view.hooks.fold?.();
    pane.show(m);
    view.schedule();
  });
  channel.on('training', (m) => {
    const k = m.update.kind;
    if (pane.open && (k === 'done' || k === 'reset' || k === 'saved')) pane.link?.refresh(pane.values());
  });
  // The design changed (an input's units or features, a layer): fields and weights follow, once typing pauses.
  let edited: ReturnType<typeof setTimeout> | undefined;
  let version: number | undefined;
  channel.on('document', (m) => {
    const first = version === undefined;
    version = m.snapshot.version;
    if (first || !pane.open) return;
    clearTimeout(edited);
    edited = setTimeout(() => pane.link?.refresh(pane.values()), DESIGN_SETTLE_MS);
  });
}
