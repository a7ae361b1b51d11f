/**
 * Every message that crosses a process or webview boundary, split by direction, plus one small
 * typed channel used on both ends (events and request/response).
 *
 * Sections: editor webview (ToEditor / FromEditor), side panel (ToPanel / FromPanel) and the
 * training process (ToTrainer / FromTrainer).
 *
 * Receivers never trust a message: the extension host validates every FromEditor message with
 * `validateFromEditor` (src/extension/validateFromEditor.ts) before it acts on it, and both ends
 * of the training process IPC check each other's messages with src/trainer/validateTrainerMessages.ts.
 */
import type { Diagnostic, NetworkDoc, NetworkNode } from './model/types';

// ───────────────────────────── shared ─────────────────────────────

/** A JSON value, as carried by property edits. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The answer to a request; `requestId` matches the request's. */
export interface ResponseMessage {
  type: 'response';
  requestId: number;
  ok: boolean;
  /** Present when ok. */
  value?: JsonValue;
  /** Present when not ok: written for the user. */
  error?: string;
}

// ───────────────────────────── editor webview ─────────────────────────────

/** Per-node analysis results in a JSON-friendly form (Maps do not survive postMessage). */
export interface NodeInfo {
  /** Output shape without the batch dim; absent when shape inference failed for the node. */
  shape?: number[];
  /** Trainable parameters of this node. */
  params?: number;
  /** How the count was computed, e.g. "2×3 + 3 = 9". */
  formula?: string;
}

/** Everything the editor view needs to draw one version of the document. */
export interface DocumentSnapshot {
  /** The TextDocument version this snapshot was made from. */
  version: number;
  /** Base name of the file, for titles and exports. */
  fileName: string;
  /** Undefined when the text could not be read as an nn/1 network (the view shows its error state). */
  doc?: NetworkDoc;
  /** Every diagnostic of parse, validation and analysis. */
  diagnostics: Diagnostic[];
  /** Keyed by node id; empty when the analysis could not run. */
  nodes: Record<string, NodeInfo>;
  /** Topological order, when known. */
  order?: string[];
  totalParams?: number;
}

/** Actions the host asks the view to perform (menus, command palette). */
export type EditorAction = 'fitView' | 'zoomIn' | 'zoomOut' | 'focusGraph';

/** Host → editor webview. */
export type ToEditor =
  | { type: 'document'; snapshot: DocumentSnapshot }
  | { type: 'action'; action: EditorAction }
  /** Request: the view answers with the diagram as SVG text or a PNG data URL. */
  | { type: 'exportDiagram'; requestId: number; format: 'svg' | 'png' }
  /** The host could not apply an intent; the view shows the reason. */
  | { type: 'notice'; level: 'info' | 'error'; message: string }
  /** The training stream of this file's run. */
  | { type: 'training'; update: TrainingUpdate }
  /** Select a node (the gradients panel picked its layer). */
  | { type: 'selectNode'; id: string }
  | ResponseMessage;

/** A node to add, with where it goes. */
export interface AddNodeIntent {
  type: 'addNode';
  requestId: number;
  node: NetworkNode;
  /** Put it after this node in the file and connect from it. */
  after?: string;
  /** Pin it here (graph coordinates) when it was dropped at a place. */
  position?: { x: number; y: number };
}

/** Editor webview → host: intents; the host turns each into one minimal text edit. */
export type FromEditor =
  | { type: 'ready' }
  | AddNodeIntent
  | { type: 'removeNodes'; requestId: number; ids: string[] }
  | { type: 'connect'; requestId: number; from: string; to: string }
  | { type: 'disconnect'; requestId: number; from: string; to: string }
  | { type: 'setProperty'; requestId: number; id: string; key: string; value?: JsonValue }
  | { type: 'rename'; requestId: number; oldId: string; newId: string }
  | { type: 'pin'; requestId: number; positions: Record<string, { x: number; y: number }> }
  | { type: 'unpin'; requestId: number; ids: string[] }
  /** Nodes and the edges among them, ids already made unique by the view. */
  | { type: 'paste'; requestId: number; nodes: NetworkNode[]; edges: { from: string; to: string }[] }
  | { type: 'openTextEditor' }
  /** The view finished drawing a version (layout included): host-side tests and logs wait on it. */
  | { type: 'rendered'; version: number; nodes: number; errorState: boolean; ms: number }
  /** The selected nodes changed (the gradients panel follows). */
  | { type: 'selectionChanged'; ids: string[] }
  | ResponseMessage;

