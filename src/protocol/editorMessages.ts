/**
 * Host ↔ graph editor webview. The host checks every message from the view against
 * `FromEditorMessage` before it reads a field of it (a webview is not trusted input); node ids and
 * node property values are checked by the model's one set of rules (src/model/fieldRules.ts), so
 * the view can send nothing that `nn check` would refuse.
 */
import { trainingFieldProblem } from '../model/trainingFields';
import { asWritten, fitsNodeProperty, isNodeId, kindText, NODE_ID_RULE, NODE_PROPERTIES, nodePropertyKind, type ValueKind } from '../model/fieldRules';
import { type Diagnostic, type NetworkDoc, type NetworkNode, NODE_TYPES, type NodeType } from '../model/types';
import { responseMessage, type WithoutRequestId } from './response';
import {
  bool, count, custom, finite, type Infer, int, isObject, jsonValue, type JsonValue, list, msg, object, oneOf, optional, record,
  type RepliesOf, request, show, text, union,
} from './schema';
import { TrainingUpdate } from './trainingUpdate';
import { RUNS_FIELDS, trainingSection } from './runHistoryMessages';
import { MAX_PANE_INPUTS, PredictPaneFields } from './predictMessages';
import { PredictReply } from './trainerMessages';

// ───────────────────────────── values ─────────────────────────────

/** A node id (the model's rule). */
export const nodeId = custom<string>((v, at) => (isNodeId(v) ? undefined : `"${at}" must be a node id (${NODE_ID_RULE}), got ${show(v)}`));

const MAX_IDS = 10_000;
const ids = list(nodeId, { min: 1, max: MAX_IDS, what: 'a non-empty list of node ids' });

/** A point in graph coordinates. */
const isPoint = (v: unknown): v is { x: number; y: number } =>
  isObject(v) && Object.keys(v).length === 2 && [v.x, v.y].every((c) => typeof c === 'number' && Number.isFinite(c) && Math.abs(c) < 1e7);
const point = custom<{ x: number; y: number }>((v, at) => (isPoint(v) ? undefined : `"${at}" must be {x, y} with finite numbers`));

/** Node ids mapped to where they are pinned. */
const positions = custom<Record<string, { x: number; y: number }>>((v) => {
  if (!isObject(v) || Object.keys(v).length === 0 || Object.keys(v).length > MAX_IDS) return '"positions" must map node ids to {x, y}';
  for (const [id, pt] of Object.entries(v)) if (!isNodeId(id) || !isPoint(pt)) return `position of ${show(id)} must be {x, y} with finite numbers`;
  return undefined;
});

/** Checks a node sent by the view (add, paste); returns the reason it is unacceptable, or undefined. */
export function nodeProblem(raw: unknown): string | undefined {
  if (!isObject(raw)) return 'a node must be an object';
  // A node copied from the parsed document (a paste) carries the units the parser derived from a shape.
  const v = asWritten(raw);
  if (!isNodeId(v.id)) return `node id ${JSON.stringify(v.id)} is not valid: use ${NODE_ID_RULE}`;
  if (typeof v.type !== 'string' || !(NODE_TYPES as readonly string[]).includes(v.type)) return `node type ${JSON.stringify(v.type)} is unknown`;
  const { required, optional: optionalKeys } = NODE_PROPERTIES[v.type as NodeType];
  const allowed = new Set(['id', 'type', 'label', ...required, ...optionalKeys]);
  for (const key of Object.keys(v)) {
    if (!allowed.has(key)) return `a ${v.type} node has no property "${key}"`;
    if (key === 'id' || key === 'type') continue;
    const value = v[key];
    if (jsonValue.check(value, key) !== undefined || !fitsNodeProperty(key, value, v.type)) return `${key} must be ${kindText(nodePropertyKind(key, v.type) as ValueKind)}, not ${JSON.stringify(value)}`;
  }
  const oneOf = NODE_PROPERTIES[v.type as NodeType].oneOf ?? [];
  const given = oneOf.filter((key) => v[key] !== undefined);
  if (oneOf.length && given.length !== 1) return `a ${v.type} node needs exactly one of ${oneOf.join(' or ')}`;
  const missing = required.find((key) => v[key] === undefined);
  if (missing) return `a ${v.type} node needs ${missing === 'activation' ? 'an activation' : /s$/.test(missing) ? missing : `a ${missing}`}`;
  return undefined;
}

const node = custom<NetworkNode>((v, at) => {
  const problem = nodeProblem(v);
  return problem && `"${at}": ${problem}`;
});

/** The node properties the editor's inspector may set; each value must pass the model's rule for it. */
const EDITABLE_KEYS = [
  'units', 'activation', 'alpha', 'rate', 'label', 'useBias', 'features',
  'shape', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize', 'momentum', 'epsilon',
] as const;

/** Properties a node cannot be without (an input's `shape` is replaced by setting its `units`). */
const REQUIRED_KEYS: readonly string[] = ['units', 'rate', 'shape', 'filters', 'kernelSize', 'poolSize'];

