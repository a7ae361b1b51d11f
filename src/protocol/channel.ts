/**
 * One small typed channel used on both ends of every boundary: `post` events, `request` and await
 * a typed answer, `handle` requests by returning (or throwing) a value, `on` to listen. The owner
 * feeds received, already validated messages to `receive`. Answers are typed by the request's
 * definition (`Replies`), and checked against it at run time when the channel is given the
 * definitions' reply checks.
 */
import type { EditorReplies } from './editorMessages';
import type { Check, Schema } from './schema';
import type { ResponseMessage, WithoutRequestId } from './response';
import type { TrainerReplies } from './trainerMessages';

/** Every request type of every channel, mapped to the type of its answer. */
export type Replies = EditorReplies & TrainerReplies;

/** Request types are unique across channels (so one map can type every answer). */
type Overlap = keyof EditorReplies & keyof TrainerReplies;
const noOverlap: [Overlap] extends [never] ? true : false = true;
void noOverlap;

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

/** The types of the requests in union M (the messages that carry a requestId). */
export type RequestType<M extends Tagged> = Extract<M, { requestId: number }>['type'];

/** The answer to request type K (plain data for a request no definition names, as in tests of the channel itself). */
export type ReplyTo<K extends string> = K extends keyof Replies ? Replies[K] : unknown;

/** The reply checks of a union's requests, by request type (for `Channel`'s `replies` option). */
export function replyChecks(u: { readonly variants: { readonly [type: string]: { readonly value: string; readonly reply?: Schema<unknown> } } }): Readonly<Record<string, Check>> {
  const checks: Record<string, Check> = {};
  for (const v of Object.values(u.variants)) if (v.reply) checks[v.value] = v.reply.check;
  return checks;
}

interface Pending {
  type: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A typed, transport-agnostic message channel. */
export class Channel<Out extends Tagged, In extends Tagged> {
  private readonly listeners = new Map<string, Set<Listener<In>>>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /**
   * `send` hands one message to the transport (webview.postMessage, process.send, …). `replies`:
   * the checks of the answers to this side's requests (replyChecks of the outgoing union); an
   * answer that fails its check rejects the request with why.
   */
  constructor(private readonly send: (message: Out | ResponseMessage) => void, private readonly replies: Readonly<Record<string, Check>> = {}) {}

  /** Sends one message without waiting for an answer. */
  post(message: Out): void {
    this.send(message);
  }

  /** Sends a request (its requestId is assigned here) and resolves with the answer its definition names. */
  request<K extends RequestType<Out>>(message: { type: K } & WithoutRequestId<MessageOf<Out, K>>, timeoutMs = 30000): Promise<ReplyTo<K>> {
    const requestId = this.nextId++;
    const type: string = message.type;
    return new Promise<ReplyTo<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`No answer to "${type}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(requestId, {
        type,
        resolve: (v) => { clearTimeout(timer); resolve(v as ReplyTo<K>); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.send({ ...message, requestId } as unknown as Out);
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
  handle<K extends RequestType<In>>(type: K, handler: (message: MessageOf<In, K>) => ReplyTo<K> | Promise<ReplyTo<K>>): ChannelDisposable {
    return this.on(type, (message) => {
      const requestId = (message as unknown as { requestId: number }).requestId;
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
      if (!r.ok) {
        p.reject(new Error(r.error ?? 'The request failed.'));
        return;
      }
      const check = Object.hasOwn(this.replies, p.type) ? this.replies[p.type] : undefined;
      const problem = check?.(r.value, 'value');
      if (problem) p.reject(new Error(`the answer to "${p.type}" was malformed: ${problem}`));
      else p.resolve(r.value);
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
