/**
 * Host ↔ gradients panel webview. The host checks every message from the panel against
 * `FromPanelMessage` (a webview is not trusted input).
 */
import { nodeId } from './editorMessages';
import { FeatureMaps, imageRow } from './imageViews';
import { type Infer, list, msg, optional, text, union } from './schema';
import { GradientCheckResult, TrainingUpdate } from './trainingUpdate';

/** Host → gradients panel. */
export const ToPanelMessage = union('type', 'message', [
  /** The panel now follows this file (undefined: no .nn editor active); `updates` replays its latest run. */
  msg('follow', { file: optional(text(4096)), layers: list(text(1000)), updates: list(TrainingUpdate), check: optional(GradientCheckResult), selected: optional(nodeId) }),
  msg('update', { file: text(4096), update: TrainingUpdate }),
  msg('gradientCheck', { result: GradientCheckResult }),
  /** The graph selected a layer. */
  msg('select', { id: optional(nodeId) }),
  /** The answer to the panel's 'featureMaps': the maps, or why there are none (written for the user). */
  msg('featureMaps', { node: nodeId, row: imageRow, maps: optional(FeatureMaps), error: optional(text(100_000)) }),
  /** The user clicked an image of the editor's image grid: show its feature maps. */
  msg('pickImage', { row: imageRow }),
]);
export type ToPanel = Infer<typeof ToPanelMessage>;

/** Gradients panel → host. */
export const FromPanelMessage = union('type', 'message', [
  msg('ready', {}),
  /** The user picked a layer in the panel (the host selects it in the graph). */
  msg('select', { id: nodeId }),
  msg('checkGradients', {}),
  /** Feature maps of a conv node for one image of the grid (the host asks the training process). */
  msg('featureMaps', { node: nodeId, row: imageRow }),
]);
export type FromPanel = Infer<typeof FromPanelMessage>;
