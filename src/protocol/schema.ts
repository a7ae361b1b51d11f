/**
 * A tiny schema builder: each protocol message is written once, as a schema, and both its
 * TypeScript type (`Infer<typeof X>`) and its runtime check come from that one definition, so the
 * two cannot drift. A check returns what is wrong (written for a log line, naming the field), or
 * undefined when the value is fine. Schemas accept exactly their fields: an unknown field is an
 * error, never silently carried along.
 */

/** Returns what is wrong with `v` (`at` names it, e.g. "update.epoch"), or undefined. */
export type Check = (v: unknown, at: string) => string | undefined;

/** A value of type T, with its check. `optional` marks a field that may be absent. */
export interface Schema<T> {
  readonly check: Check;
  readonly optional?: boolean;
  /** Type-level only: carries T (never set at run time). */
  readonly __type?: () => T;
}

/** A schema of a field that may be absent (or undefined). */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

/** The type a schema describes. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Flattens an intersection for readable hovers and errors. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Fields of an object schema. */
export type Shape = { readonly [key: string]: Schema<unknown> };

type OptionalKeys<F extends Shape> = { [K in keyof F]: F[K] extends OptionalSchema<unknown> ? K : never }[keyof F];

/** The object type of a shape: optional schemas become optional properties. */
export type ObjectOf<F extends Shape> = Simplify<
  { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { -readonly [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/** Limits: far above anything real, low enough that a hostile value cannot exhaust memory or loops. */
export const LIMITS = { text: 256 * 1024 * 1024, path: 4096, list: 1_000_000, names: 10_000, depth: 8 } as const;

/** A value as a reason may show it (short, no raw control characters). */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'a list';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `a ${typeof v}`;
}

/** A field name as a log may show it: at most 64 characters, control characters escaped. */
export function keyName(k: string): string {
  return JSON.stringify(k.slice(0, 64)).slice(1, -1);
}

/** A plain object (not null, a list or a typed array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

const child = (at: string, key: string): string => (at ? `${at}.${keyName(key)}` : keyName(key));

/** A schema from a check: the escape hatch for rules that are not a shape (a node, a point map). */
export function custom<T>(check: Check): Schema<T> {
  return { check };
}

/** The same value, allowed to be absent. */
export function optional<T>(s: Schema<T>): OptionalSchema<T> {
  return { check: s.check, optional: true };
}

/** A whole number in [min, max]. */
export const int = (min: number, max: number): Schema<number> => custom((v, at) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? undefined : `"${at}" must be a whole number from ${min} to ${max}, got ${show(v)}`);

/** A whole number from 0 up. */
export const count = int(0, Number.MAX_SAFE_INTEGER);

/** Any number (NaN and ±Infinity included: a diverging run reports them). */
export const anyNumber: Schema<number> = custom((v, at) => (typeof v === 'number' ? undefined : `"${at}" must be a number, got ${show(v)}`));

/** A finite number in (min, max] when `exclusiveMin`, else [min, max]. */
export const finite = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE, exclusiveMin = false): Schema<number> => custom((v, at) =>
  typeof v === 'number' && Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max
    ? undefined : `"${at}" must be a number ${exclusiveMin ? 'above' : 'from'} ${min} ${exclusiveMin ? 'up ' : ''}to ${max}, got ${show(v)}`);

/** Text of at most `max` characters. */
export const text = (max: number = LIMITS.text): Schema<string> => custom((v, at) =>
  typeof v === 'string' && v.length <= max ? undefined : `"${at}" must be text${typeof v === 'string' ? ` of at most ${max} characters` : `, got ${show(v)}`}`);

/** A file path: non-empty text without NUL. */
export const path: Schema<string> = custom((v, at) =>
  typeof v === 'string' && v.length > 0 && v.length <= LIMITS.path && !v.includes('\0') ? undefined : `"${at}" must be a file path, got ${show(v)}`);

export const bool: Schema<boolean> = custom((v, at) => (typeof v === 'boolean' ? undefined : `"${at}" must be true or false, got ${show(v)}`));

/** One of the given strings; `problem` words the refusal when the default does not suit. */
export function oneOf<const T extends string>(values: readonly T[], problem?: (v: unknown, at: string) => string): Schema<T> {
  const set = new Set<string>(values);
  return custom((v, at) => (typeof v === 'string' && set.has(v) ? undefined : problem ? problem(v, at) : `"${at}" must be one of ${values.join(', ')}, got ${show(v)}`));
}

/** A list of min to max items, each passing `item`; `what` words the refusal of the whole list ("a non-empty list of node ids"). */
export function list<T>(item: Schema<T>, { min = 0, max = LIMITS.list, what }: { min?: number; max?: number; what?: string } = {}): Schema<T[]> {
  return custom((v, at) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) {
      return what ? `"${at}" must be ${what}` : `"${at}" must be a list of ${min > 0 ? `${min} to ` : 'at most '}${max} items, got ${show(v)}`;
    }
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i], `${at}[${i}]`);
      if (problem) return what ? `"${at}" must be ${what} (${problem})` : problem;
    }
    return undefined;
  });
}

