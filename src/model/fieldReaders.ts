/**
 * Small typed readers over jsonc-parser's syntax tree: each returns the value when it has the
 * right type and range, or reports one diagnostic at the offending value and returns undefined.
 */
import type { Node } from 'jsonc-parser';
import type { Diagnostic, Severity } from './types';
import { LineIndex } from './lineIndex';
import { fitsNumberRule, MAX_RANK, numberRuleText, POSITIVE_INT, type NumberRule, type ValueKind } from './fieldRules';

/** Collects diagnostics with ranges for one text. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly lines: LineIndex) {}

  /** Reports a problem spanning `node` (or the given offset/length). */
  add(severity: Severity, code: string, message: string, at: Node | { offset: number; length: number }, nodeId?: string): void {
    const d: Diagnostic = { severity, code, message, range: this.lines.range(at.offset, at.length) };
    if (nodeId !== undefined) d.nodeId = nodeId;
    this.diagnostics.push(d);
  }
}

/** Where a value sits, for messages: e.g. "dense 'hidden': units". */
export interface FieldContext {
  /** Human name of the owner, e.g. "dense 'hidden'" or "training.optimizer". */
  owner: string;
  nodeId?: string;
}

/** A reader checks one JSON value and returns it typed, or undefined after reporting. */
export type Reader<T> = (node: Node, key: string, ctx: FieldContext, r: Reporter) => T | undefined;