/** The intent messages (those that change the text). */
export type EditIntent = Exclude<FromEditor, { type: 'ready' } | { type: 'openTextEditor' } | { type: 'rendered' } | { type: 'selectionChanged' } | ResponseMessage>;

/** `T` without its requestId (distributes over unions): what a caller of `Channel.request` passes. */
export type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/** An intent as the view writes it (the channel adds the requestId). */
export type IntentBody = WithoutRequestId<EditIntent>;

// ───────────────────────────── training stream ─────────────────────────────

/** Summary of one tensor (mirrors the engine's TensorStats; the protocol may not import the engine). */
export interface TensorSummary {
  l2: number;
  mean: number;
  std: number;
  histogram: { min: number; max: number; counts: number[] };
}

/** Statistics of one dense layer at one step. */
export interface LayerSummary {
  id: string;
  weight: TensorSummary;
  grad?: TensorSummary;
  /** ReLU layers: fraction of units dead on the last batch. */
  deadFraction?: number;
}

/** Evaluation metrics (classifiers: accuracy and confusion[actual][predicted]; regression: MAE, R²). */
export interface MetricsSummary {
  accuracy?: number;
  confusion?: number[][];
  mae?: number;
  r2?: number;
}

/** One dense layer's weights, for edge colours and the panel's heatmap ([units, inputs] row-major). */
export interface LayerWeights {
  shape: number[];
  data: Float32Array;
}

/** The data points a 2-input classifier is drawn with (x: count×2, label: class index per row). */
export interface BoundaryPoints {
  x: Float32Array;
  label: Float32Array;
  /** 1 for validation rows, 0 for training rows. */
  validation: Uint8Array;
}

/**
 * One update of a run, as views see it. `runId` tells runs apart so a late event of an old run
 * never lands in a new one. Bulk numbers are typed arrays (they cross IPC and postMessage as such).
 */
export type TrainingUpdate =
  | {
    kind: 'start'; runId: number; file: string; backend: string; reason: string; mode: 'train' | 'step';
    paramCounts: Array<{ id: string; count: number }>; totalParams: number; trainCount: number; validationCount: number;
    epochs: number; stepsPerEpoch: number; batchSize: number; notices: string[];
    /** Present for networks with two inputs: the points the boundary is drawn over. */
    points?: BoundaryPoints; classes?: number;
  }
  | { kind: 'progress'; runId: number; epoch: number; step: number; totalSteps: number; globalStep: number; loss: number; samplesPerSec: number }
  | { kind: 'epoch'; runId: number; epoch: number; epochs: number; loss: number; valLoss?: number; metrics: MetricsSummary; samplesPerSec: number }
  | { kind: 'layers'; runId: number; globalStep: number; layers: LayerSummary[] }
  /** A size×size grid of predictions over extent [xmin, xmax, ymin, ymax]: per cell, `width` outputs, row 0 at ymin. */
  | { kind: 'boundary'; runId: number; size: number; extent: [number, number, number, number]; width: number; values: Float32Array }
  | { kind: 'weights'; runId: number; layers: Record<string, LayerWeights> }
  | { kind: 'done'; runId: number; epochs: number; loss: number; valLoss?: number; metrics: MetricsSummary; stopped: 'completed' | 'early-stopping' | 'aborted'; reason: string; elapsedMs: number; samplesPerSec: number; weightsFile?: string }
  | { kind: 'error'; runId: number; message: string; layer?: string }
  /** The training process ended without finishing the run (killed, crashed). */
  | { kind: 'exited'; runId: number; message: string }
  /** Reset Weights: views clear their charts. */
  | { kind: 'reset'; runId: number; message: string }
  /** Sent when a view opens: the file has saved weights (Predict and the boundary use them). */
  | { kind: 'saved'; runId: number; weightsFile: string };

