/**
 * Hooks the training view into the graph editor with one call from main.ts: the view is docked
 * below or beside the editor, the host's training stream goes to the view, whose weights colour the graph's edges; the gradients panel's choice
 * selects a node, and each change of the selected nodes is told to the host (which points the
 * panel at that layer), as is a click on an image of the image grid (the panel shows its feature maps).
 */
import type { Channel, FromEditor, LayerWeights, ToEditor, TrainingUpdate } from '../../../src/protocol';
import type { NeuronFocus } from '../neuronHeatmaps';
import type { SelectionModel } from '../selection';
import { exposeForTests } from '../../shared/testHooks';
import { TrainingDock } from './trainingDock';
import type { DockStore } from './trainingDock';
import { TrainingView } from './trainingView';
import { attachPredict } from './attachPredict';

/** The part of the editor the training view uses. */
export interface TrainingHost {
  readonly selection: Pick<SelectionModel, 'ids' | 'select' | 'onChange'>;
  /** Colours the graph's edges by these weights ({}: no colours). */
  showWeights(weights: Readonly<Record<string, LayerWeights>>): void;
  /** Fits the whole graph into view (its canvas changed size). */
  fit(): void;
  /** Each training update (the graph's neuron heatmaps). */
  training?(u: TrainingUpdate): void;
  /** Neuron heatmaps turned on or off (the user's setting). */
  showNeuronHeatmaps?(on: boolean): void;
  /** Told of the neuron heatmap under the pointer (the view shows it large). */
  neuronHover?: (focus: NeuronFocus | undefined) => void;
}

/**
 * Creates the training view, docks it beside the editor's `frame` (its root element) and
 * subscribes it to the channel; returns it (tests read it). `store` keeps the dock's size and
 * collapsed state (the webview state).
 */
export function attachTraining(editor: TrainingHost, channel: Channel<FromEditor, ToEditor>, frame: HTMLElement, store: DockStore): TrainingView {
  const view = new TrainingView((weights) => editor.showWeights(weights), (row) => channel.post({ type: 'pickImage', row }));
  new TrainingDock(frame, view, () => editor.fit(), store);
  channel.on('runs', (m) => view.history.setRuns(m.file, m.runs, m.warnings));
  view.history.restore = (training) => channel.request({ type: 'restoreTraining', training: training as never });
  attachPredict(view, channel);
  channel.on('training', (m) => {
    view.apply(m.update);
    editor.training?.(m.update);
  });
  editor.neuronHover = (focus) => view.showNeuron(focus);
  // The user's setting, on ready and when it changes; the toggle sets it (the host answers every view), and this view follows at once.
  const heatmaps = (on: boolean): void => { view.setNeuronHeatmaps(on); editor.showNeuronHeatmaps?.(on); };
  channel.on('viewOptions', (m) => heatmaps(m.neuronHeatmaps));
  view.onNeuronHeatmaps = (on) => { heatmaps(on); channel.post({ type: 'setNeuronHeatmaps', on }); };
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