/** How a value looks when quoted in a message, cut short so a huge value stays readable. */
export function describe(node: Node): string {
  switch (node.type) {
    case 'string': return `the text ${JSON.stringify(shorten(String(node.value)))}`;
    case 'number': return String(node.value);
    case 'boolean': return String(node.value);
    case 'null': return 'null';
    case 'array': return 'a list';
    case 'object': return 'an object';
    default: return 'an unknown value';
  }
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export type { NumberRule };

/** Checks a JSON number: finite, integral if asked, inside the rule's bounds. */
export function numberIn(rule: NumberRule = {}): Reader<number> {
  let wantText: string | undefined;
  return (node, key, ctx, r) => {
    const want = (wantText ??= numberRuleText(rule));
    if (node.type !== 'number') {
      const hint = node.type === 'string' && /^\s*[-+]?(nan|inf|infinity|[0-9.e+-]+)\s*$/i.test(String(node.value))
        ? ' (write numbers without quotes)' : '';
      r.add('error', 'wrong-type', `${ctx.owner}: ${key} must be ${want}, not ${describe(node)}${hint}`, node, ctx.nodeId);
      return undefined;
    }
    const v = node.value as number;
    if (!Number.isFinite(v)) {
      r.add('error', 'not-finite', `${ctx.owner}: ${key} is too large to be a number (${want} expected)`, node, ctx.nodeId);
      return undefined;
    }
    if (!fitsNumberRule(rule, v)) {
      r.add('error', 'out-of-range', `${ctx.owner}: ${key} must be ${want}, not ${v}`, node, ctx.nodeId);
      return undefined;
    }
    // Past 2^53 whole numbers are not exact: counts built on them turn into Infinity downstream.
    if (rule.integer && !Number.isSafeInteger(v)) {
      r.add('error', 'out-of-range', `${ctx.owner}: ${key} must be ${want} no larger than ${Number.MAX_SAFE_INTEGER}, not ${v}`, node, ctx.nodeId);
      return undefined;
    }
    return v;
  };
}

/** Checks a JSON string. */
export const text: Reader<string> = (node, key, ctx, r) => {
  if (node.type !== 'string') {
    r.add('error', 'wrong-type', `${ctx.owner}: ${key} must be text in quotes, not ${describe(node)}`, node, ctx.nodeId);
    return undefined;
  }
  return node.value as string;
};

/** Checks a JSON boolean. */
export const flag: Reader<boolean> = (node, key, ctx, r) => {
  if (node.type !== 'boolean') {
    r.add('error', 'wrong-type', `${ctx.owner}: ${key} must be true or false, not ${describe(node)}`, node, ctx.nodeId);
    return undefined;
  }
  return node.value as boolean;
};

/** Edit distance, for "did you mean" hints on misspelt names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The closest known name to `word`, when one is close enough to be a likely typo. */
export function suggest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = distance(word.toLowerCase(), n);
    if (d < bestD) { bestD = d; best = n; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Checks a string that must be one of `names`; `what` names the kind ("activation"). */
export function oneOf<T extends string>(names: readonly T[], what: string, code: string): Reader<T> {
  return (node, key, ctx, r) => {
    const s = text(node, key, ctx, r);
    if (s === undefined) return undefined;
    if ((names as readonly string[]).includes(s)) return s as T;
    const hint = suggest(s, names);
    r.add('error', code,
      `${ctx.owner}: unknown ${what} '${shorten(s)}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${names.join(', ')})`,
      node, ctx.nodeId);
    return undefined;
  };
}

/** Checks a list whose every item passes `item`; any bad item rejects the whole list. */
export function listOf<T>(item: Reader<T>, opts: { nonEmpty?: boolean } = {}): Reader<T[]> {
  return (node, key, ctx, r) => {
    if (node.type !== 'array') {
      r.add('error', 'wrong-type', `${ctx.owner}: ${key} must be a list [ … ], not ${describe(node)}`, node, ctx.nodeId);
      return undefined;
    }
    const items = node.children ?? [];
    if (opts.nonEmpty && items.length === 0) {
      r.add('error', 'out-of-range', `${ctx.owner}: ${key} must not be empty`, node, ctx.nodeId);
      return undefined;
    }
    const out: T[] = [];
    let ok = true;
    items.forEach((child, i) => {
      const v = item(child, `${key}[${i}]`, ctx, r);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    return ok ? out : undefined;
  };
}

/** A window size or stride: one whole number ≥ 1, or [height, width] of two. */
export const size2d: Reader<number | [number, number]> = (node, key, ctx, r) => {
  const side = numberIn(POSITIVE_INT);
  if (node.type === 'number') return side(node, key, ctx, r);
  if (node.type !== 'array' || (node.children ?? []).length !== 2) {
    r.add('error', 'wrong-type',
      `${ctx.owner}: ${key} must be a whole number ≥ 1 (the same for height and width) or [height, width], not ${node.type === 'array' ? `a list of ${(node.children ?? []).length}` : describe(node)}`,
      node, ctx.nodeId);
    return undefined;
  }
  const hw = listOf(side)(node, key, ctx, r);
  return hw ? [hw[0], hw[1]] : undefined;
};

/** A tensor shape: 1 to MAX_RANK whole numbers ≥ 1 whose product (the values per sample) stays exact. */
export const shapeList: Reader<number[]> = (node, key, ctx, r) => {
  if (node.type === 'array' && ((node.children ?? []).length === 0 || (node.children ?? []).length > MAX_RANK)) {
    const n = (node.children ?? []).length;
    r.add('error', 'out-of-range',
      `${ctx.owner}: ${key} must list 1 to ${MAX_RANK} sizes (an image is [height, width, channels]), not ${n}`, node, ctx.nodeId);
    return undefined;
  }
  const dims = listOf(numberIn(POSITIVE_INT))(node, key, ctx, r);
  if (!dims) return undefined;
  const product = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(product)) {
    r.add('error', 'out-of-range', `${ctx.owner}: ${key} [${dims.join(', ')}] holds ${product} values per sample, too many to count exactly`, node, ctx.nodeId);
    return undefined;
  }
  return dims;
};

/** Numbers nested `depth` lists deep (conv2d weights: [filters][kernelH][kernelW][inputChannels]). */
export function tensorOf(depth: number, nesting = `${depth} lists deep`): Reader<unknown[]> {
  const num = numberIn();
  const read = (node: Node, key: string, level: number, ctx: FieldContext, r: Reporter): unknown => {
    if (level === depth) return num(node, key, ctx, r);
    if (node.type !== 'array') {
      r.add('error', 'wrong-type', `${ctx.owner}: ${key} must be a list [ … ] (the values nest ${nesting}), not ${describe(node)}`, node, ctx.nodeId);
      return undefined;
    }
    const out: unknown[] = [];
    let ok = true;
    (node.children ?? []).forEach((child, i) => {
      const v = read(child, `${key}[${i}]`, level + 1, ctx, r);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    return ok ? out : undefined;
  };
  return (node, key, ctx, r) => read(node, key, 0, ctx, r) as unknown[] | undefined;
}

/** The value node of property `key` in an object node, if present. */
export function propValue(obj: Node | undefined, key: string): Node | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k && k.value === key) return v;
  }
  return undefined;
}

/**
 * Property nodes (key + value pairs) of an object node, in file order. A key written twice
 * counts once, at its first place: every reader of the model (checks, values, edits) sees the
 * same value, and `reportDuplicateKeys` makes each later copy an error.
 */
export function properties(obj: Node): Property[] {
  // A plain loop: this runs for every node of every parse, on every keystroke in the editor.
  const out: Property[] = [];
  const kids = obj.children;
  if (!kids) return out;
  // Small objects (nodes, edges) compare keys directly; large ones (pins) use a set.
  const seen = kids.length > 16 ? new Set<string>() : undefined;
  for (let i = 0; i < kids.length; i++) {
    const p = kids[i];
    const k = p.children?.[0];
    if (!k) continue;
    const key = String(k.value);
    if (seen ? seen.has(key) : out.some((q) => q.key === key)) continue;
    seen?.add(key);
    out.push({ key, keyNode: k, value: p.children?.[1], prop: p });
  }
  return out;
}

/** How a path in the file reads in a message: `nodes[2]`, `training.optimizer`, or the node's id. */
function ownerOf(obj: Node, root: Node): { owner: string; nodeId?: string } {
  const path: (string | number)[] = [];
  let node: Node | undefined = obj;
  while (node && node !== root && node.parent) {
    const parent: Node = node.parent;
    if (parent.type === 'property') {
      path.unshift(String(parent.children?.[0]?.value));
      node = parent.parent;
    } else if (parent.type === 'array') {
      path.unshift(parent.children?.indexOf(node) ?? 0);
      node = parent;
    } else node = parent;
  }
  if (path.length === 0) return { owner: 'the file' };
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const id = propValue(path.length === 2 ? obj : nodeAt(root, path.slice(0, 2)), 'id')?.value;
    if (typeof id === 'string') {
      const rest = path.slice(2).map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
      return { owner: `node '${shorten(id)}'${rest}`, nodeId: id };
    }
  }
  return { owner: path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') };
}

function nodeAt(root: Node, path: (string | number)[]): Node | undefined {
  let n: Node | undefined = root;
  for (const seg of path) n = typeof seg === 'number' ? n?.children?.[seg] : propValue(n, seg);
  return n;
}

/**
 * Reports every key written a second time in any object of the tree as an error at that key.
 * Only the first copy counts (see `properties`); a second one is a conflict the reader of the
 * file cannot see at a glance, so it must not pass a check.
 */
export function reportDuplicateKeys(root: Node, r: Reporter): void {
  // Iterative: the depth is bounded before parsing, but a wide tree must not cost recursion.
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop() as Node;
    const kids = node.children;
    if (!kids) continue;
    if (node.type === 'object') {
      let keys: Set<string> | undefined;
      for (const p of kids) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (v && (v.type === 'object' || v.type === 'array')) stack.push(v);
        if (!k) continue;
        keys ??= new Set();
        const key = String(k.value);
        if (!keys.has(key)) { keys.add(key); continue; }
        const { owner, nodeId } = ownerOf(node, root);
        r.add('error', 'duplicate-field',
          `${owner}: '${shorten(key)}' is written twice; remove one of them (nn/1 reads only the first, other JSON readers the last)`,
          k, nodeId);
      }
    } else if (node.type === 'array') {
      for (const c of kids) if (c.type === 'object' || c.type === 'array') stack.push(c);
    }
  }
}