/** Node properties the editor may set, with the check each value must pass (the model's field rules). */
export const EDITABLE_PROPERTIES: Readonly<Record<string, (v: JsonValue) => boolean>> = Object.fromEntries(
  EDITABLE_KEYS.map((key) => [key, (v: JsonValue) => fitsNodeProperty(key, v)]),
);

/** A property edit: the key must be editable, the value must keep its rule, and a required property cannot be removed. */
function propertyProblem(m: Record<string, unknown>): string | undefined {
  const key = m.key as string;
  if (!Object.hasOwn(EDITABLE_PROPERTIES, key)) return `property ${JSON.stringify(key)} cannot be edited from the graph`;
  if (m.value === undefined) return REQUIRED_KEYS.includes(key) ? `"${key}" cannot be removed` : undefined;
  return EDITABLE_PROPERTIES[key](m.value as JsonValue) ? undefined : `${JSON.stringify(m.value)} is not a valid value for "${key}"`;
}

/** A training-setting edit: the path must name a setting the editor writes and the value keep its rule (the parser's). */
function trainingFieldEditProblem(m: Record<string, unknown>): string | undefined {
  return trainingFieldProblem(m.path as string[], m.value);
}

/** The first rows of a CSV file as the host read them (the settings inspector's column picker). */
export const CsvPreview = object({
  /** The path as written in training.data.csv. */
  path: text(4096),
  header: list(text(10_000), { max: 10_000 }),
  rows: list(list(text(10_000), { max: 10_000 }), { max: 5 }),
  /** Why the file could not be read (outside the workspace, missing); header and rows are then empty. */
  error: optional(text(10_000)),
});
export type CsvPreview = Infer<typeof CsvPreview>;

// ───────────────────────────── host → view ─────────────────────────────

/** Per-node analysis results in a JSON-friendly form (Maps do not survive postMessage): output shape without the batch dim, trainable parameters, and how they were counted ("2×3 + 3 = 9"). */
export const NodeInfo = object({ shape: optional(list(count, { max: 8 })), params: optional(count), formula: optional(text(10_000)) });
export type NodeInfo = Infer<typeof NodeInfo>;

/** The model's document and diagnostics: built by the host's own parser, so only their outline is checked here. */
const networkDoc = custom<NetworkDoc>((v, at) => (isObject(v) ? undefined : `"${at}" must be a network`));
const diagnostic = custom<Diagnostic>((v, at) => (isObject(v) && typeof v.message === 'string' ? undefined : `"${at}" must be a diagnostic`));

/**
 * Everything the editor view needs to draw one version of the document: the TextDocument version,
 * the file's base name, the network (absent when the text could not be read as nn/1: the view shows
 * its error state), every diagnostic, per-node results by id, and the topological order when known.
 */
export const DocumentSnapshot = object({
  version: int(-1, Number.MAX_SAFE_INTEGER),
  fileName: text(4096),
  doc: optional(networkDoc),
  diagnostics: list(diagnostic),
  nodes: record(NodeInfo),
  order: optional(list(text(1000))),
  totalParams: optional(count),
});
export type DocumentSnapshot = Infer<typeof DocumentSnapshot>;

/** Actions the host asks the view to perform (menus, command palette). */
export const EditorAction = oneOf(['fitView', 'zoomIn', 'zoomOut', 'focusGraph']);
export type EditorAction = Infer<typeof EditorAction>;

/**
 * The colours of an exported diagram: a fixed light or dark palette, light colours on a transparent
 * background, or the editor's current theme.
 */
export const DIAGRAM_THEMES = ['light', 'dark', 'transparent', 'current'] as const;
export const DiagramTheme = oneOf(DIAGRAM_THEMES);
export type DiagramTheme = Infer<typeof DiagramTheme>;

/** Host → editor webview. */
export const ToEditorMessage = union('type', 'message', [
  msg('document', { snapshot: DocumentSnapshot }),
  msg('action', { action: EditorAction }),
  /** The view answers with the diagram as SVG text or a PNG data URL, in `theme`'s colours (default light). */
  request('exportDiagram', { format: oneOf(['svg', 'png']), theme: optional(DiagramTheme) }, text()),
  /** The host could not apply an intent; the view shows the reason. */
  msg('notice', { level: oneOf(['info', 'error']), message: text(100_000) }),
  /** The training stream of this file's run. */
  msg('training', { update: TrainingUpdate }),
  /** Select a node (the gradients panel picked its layer). */
  msg('selectNode', { id: nodeId }),
  /** The header and first rows of the CSV the view asked about (previewCsv). */
  msg('csvPreview', { preview: CsvPreview }),
  /** The design's run history (name.runs.jsonl): on ready and after each run is recorded. */
  msg('runs', RUNS_FIELDS),
  /** Opens (`open`) or refreshes the Predict pane: its fields' names, class names, weights and, maybe, a prediction already made. */
  msg('predictPane', PredictPaneFields),
  /** The user's view settings: `neuronHeatmaps` (neuralCanvas.training.neuronHeatmaps): whether the graph draws neuron heatmaps. On ready and when they change. */
  msg('viewOptions', { neuronHeatmaps: bool }),
  responseMessage(jsonValue),
]);
export type ToEditor = Infer<typeof ToEditorMessage>;

