/**
 * Minimal text edits over jsonc-parser's tree. jsonc-parser's own `modify` either re-formats the
 * whole enclosing object (with formatting options: a one-line node becomes six lines) or writes
 * unspaced JSON (without them), so these primitives insert and remove items in the style of
 * their neighbours instead: untouched text always stays byte-for-byte as it was.
 */
import { applyEdits, parseTree, type Edit, type Node } from 'jsonc-parser';
import { jsonText } from './textSafety';

/** Indentation and line ending of a text, detected from its first indented line. */
export interface TextStyle {
  indent: string;
  eol: string;
}

/** Detects the indentation unit (tabs or n spaces) and line ending used by `text`. */
export function detectStyle(text: string): TextStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return { indent: '  ', eol };
  return { indent: m[1].startsWith('\t') ? '\t' : m[1], eol };
}

/**
 * Accumulates edits made one after another (each against the text left by the previous ones)
 * and expresses them all against the original text, merging any that touch.
 */
export class EditSession {
  private applied: Edit[] = [];
  /** The text with every edit so far applied. */
  text: string;
  readonly style: TextStyle;

  /** `root`, when given, is the already-parsed tree of `original` (saves one parse). */
  constructor(readonly original: string, root?: Node) {
    this.text = original;
    if (root) this.cached = { text: original, root };
    this.style = detectStyle(original);
  }

  private cached?: { text: string; root: Node | undefined };

  /** The syntax tree of the current text (parsed once per text: intents ask for it many times). */
  tree(): Node | undefined {
    if (this.cached?.text !== this.text) {
      // A leading byte order mark parses as whitespace and, lying before the root, is never edited: it is kept.
      this.cached = { text: this.text, root: parseTree(jsonText(this.text), [], { disallowComments: false, allowTrailingComma: true }) };
    }
    return this.cached.root;
  }

  /** Applies one edit given in current-text coordinates. */
  apply(e: Edit): void {
    const spans: { cs: number; ce: number; dBefore: number; dAfter: number }[] = [];
    let d = 0;
    for (const a of this.applied) {
      const cs = a.offset + d;
      const dAfter = d + a.content.length - a.length;
      spans.push({ cs, ce: cs + a.content.length, dBefore: d, dAfter });
      d = dAfter;
    }
    const eEnd = e.offset + e.length;
    const hit = spans.map((s, i) => (s.ce >= e.offset && s.cs <= eEnd ? i : -1)).filter((i) => i >= 0);
    const nextText = this.text.slice(0, e.offset) + e.content + this.text.slice(eEnd);
    if (!hit.length) {
      const before = spans.filter((s) => s.ce <= e.offset);
      const delta = before.length ? before[before.length - 1].dAfter : 0;
      this.applied.push({ offset: e.offset - delta, length: e.length, content: e.content });
      this.applied.sort((a, b) => a.offset - b.offset);
    } else {
      const k = hit[0];
      const m = hit[hit.length - 1];
      const r0 = Math.min(e.offset, spans[k].cs);
      const r1 = Math.max(eEnd, spans[m].ce);
      const origStart = r0 - spans[k].dBefore;
      const origEnd = r1 - spans[m].dAfter;
      const content = this.text.slice(r0, e.offset) + e.content + this.text.slice(eEnd, r1);
      this.applied.splice(k, m - k + 1, { offset: origStart, length: origEnd - origStart, content });
    }
    this.text = nextText;
  }

  /** Every edit, against the original text, sorted and non-overlapping (for `applyEdits` or a WorkspaceEdit). */
  edits(): Edit[] {
    return this.applied.filter((a) => a.length > 0 || a.content.length > 0).map((a) => ({ ...a }));
  }
}

/** Compact one-line JSON with a space after commas and colons: `{ "id": "h", "units": 3 }`. */
export function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${render(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

function spansLines(text: string, node: Node): boolean {
  return /[\r\n]/.test(text.slice(node.offset, node.offset + node.length));
}

/**
 * Inserts `item` (a value, or `"key": value` for objects) into `container` at `index`
 * (default: the end), following the container's one-line or multi-line style. An empty
 * container is written multi-line only when `multilineIfEmpty` is set.
 */
export function insertItem(s: EditSession, container: Node, item: string, index?: number, multilineIfEmpty = false): void {
  const kids = container.children ?? [];
  const at = index === undefined ? kids.length : Math.max(0, Math.min(index, kids.length));
  const multi = spansLines(s.text, container);
  if (kids.length === 0) {
    const [open, close] = container.type === 'object' ? ['{', '}'] : ['[', ']'];
    const base = lineIndent(s.text, container.offset);
    const content = multi || multilineIfEmpty
      ? `${open}${s.style.eol}${base}${s.style.indent}${item}${s.style.eol}${base}${close}`
      : container.type === 'object' ? `{ ${item} }` : `[${item}]`;
    s.apply({ offset: container.offset, length: container.length, content });
    return;
  }
  // Follow the neighbours: items that share a line (a wrapped one-line node) get ", ", items on
  // their own lines get a new line at the same indentation.
  const brokenBetween = (i: number): boolean => (kids.length < 2 ? multi
    : /[\r\n]/.test(s.text.slice(kids[i - 1].offset + kids[i - 1].length, kids[i].offset)));
  if (at === kids.length) {
    const prev = kids[kids.length - 1];
    const sep = brokenBetween(kids.length - 1) ? `,${s.style.eol}${lineIndent(s.text, prev.offset)}` : ', ';
    s.apply({ offset: prev.offset + prev.length, length: 0, content: sep + item });
  } else {
    const next = kids[at];
    const sep = brokenBetween(Math.max(1, at)) ? `,${s.style.eol}${lineIndent(s.text, next.offset)}` : ', ';
    s.apply({ offset: next.offset, length: 0, content: item + sep });
  }
}

/** Removes child `index` of an array or object node with its separating comma and whitespace. */
export function removeItem(s: EditSession, container: Node, index: number): void {
  const kids = container.children ?? [];
  const child = kids[index];
  if (!child) return;
  const prev = kids[index - 1];
  // Same line as the previous item: take the comma before it, so the line break after it survives.
  const sameLineAsPrev = prev !== undefined && !/[\r\n]/.test(s.text.slice(prev.offset + prev.length, child.offset));
  if (kids.length === 1) {
    s.apply({ offset: container.offset + 1, length: container.length - 2, content: '' });
  } else if (index < kids.length - 1 && !sameLineAsPrev) {
    s.apply({ offset: child.offset, length: kids[index + 1].offset - child.offset, content: '' });
  } else {
    const from = prev.offset + prev.length;
    s.apply({ offset: from, length: child.offset + child.length - from, content: '' });
  }
}

/** Replaces a value node's text. */
export function replaceNode(s: EditSession, node: Node, content: string): void {
  s.apply({ offset: node.offset, length: node.length, content });
}

/** Applies edits (a re-export so callers need not import jsonc-parser for tests and the CLI). */
export function applyTextEdits(text: string, edits: Edit[]): string {
  return applyEdits(text, edits);
}