/** A typed array of this kind (they cross IPC and postMessage as such). */
export function typedArray(kind: typeof Float32Array): Schema<Float32Array>;
export function typedArray(kind: typeof Uint8Array): Schema<Uint8Array>;
export function typedArray(kind: typeof Float32Array | typeof Uint8Array): Schema<Float32Array | Uint8Array> {
  return custom((v, at) => (v instanceof kind && v.length <= 64 * LIMITS.list ? undefined : `"${at}" must be a ${kind.name}, got ${show(v)}`));
}

/** What is wrong with the fields of `m` against `fields` (`skip`: the tag, checked by the caller). */
function fieldsProblem(m: Record<string, unknown>, fields: Shape, at: string, skip?: string): string | undefined {
  for (const key of Object.keys(m)) {
    if (key !== skip && !Object.hasOwn(fields, key)) return `unexpected field "${child(at, key)}"`;
  }
  for (const [key, field] of Object.entries(fields)) {
    const v = m[key];
    if (v === undefined) {
      if (field.optional) continue;
      return `"${child(at, key)}" is missing`;
    }
    const problem = field.check(v, child(at, key));
    if (problem) return problem;
  }
  return undefined;
}

/** An object with exactly these fields (optional ones may be absent or undefined). */
export function object<const F extends Shape>(fields: F): Schema<ObjectOf<F>> & { readonly fields: F } {
  return {
    fields,
    check: (v, at) => (isObject(v) ? fieldsProblem(v, fields, at) : `"${at}" must be an object, got ${show(v)}`),
  };
}

/** An object mapping names to values that pass `value` (names pass `key` when given). */
export function record<T>(value: Schema<T>, key?: Schema<string>): Schema<Record<string, T>> {
  return custom((v, at) => {
    if (!isObject(v)) return `"${at}" must be an object, got ${show(v)}`;
    const keys = Object.keys(v);
    if (keys.length > LIMITS.names) return `"${at}" has more than ${LIMITS.names} entries`;
    for (const k of keys) {
      const problem = key?.check(k, `${child(at, k)} (its name)`) ?? value.check(v[k], child(at, k));
      if (problem) return problem;
    }
    return undefined;
  });
}

/** One member of a tagged union: `tag` holds `value`; `reply` is the answer's schema when it is a request. */
export interface Variant<Tag extends string, V extends string, F extends Shape, R = never> extends Schema<Simplify<{ -readonly [K in Tag]: V } & ObjectOf<F>>> {
  readonly tag: Tag;
  readonly value: V;
  readonly fields: F;
  readonly reply?: Schema<R>;
  /** A rule across fields (checked after each field passed). */
  readonly refine?: (m: Record<string, unknown>) => string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVariant = Variant<string, string, any, any>;

/** A member of a tagged union. */
export function variant<Tag extends string, const V extends string, const F extends Shape, R = never>(
  tag: Tag, value: V, fields: F, options: { reply?: Schema<R>; refine?: (m: Record<string, unknown>) => string | undefined } = {},
): Variant<Tag, V, F, R> {
  const check: Check = (v, at) => {
    if (!isObject(v) || v[tag] !== value) return `"${at}" must be an object with ${tag} ${JSON.stringify(value)}`;
    return fieldsProblem(v, fields, at, tag) ?? options.refine?.(v);
  };
  return { tag, value, fields, check, ...options };
}

/** A message (tagged by `type`) that needs no answer. */
export function msg<const V extends string, const F extends Shape>(type: V, fields: F, refine?: (m: Record<string, unknown>) => string | undefined): Variant<'type', V, F> {
  return variant('type', type, fields, { refine });
}

/** Request ids: assigned by the sending Channel, echoed by the answer. */
export const requestId = count;

/** A request (tagged by `type`, with a requestId) answered with a value that passes `reply`. */
export function request<const V extends string, const F extends Shape, R>(
  type: V, fields: F, reply: Schema<R>, refine?: (m: Record<string, unknown>) => string | undefined,
): Variant<'type', V, F & { requestId: Schema<number> }, R> {
  return variant('type', type, { ...fields, requestId }, { reply, refine });
}

/** A tagged union's schema: `validate` checks a whole message, `variants` lists its members by tag value. */
export interface Union<Tag extends string, V extends AnyVariant> extends Schema<Infer<V>> {
  readonly tag: Tag;
  readonly variants: { readonly [K in V['value']]: Extract<V, { value: K }> };
  /** The checked value, or what is wrong with it. Never throws. */
  validate(raw: unknown): Infer<V> | MalformedMessage;
}

/** A message that was not acceptable: its type ('' when it had none), why, and its requestId when it had a readable one. */
export class MalformedMessage {
  constructor(readonly type: string, readonly reason: string, readonly requestId?: number) {}

