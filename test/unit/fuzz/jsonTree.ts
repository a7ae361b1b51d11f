/**
 * A JSON tree the fuzzer can mutate in ways a JavaScript object cannot hold: a key written twice,
 * `__proto__` as an ordinary key, numbers written as any text (`1e999`, `NaN`, `-0`). Written
 * back with `writeJson` in one of several styles.
 */
import { parseTree, type Node } from 'jsonc-parser';

/** A number, true/false/null, or any other text written as is. */
export interface Raw {
  raw: string;
}

/** An object as its list of key/value pairs, in order, duplicates allowed. */
export interface Obj {
  pairs: [string, J][];
}

export type J = string | Raw | J[] | Obj;

export function isObj(v: J | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'pairs' in v;
}

export function raw(value: number | boolean | null | string): Raw {
  return { raw: typeof value === 'string' ? value : String(value) };
}

export function obj(entries: [string, J][] = []): Obj {
  return { pairs: entries };
}

/** The first value of `key` (as a JSON reader that keeps the first would see it). */
export function get(o: J | undefined, key: string): J | undefined {
  return isObj(o) ? o.pairs.find(([k]) => k === key)?.[1] : undefined;
}

/** Replaces every value of `key`, or appends it. */
export function set(o: Obj, key: string, value: J): void {
  let found = false;
  for (const p of o.pairs) {
    if (p[0] === key) {
      p[1] = value;
      found = true;
    }
  }
  if (!found) o.pairs.push([key, value]);
}

export function remove(o: Obj, key: string): void {
  o.pairs = o.pairs.filter(([k]) => k !== key);
}

/** The value of a string field, when it is one. */
export function str(o: J | undefined, key: string): string | undefined {
  const v = get(o, key);
  return typeof v === 'string' ? v : undefined;
}

/** The tree of a JSON/JSONC text, or undefined when it does not parse to a value. */
export function readJson(text: string): J | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  return root ? fromNode(root) : undefined;
}

function fromNode(n: Node): J {
  switch (n.type) {
    case 'object':
      return obj((n.children ?? []).filter((p) => p.children?.length === 2).map((p) => [String(p.children![0].value), fromNode(p.children![1])]));
    case 'array':
      return (n.children ?? []).map(fromNode);
    case 'string':
      return String(n.value);
    default:
      return raw(n.value === undefined ? 'null' : (n.value as number | boolean | null));
  }
}

export function clone(v: J): J {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(clone);
  if (isObj(v)) return obj(v.pairs.map(([k, x]) => [k, clone(x)]));
  return { raw: v.raw };
}

/** How a tree is written: indentation ('' = one line), line ending, a BOM in front. */
export interface Style {
  indent: string;
  eol: '\n' | '\r\n';
  bom: boolean;
}

export function writeJson(v: J, style: Style): string {
  const body = write(v, style, '');
  return `${style.bom ? '\ufeff' : ''}${body}${style.indent ? style.eol : ''}`;
}

function write(v: J, s: Style, at: string): string {
  if (typeof v === 'string') return JSON.stringify(v);
  const inner = at + s.indent;
  const nl = s.indent ? s.eol : '';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${nl}${v.map((x) => inner + write(x, s, inner)).join(`,${nl}`)}${nl}${at}]`;
  }
  if (isObj(v)) {
    if (!v.pairs.length) return '{}';
    const sep = s.indent ? ': ' : ':';
    return `{${nl}${v.pairs.map(([k, x]) => `${inner}${JSON.stringify(k)}${sep}${write(x, s, inner)}`).join(`,${nl}`)}${nl}${at}}`;
  }
  return v.raw;
}