/** Analytic and numerical gradients of one parameter tensor, and their relative error. */
export interface GradientCheckRow {
  tensor: string;
  /** Elements compared (large tensors are sampled). */
  checked: number;
  analyticNorm: number;
  numericNorm: number;
  /** ‖a − n‖ / max(‖a‖ + ‖n‖, 1e-12). */
  relativeError: number;
  /** A few elements side by side, for the table. */
  samples: Array<{ index: number; analytic: number; numeric: number }>;
}

/** The result of Check Gradients. */
export interface GradientCheckResult {
  file: string;
  /** What was differentiated, in words (e.g. "∂output/∂parameter summed over 8 rows"). */
  what: string;
  rows: GradientCheckRow[];
}

// ───────────────────────────── side panel ─────────────────────────────

/** Host → gradients panel. */
export type ToPanel =
  /** The panel now follows this file (undefined: no .nn editor active); `updates` replays its latest run. */
  | { type: 'follow'; file?: string; layers: string[]; updates: TrainingUpdate[]; check?: GradientCheckResult; selected?: string }
  | { type: 'update'; file: string; update: TrainingUpdate }
  | { type: 'gradientCheck'; result: GradientCheckResult }
  /** The graph selected a layer. */
  | { type: 'select'; id?: string };

/** Gradients panel → host. */
export type FromPanel =
  | { type: 'ready' }
  /** The user picked a layer in the panel (the host selects it in the graph). */
  | { type: 'select'; id: string }
  | { type: 'checkGradients' }
  /** What the panel now shows (tests and logs read it). */
  | { type: 'rendered'; layers: string[]; points: number; warnings: string[]; checkRows: number };

// ───────────────────────────── training process ─────────────────────────────

/** Per-run overrides chosen in the quick pick. */
export interface TrainOverrides {
  epochs?: number;
  learningRate?: number;
  backend?: 'auto' | 'cpu' | 'webgpu';
}

/** What every trainer request carries about the network. */
export interface TrainerJob {
  /** The document text (the trainer parses it itself: no half-parsed state crosses the boundary). */
  text: string;
  /** Absolute path of the .nn file (for data paths, messages and the weights file). */
  file: string;
  /** Folders data files must stay inside (the workspace folders). */
  allowedRoots: string[];
}

/**
 * The weights file beside a design, as the trainer finds it (the answer to 'savedWeights'):
 * absent, fitting the design exactly, not fitting it (a changed layer), or damaged (unreadable,
 * NaN/Inf). `problem` names the file's tensors and shapes, or what is wrong with the file.
 */
export type SavedWeightsState =
  | { status: 'none'; file: string }
  | { status: 'fits'; file: string }
  | { status: 'mismatch'; file: string; problem: string }
  | { status: 'damaged'; file: string; problem: string };

/** Host → trainer process. */
export type ToTrainer =
  /**
   * `replaceWeights`: the user agreed to replace a weights file that does not fit or is damaged;
   * without it the trainer refuses such a file rather than overwrite it.
   */
  | ({ type: 'train'; runId: number; overrides: TrainOverrides; boundarySize?: number; eventEveryMs?: number; replaceWeights?: boolean } & TrainerJob)
  | { type: 'stop'; runId: number }
  /** One mini-batch with the step session (kept between Step commands; optimizer state included). */
  | ({ type: 'step'; requestId: number; runId: number; replaceWeights?: boolean } & TrainerJob)
  /** How the saved weights stand against the design; answered with a SavedWeightsState. */
  | ({ type: 'savedWeights'; requestId: number } & TrainerJob)
  /** Drops the step session (after Reset Weights). */
  | { type: 'resetStep' }
  | ({ type: 'predict'; requestId: number; inputs: number[] } & TrainerJob)
  | ({ type: 'checkGradients'; requestId: number } & TrainerJob)
  /**
   * Writes the network for another framework; answered with an ExportAnswer. Files in the way
   * that export did not write are replaced only with `force` (the user chose Replace); without
   * it nothing is written and the answer lists them in `conflicts`.
   */
  | ({ type: 'export'; requestId: number; format: ExportFormatName; out?: string; noData?: boolean; force?: boolean } & TrainerJob);