  /** One line for a log: the message type and what is wrong with it (no raw control characters). */
  get line(): string {
    return `ignored a malformed ${this.type ? `${show(this.type)} ` : ''}message: ${this.reason}`;
  }
}

/**
 * A tagged union of variants. `what` names its members in reasons ("unknown update kind …").
 * Nested unions report paths from `at`; the whole-message `validate` names the message type.
 */
export function union<Tag extends string, const V extends readonly Variant<Tag, string, Shape, unknown>[]>(
  tag: Tag, what: string, members: V,
): Union<Tag, V[number]> {
  const byValue: Record<string, V[number]> = Object.create(null);
  for (const m of members) {
    if (Object.hasOwn(byValue, m.value)) throw new Error(`${what} ${tag} "${m.value}" is defined twice`);
    byValue[m.value] = m;
  }
  const problem = (v: unknown, at: string): string | undefined => {
    if (!isObject(v) || typeof v[tag] !== 'string') return at ? `"${at}" must be an object with a string "${tag}"` : `a ${what} must be an object with a string "${tag}"`;
    const member = Object.hasOwn(byValue, v[tag] as string) ? byValue[v[tag] as string] : undefined;
    if (!member) return `unknown ${what} ${tag} ${show(v[tag])}`;
    return member.check(v, at);
  };
  return {
    tag,
    variants: byValue as Union<Tag, V[number]>['variants'],
    check: problem,
    validate(raw: unknown) {
      const reason = problem(raw, '');
      if (reason === undefined) return raw as Infer<V[number]>;
      const r = isObject(raw) ? raw : {};
      const id = r.requestId;
      return new MalformedMessage(typeof r[tag] === 'string' ? (r[tag] as string) : '', reason, typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined);
    },
  };
}

type ReplyOfVariant<M> = M extends { readonly reply?: Schema<infer R> } ? R : never;

/** The request types of a union (the members with a reply), each mapped to its reply type. */
export type RepliesOf<U> = U extends { readonly variants: infer VS }
  ? { [K in keyof VS as [ReplyOfVariant<VS[K]>] extends [never] ? never : K]: ReplyOfVariant<VS[K]> }
  : never;

/** A JSON value, as carried by property edits and the editor's answers. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function jsonProblem(v: unknown, depth: number): boolean {
  if (depth > LIMITS.depth) return true;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return false;
  if (typeof v === 'number') return !Number.isFinite(v);
  if (Array.isArray(v)) return v.length > 100_000 || v.some((e) => jsonProblem(e, depth + 1));
  if (isObject(v)) return Object.keys(v).length > 1000 || Object.values(v).some((e) => jsonProblem(e, depth + 1));
  return true;
}

/** Plain JSON of bounded depth and size (no functions, no cycles, finite numbers). */
export const jsonValue: Schema<JsonValue> = custom((v, at) => (jsonProblem(v, 0) ? `"${at}" must be plain JSON` : undefined));

function plainProblem(v: unknown, at: string, depth: number): string | undefined {
  if (depth > LIMITS.depth) return `"${at}" is nested too deeply`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return undefined;
  if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Uint8Array || v instanceof Int32Array) return undefined;
  if (Array.isArray(v)) {
    if (v.length > LIMITS.list) return `"${at}" is too long`;
    for (const e of v) {
      const p = plainProblem(e, at, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (isObject(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const keys = Object.keys(v);
    if (keys.length > LIMITS.names) return `"${at}" has too many fields`;
    for (const k of keys) {
      const p = plainProblem(v[k], at, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  return `"${at}" must be plain data, got ${show(v)}`;
}

/** Plain data of bounded depth (numbers of any value, typed arrays): what crosses IPC with 'advanced' serialization. */
export const plainData: Schema<unknown> = custom((v, at) => plainProblem(v, at, 0));
