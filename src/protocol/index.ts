/**
 * Every message that crosses a process or webview boundary. Each message is defined once, as a
 * schema (./schema.ts): its TypeScript type is inferred from the definition and its runtime check
 * is the definition, so the two cannot drift. A request names its reply, so `Channel.request`
 * resolves to that reply's type and checks the answer.
 *
 * - editorMessages.ts: host ↔ graph editor webview (ToEditorMessage / FromEditorMessage)
 * - panelMessages.ts: host ↔ gradients panel webview (ToPanelMessage / FromPanelMessage)
 * - summaryMessages.ts: host ↔ Summary view webview (ToSummaryMessage / FromSummaryMessage)
 * - trainerMessages.ts: host ↔ training process (ToTrainerMessage / FromTrainerMessage)
 * - trainingUpdate.ts: the training stream every view draws (TrainingUpdate), Check Gradients' result
 * - runStatus.ts: where a run stands, folded from that stream and worded the same on every surface
 * - imageViews.ts: what image networks add to it (image grid, filters, feature maps), with their size bounds
 * - predictMessages.ts: the graph editor's Predict pane (feature and class names, a boundary for two inputs)
 * - neuronGrids.ts: what two-input networks add to it (each neuron's heatmap over the input plane)
 * - channel.ts: the typed channel both ends of every boundary use
 * - probes.ts: what views report for tests; not part of the product protocol
 *
 * Receivers never trust a message: each validates with the sender's union (`X.validate(raw)`)
 * and drops, with one log line, what is malformed.
 */
export { Channel, replyChecks, type ChannelDisposable, type MessageOf, type Replies, type ReplyTo, type RequestType, type Tagged } from './channel';
export { responseMessage, type ResponseMessage, type WithoutRequestId } from './response';
export {
  CsvPreview, DIAGRAM_THEMES, DiagramTheme, DocumentSnapshot, EDITABLE_PROPERTIES, EditorAction, FromEditorMessage, IntentReply, nodeId, NodeInfo, nodeProblem, ToEditorMessage,
  type EditIntent, type FromEditor, type IntentBody, type ToEditor,
} from './editorMessages';
export { isProbe, ProbeMessage, SummaryProbeMessage, type EditorRendered, type NeuronsRendered, type PanelRendered, type PredictRendered, type SummaryRendered, type TrainingRendered } from './probes';
export { FromSummaryMessage, SummaryRowInfo, SummaryTotals, ToSummaryMessage, type FromSummary, type ToSummary } from './summaryMessages';
export { FromPanelMessage, ToPanelMessage, type FromPanel, type ToPanel } from './panelMessages';
export { MalformedMessage, type Infer, type JsonValue } from './schema';
export {
  EXPORT_FORMAT_NAMES, ExportAnswer, TRAINER_LOG_PREFIX, FromTrainerMessage, PredictReply, SavedWeightsState, StepReply, ToTrainerMessage, TrainerJob, TrainOverrides,
  type ExportFormatName, type FromTrainer, type ToTrainer,
} from './trainerMessages';
export { CLASS_COLORS, cellClass, classColour } from './boundaryCells';
export { isRunning, NO_RUN, nextRunStatus, runHeadline, runPosition, type RunPhase, type RunStatus } from './runStatus';
export { MAX_PANE_INPUTS, PredictInfo, PredictPane, PredictTask } from './predictMessages';
export { FeatureMaps, ImagePicture, MAX_FEATURE_VALUES, MAX_FILTER_VALUES, MAX_GRID_IMAGES, MAX_IMAGE_VALUES, type FeatureMapsValue } from './imageViews';
export { MAX_NEURON_GRID_SIDE, MAX_NEURON_LAYERS, MAX_NEURONS_PER_LAYER, NeuronLayer, neuronLevel, NeuronRange } from './neuronGrids';
export { BoundaryPoints, EpochCurves, GradientCheckResult, LayerSummary, LayerWeights, MAX_STREAMED_WEIGHTS, MetricsSummary, TensorSummary, TrainingUpdate, type GradientCheckRow } from './trainingUpdate';
export { LoggedRunSchema, MAX_RUNS_SHOWN } from './runHistoryMessages';
