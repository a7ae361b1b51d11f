/**
 * Connects the training view's Predict pane to the host: the pane's rows go to the training
 * process (predictRow), the host's predictPane opens or refreshes it, and the pane refreshes its
 * names and weights when a run ends, a Step saves weights or the weights are reset. Until a run
 * draws its own, the boundary the pane brought (its weights over the data) is the view's boundary.
 */
import type { Channel, FromEditor, ToEditor } from '../../../src/protocol';
import type { TrainingView } from './trainingView';

/** How long a prediction may take before the pane says so (the training process may be busy starting). */
const PREDICT_TIMEOUT_MS = 60_000;

/** Wires `view.predict` to `channel`. */
export function attachPredict(view: TrainingView, channel: Channel<FromEditor, ToEditor>): void {
  const pane = view.predict;
  pane.link = {
    predict: (inputs) => channel.request({ type: 'predictRow', inputs }, PREDICT_TIMEOUT_MS),
    refresh: (inputs) => channel.post({ type: 'refreshPredict', ...(inputs ? { inputs } : {}) }),
  };
  channel.on('predictPane', (m) => {
    const s = view.state;
    if (m.info.boundary && s.runId < 0) {
      s.boundary = { ...m.info.boundary };
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
}