/** The reader of a value kind of fieldRules.ts (the parser's side of the one rule). */
export function readerFor(kind: ValueKind): Reader<unknown> {
  switch (kind.kind) {
    case 'number': return numberIn(kind.rule);
    case 'name': return oneOf(kind.names, kind.what, kind.code);
    case 'text': return text;
    case 'flag': return flag;
    case 'textList': return listOf(text);
    case 'numberList': return listOf(numberIn());
    case 'numberMatrix': return listOf(listOf(numberIn()));
    case 'size2d': return size2d;
    case 'shape': return shapeList;
    case 'numberTensor': return tensorOf(kind.depth, kind.depth === 4 ? '[filters][kernelHeight][kernelWidth][inputChannels]' : undefined);
  }
}

/** One `"key": value` pair of an object node. */
export interface Property {
  key: string;
  keyNode: Node;
  value?: Node;
  prop: Node;
}

/** One field of a record: its reader and whether it must be present. */
export interface FieldSpec {
  read: Reader<unknown>;
  required?: boolean;
}

/**
 * Reads an object's fields against a table: unknown keys become warnings, bad values errors.
 * Returns the typed fields and whether every required one was present and valid.
 */
export function readRecord(
  obj: Node, fields: Record<string, FieldSpec>, ctx: FieldContext, r: Reporter, props: Property[] = properties(obj),
): { values: Record<string, unknown>; complete: boolean } {
  const values: Record<string, unknown> = {};
  let complete = true;
  const seen = new Set<string>();
  for (const { key, keyNode, value } of props) {
    const spec = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
    if (!spec) {
      const hint = suggest(key, Object.keys(fields));
      r.add('warning', 'unknown-field',
        `${ctx.owner}: unknown field '${shorten(key)}' is kept but ignored${hint ? `; did you mean '${hint}'?` : ''}`,
        keyNode, ctx.nodeId);
      continue;
    }
    // `properties` gives each key once (the first copy); later copies are duplicate-field errors.
    seen.add(key);
    if (!value) continue;
    const v = spec.read(value, key, ctx, r);
    if (v === undefined) {
      if (spec.required) complete = false;
      delete values[key];
    } else values[key] = v;
  }
  for (const key of requiredKeys(fields)) {
    if (!seen.has(key)) {
      complete = false;
      r.add('error', 'missing-field', `${ctx.owner}: '${key}' is missing`, firstLine(obj), ctx.nodeId);
    }
  }
  return { values, complete };
}

const requiredCache = new WeakMap<Record<string, FieldSpec>, string[]>();

/** The required keys of a field table, computed once per table (this runs for every node of every parse). */
function requiredKeys(fields: Record<string, FieldSpec>): string[] {
  let keys = requiredCache.get(fields);
  if (!keys) {
    keys = Object.keys(fields).filter((k) => fields[k].required);
    requiredCache.set(fields, keys);
  }
  return keys;
}

/** The opening brace of an object: a short anchor for "missing field" diagnostics. */
export function firstLine(obj: Node): { offset: number; length: number } {
  return { offset: obj.offset, length: 1 };
}
