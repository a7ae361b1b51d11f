/**
 * Every message that crosses a process or webview boundary, split by direction, plus one small
 * typed channel used on both ends (events and request/response).
 *
 * Sections: editor webview (ToEditor / FromEditor), side panel (ToPanel / FromPanel) and the
 * training process (ToTrainer / FromTrainer). The training sections are owned by the training
 * engineer and are placeholders until that work lands.
 *
 * Receivers never trust a message: the extension host validates every FromEditor message with
 * `validateFromEditor` (src/extension/validateFromEditor.ts) before it acts on it.
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
  | ResponseMessage;

/** The intent messages (those that change the text). */
export type EditIntent = Exclude<FromEditor, { type: 'ready' } | { type: 'openTextEditor' } | ResponseMessage>;

/** `T` without its requestId (distributes over unions): what a caller of `Channel.request` passes. */
export type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/** An intent as the view writes it (the channel adds the requestId). */
export type IntentBody = WithoutRequestId<EditIntent>;

// ───────────────────────────── side panel (owner: training engineer) ─────────────────────────────

/** Host → side panel. Placeholder until the panel lands. */
export type ToPanel = { type: 'placeholder' };

/** Side panel → host. Placeholder until the panel lands. */
export type FromPanel = { type: 'ready' };

// ───────────────────────────── training process (owner: training engineer) ─────────────────────────────

/** Host → trainer process. Placeholder until the trainer lands. */
export type ToTrainer = { type: 'placeholder' };

/** Trainer process → host. Placeholder until the trainer lands. */
export type FromTrainer = { type: 'placeholder' };

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