// ───────────────────────────── view → host ─────────────────────────────

/** The answer to every intent: whether the text changed. */
export const IntentReply = object({ changed: bool });
export type IntentReply = Infer<typeof IntentReply>;

/** Editor webview → host: intents (the host turns each into one minimal text edit) and events. */
export const FromEditorMessage = union('type', 'message', [
  msg('ready', {}),
  /** A node to add: after `after` in the file (connected from it), pinned at `position` when it was dropped at a place. */
  request('addNode', { node, after: optional(nodeId), position: optional(point) }, IntentReply),
  request('removeNodes', { ids }, IntentReply),
  request('connect', { from: nodeId, to: nodeId }, IntentReply),
  request('disconnect', { from: nodeId, to: nodeId }, IntentReply),
  request('setProperty', { id: nodeId, key: text(1000), value: optional(jsonValue) }, IntentReply, propertyProblem),
  /** A setting of the training section, by its path inside `training` (["optimizer", "learningRate"]); no value removes it. */
  request('setTrainingField', { path: list(text(100), { min: 1, max: 2, what: 'a path of one or two setting names' }), value: optional(jsonValue) }, IntentReply, trainingFieldEditProblem),
  request('rename', { oldId: nodeId, newId: nodeId }, IntentReply),
  request('pin', { positions }, IntentReply),
  request('unpin', { ids }, IntentReply),
  /** A past run's training section as the current one (the run history's Restore): only the settings that differ change. */
  request('restoreTraining', { training: trainingSection }, IntentReply),
  /** Which way the graph's layers run (`layout.direction`): left to right, top to bottom, or chosen for the graph and window (`auto` removes the field). */
  request('setLayoutDirection', { direction: oneOf(['auto', 'right', 'down']) }, IntentReply),
  /** Groups the nodes `ids` as a new group (id and label chosen by the host when not given), drawn collapsed when `collapsed`. */
  request('group', { ids, id: optional(nodeId), label: optional(text(1000)), collapsed: optional(bool) }, IntentReply),
  /** Removes group `id`; its nodes stay. */
  request('ungroup', { id: nodeId }, IntentReply),
  /** Draws group `id` as one box (true) or its members in place (false). */
  request('setGroupCollapsed', { id: nodeId, collapsed: bool }, IntentReply),
  /** The text on group `id`'s box ('' removes it: the id is shown). */
  request('setGroupLabel', { id: nodeId, label: text(1000) }, IntentReply),
  /** Accepts the editor's offer for a large design without groups: its chains become collapsed groups (proposeGroups), in one edit. */
  request('groupChains', {}, IntentReply),
  /** Nodes and the edges among them, ids already made unique by the view. */
  request('paste', {
    nodes: list(node, { min: 1, max: MAX_IDS, what: 'a non-empty list of nodes' }),
    edges: list(object({ from: nodeId, to: nodeId }), { max: 100_000, what: 'a list of {from, to} node ids' }),
  }, IntentReply),
  msg('openTextEditor', {}),
  /** The selected nodes changed (the gradients panel follows). */
  msg('selectionChanged', { ids: list(nodeId, { max: MAX_IDS, what: 'a list of node ids' }) }),
  /** The user clicked an image of the training view's image grid (`row` of its set): the gradients panel shows its feature maps. */
  msg('pickImage', { row: int(0, Number.MAX_SAFE_INTEGER) }),
  /** The settings inspector shows a CSV's columns: the host answers with csvPreview (read only inside the workspace). */
  msg('previewCsv', { path: text(4096) }),
  /** "Add training data…": the host asks which data to train on and writes it (`csvFile`: straight to picking a CSV file). */
  msg('addTrainingData', { csvFile: optional(bool) }),
  /** The Predict pane opened, a run ended or its point left the plotted area: the host answers with predictPane (names, classes, weights, a boundary that takes in `inputs`). */
  msg('refreshPredict', { inputs: optional(list(finite(), { max: MAX_PANE_INPUTS })) }),
  /** The Predict pane's row of input values: the training process predicts with the saved (else inline) weights. */
  request('predictRow', { inputs: list(finite(), { max: 1_000_000 }) }, PredictReply),
  /** The training view's "Neuron heatmaps" toggle: the host sets neuralCanvas.training.neuronHeatmaps (and answers every view with viewOptions). */
  msg('setNeuronHeatmaps', { on: bool }),
  responseMessage(jsonValue),
]);
export type FromEditor = Infer<typeof FromEditorMessage>;

/** The intent messages (those that change the text): the view's requests but predictRow. */
export type EditIntent = Extract<FromEditor, { requestId: number; type: Exclude<FromEditor['type'], 'response' | 'predictRow'> }>;

/** An intent as the view writes it (the channel adds the requestId). */
export type IntentBody = WithoutRequestId<EditIntent>;

/** The answers to each side's requests, by request type. */
export type EditorReplies = RepliesOf<typeof FromEditorMessage> & RepliesOf<typeof ToEditorMessage>;
