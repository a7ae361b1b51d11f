/**
 * Host ↔ gradients panel webview. The host checks every message from the panel against
 * `FromPanelMessage` (a webview is not trusted input).
 */
import { nodeId } from './editorMessages';
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
]);
export type ToPanel = Infer<typeof ToPanelMessage>;

/** Gradients panel → host. */
export const FromPanelMessage = union('type', 'message', [
  msg('ready', {}),
  /** The user picked a layer in the panel (the host selects it in the graph). */
  msg('select', { id: nodeId }),
  msg('checkGradients', {}),
]);
export type FromPanel = Infer<typeof FromPanelMessage>;