/** The formats of the Export… command (src/export's EXPORT_FORMATS). */
export type ExportFormatName = 'pytorch' | 'keras' | 'onnx';

/** The trainer's answer to 'export': absolute paths written (main file first) and notes for the user. */
export interface ExportAnswer {
  written: string[];
  notes: string[];
  /** Existing files export did not write (or that changed since): nothing was written; ask the user. */
  conflicts?: string[];
}

/** Trainer process → host. Requests are answered with `response`. */
export type FromTrainer =
  | { type: 'ready'; pid: number }
  | { type: 'update'; update: TrainingUpdate };

// ───────────────────────────── channel ─────────────────────────────

/** Anything with a `type` tag. */
export interface Tagged {
  type: string;
}

/** A handle that undoes a registration. */
export interface ChannelDisposable {
  dispose(): void;
}

type Listener<M> = (message: M) => void;

/** The message of union M whose tag is K. */
export type MessageOf<M extends Tagged, K extends M['type']> = Extract<M, { type: K }>;

/**
 * A typed, transport-agnostic message channel: `post` events, `request` and await an answer,
 * `handle` requests by returning (or throwing) a value. The owner feeds received, already
 * validated messages to `receive`.
 */
export class Channel<Out extends Tagged, In extends Tagged> {
  private readonly listeners = new Map<string, Set<Listener<In>>>();
  private readonly pending = new Map<number, { resolve: (v: JsonValue | undefined) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  /** `send` hands one message to the transport (webview.postMessage, process.send, …). */
  constructor(private readonly send: (message: Out | ResponseMessage) => void) {}

  /** Sends one message without waiting for an answer. */
  post(message: Out): void {
    this.send(message);
  }

  /** Sends a request (its requestId is assigned here) and resolves with the answer's value. */
  request(message: WithoutRequestId<Extract<Out, { requestId: number }>>, timeoutMs = 30000): Promise<JsonValue | undefined> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`No answer to "${(message as Tagged).type}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.send({ ...(message as object), requestId } as unknown as Out);
    });
  }

  /** Listens to one message type. */
  on<K extends In['type']>(type: K, listener: Listener<MessageOf<In, K>>): ChannelDisposable {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<In>);
    return { dispose: () => set.delete(listener as Listener<In>) };
  }

  /** Answers requests of one type with the handler's result; a thrown error becomes `ok: false`. */
  handle<K extends In['type']>(type: K, handler: (message: MessageOf<In, K>) => JsonValue | undefined | Promise<JsonValue | undefined>): ChannelDisposable {
    return this.on(type, (message) => {
      const requestId = (message as unknown as { requestId?: number }).requestId ?? 0;
      Promise.resolve()
        .then(() => handler(message))
        .then(
          (value) => this.send({ type: 'response', requestId, ok: true, ...(value === undefined ? {} : { value }) }),
          (err: unknown) => this.send({ type: 'response', requestId, ok: false, error: err instanceof Error ? err.message : String(err) }),
        );
    });
  }

  /** Delivers one received message: settles a pending request or calls the listeners. */
  receive(message: In | ResponseMessage): void {
    if (message.type === 'response') {
      const r = message as ResponseMessage;
      const p = this.pending.get(r.requestId);
      if (!p) return;
      this.pending.delete(r.requestId);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.error ?? 'The request failed.'));
      return;
    }
    for (const l of this.listeners.get(message.type) ?? []) l(message as In);
  }

  /** Rejects every pending request (the other side went away). */
  dispose(): void {
    for (const p of this.pending.values()) p.reject(new Error('The channel was closed.'));
    this.pending.clear();
    this.listeners.clear();
  }
}
