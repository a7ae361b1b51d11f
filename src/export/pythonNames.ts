/**
 * Turns node ids (letters, digits, `_`, `-`) into Python identifiers that are safe as nn.Module
 * attribute names and local variables, keeping them as close to the id as possible so the
 * generated code reads like the graph.
 */
import { ExportError } from './exportError';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  'match', 'case', 'type',
]);

/**
 * Names that would shadow something the generated code relies on: nn.Module members (an attribute
 * called `forward` or `training` breaks the module), imported modules and the script's helpers.
 */
const RESERVED = new Set([
  'forward', 'training', 'train', 'eval', 'to', 'cuda', 'cpu', 'parameters', 'modules', 'children',
  'state_dict', 'load_state_dict', 'apply', 'zero_grad', 'register_buffer', 'add_module', 'float',
  'double', 'half', 'named_parameters', 'buffers', 'extra_repr', 'requires_grad_', 'share_memory',
  'self', 'torch', 'nn', 'F', 'np', 'keras', 'layers', 'math', 'os', 'sys', 'json', 'struct', 'csv',
  'argparse', 'print', 'len', 'range', 'input', 'sum', 'max', 'min',
  'list', 'dict', 'str', 'int', 'id', 'object', 'logits', 'Network', 'straight_through_step', 'binary_step',
  'StraightThroughStep', 'data_loss', 'penalty', 'clamp_probabilities', 'build_model',
]);

/** Maps every node id to a distinct Python identifier (e.g. `h-1` → `h_1`, `2nd` → `n_2nd`, `forward` → `forward_`). */
export function pythonNames(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let name = String(id).replace(/[^A-Za-z0-9_]/g, '_');
    if (name === '' || /^[0-9]/.test(name)) name = `n_${name}`;
    if (PYTHON_KEYWORDS.has(name) || RESERVED.has(name) || name.startsWith('__')) name = `${name}_`;
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = `${name}_${i}`;
    used.add(unique);
    out.set(id, unique);
  }
  return out;
}

/** Lone UTF-16 surrogates (a JavaScript string may hold them; UTF-8 cannot). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Characters never copied raw into generated source: control characters (C0, DEL, C1, which
 * include NUL, CR and LF), line and paragraph separators, and the bidirectional overrides and
 * isolates that can make source read differently from how it runs ("Trojan Source").
 */
const UNSAFE_IN_SOURCE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A Python string literal for `text`: double-quoted and pure ASCII (every other character is an
 * escape), so no text from a .nn file can end the literal, start a new line or hide in the source.
 */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of String(text).replace(LONE_SURROGATE, '\ufffd')) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c <= 0xff) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A Python float literal that round-trips a float32/float64 exactly (repr-style); anything but a number is refused. */
export function pyFloat(value: number): string {
  if (typeof value !== 'number') throw new ExportError(`Expected a number, got ${pyString(String(value))}; fix the value (nn check shows where).`);
  if (Number.isNaN(value)) return "float('nan')";
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "-float('inf')";
  const s = String(value);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A Python int literal; anything but a safe integer is refused (`what` names the setting). */
export function pyInt(value: number, what: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ExportError(`${what} must be a whole number, not ${pyString(String(value))}; fix it (nn check shows where).`);
  }
  return String(value);
}

/**
 * Text safe inside a Python triple-quoted docstring or a `#` comment: one line, no backslashes
 * or double quotes (so it cannot close the docstring), no control, separator or bidi characters.
 */
export function pyDocText(text: string): string {
  return String(text)
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(UNSAFE_IN_SOURCE, ' ')
    .replace(/\\/g, '/')
    .replace(/"/g, "'");
}
