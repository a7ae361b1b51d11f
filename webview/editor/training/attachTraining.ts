/**
 * Hooks the training view into the graph editor with one call from main.ts: listens to the
 * host's training stream and panel-driven selection. Kept apart so the editor's files need only
 * that one line.
 */
import type { Channel, FromEditor, ToEditor } from '../../../src/protocol';
import { TrainingView } from './trainingView';

/** The part of the editor app the training view uses. */
export interface EditorLike {
  readonly selected: Set<string>;
  readonly renderer: { svg: SVGSVGElement };
  refreshSelection(): void;
}

/** Creates the training view and subscribes it to the channel; returns it (tests read it). */
export function attachTraining(app: EditorLike, channel: Channel<FromEditor, ToEditor>): TrainingView {
  const view = new TrainingView(() => app.renderer.svg);
  channel.on('training', (m) => view.apply(m.update));
  channel.on('selectNode', (m) => {
    app.selected.clear();
    app.selected.add(m.id);
    app.refreshSelection();
  });
  // A new snapshot may redraw edges: put the weight colours back after it.
  channel.on('document', () => requestAnimationFrame(() => view.colorEdges()));
  // Every user selection ends in refreshSelection: wrap it so the gradients panel can follow.
  let last = '';
  const refresh = app.refreshSelection.bind(app);
  app.refreshSelection = () => {
    refresh();
    const ids = [...app.selected];
    const key = ids.join('\n');
    if (key !== last) {
      last = key;
      channel.post({ type: 'selectionChanged', ids });
    }
  };
  (window as unknown as { neuralCanvasTraining: TrainingView }).neuralCanvasTraining = view;
  return view;
}
