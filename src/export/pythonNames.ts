/**
 * Turns node ids (letters, digits, `_`, `-`) into Python identifiers that are safe as nn.Module
 * attribute names and local variables, keeping them as close to the id as possible so the
 * generated code reads like the graph.
 */

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
    let name = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (name === '' || /^[0-9]/.test(name)) name = `n_${name}`;
    if (PYTHON_KEYWORDS.has(name) || RESERVED.has(name) || name.startsWith('__')) name = `${name}_`;
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = `${name}_${i}`;
    used.add(unique);
    out.set(id, unique);
  }
  return out;
}

/** A Python string literal for `text` (double-quoted, escaped). */
export function pyString(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A Python float literal that round-trips a float32/float64 exactly (repr-style). */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return "float('nan')";
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "-float('inf')";
  const s = String(value);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Text safe inside a Python triple-quoted docstring (one line, no backslashes or closing quotes). */
export function pyDocText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\\/g, '/').replace(/"/g, "'");
}
