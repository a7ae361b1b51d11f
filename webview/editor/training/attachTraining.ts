/**
 * Hooks the training view into the graph editor with one call from main.ts: the host's training
 * stream goes to the view, whose weights colour the graph's edges; the gradients panel's choice
 * selects a node, and each change of the selected nodes is told to the host (which points the
 * panel at that layer), as is a click on an image of the image grid (the panel shows its feature maps).
 */
import type { Channel, FromEditor, LayerWeights, ToEditor } from '../../../src/protocol';
import type { SelectionModel } from '../selection';
import { exposeForTests } from '../../shared/testHooks';
import { TrainingView } from './trainingView';

/** The part of the editor the training view uses. */
export interface TrainingHost {
  readonly selection: Pick<SelectionModel, 'ids' | 'select' | 'onChange'>;
  /** Colours the graph's edges by these weights ({}: no colours). */
  showWeights(weights: Readonly<Record<string, LayerWeights>>): void;
}

/** Creates the training view and subscribes it to the channel; returns it (tests read it). */
export function attachTraining(editor: TrainingHost, channel: Channel<FromEditor, ToEditor>): TrainingView {
  const view = new TrainingView((weights) => editor.showWeights(weights), (row) => channel.post({ type: 'pickImage', row }));
  channel.on('training', (m) => view.apply(m.update));
  channel.on('selectNode', (m) => editor.selection.select(m.id));
  let last = '';
  editor.selection.onChange((s) => {
    const key = s.ids.join('\n');
    if (key === last) return;
    last = key;
    channel.post({ type: 'selectionChanged', ids: [...s.ids] });
  });
  exposeForTests('neuralCanvasTraining', view);
  return view;
}
