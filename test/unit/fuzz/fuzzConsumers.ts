/**
 * Drives one fuzz case through every consumer of a `.nn` text, as the product does: parse,
 * validate and analyse (src/model); the editor's snapshot, view model and quick layout (after a
 * JSON round trip, as postMessage delivers it); the three exporters with and without weights and
 * data; and editor intents validated by the host and applied as text edits. Any exception that is
 * not the consumer's own user-facing error, and any broken invariant, is a failure.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { isDeepStrictEqual } from 'util';
import Papa from 'papaparse';
import { analyzeNetwork, checkNetwork, formatDiagnostic, LineIndex, ModelEditError, type Diagnostic, type NetworkAnalysis, type NetworkDoc } from '../../../src/model';
import { EXPORT_FORMATS, ExportError, exportNetwork, type ExportOptions, type ExportWeights } from '../../../src/export';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { applyIntent, replacementsForIntent } from '../../../src/extension/intentEdits';
import { FIXABLE_CODES, quickFixesFor } from '../../../src/extension/quickFixes';
import { FromEditorMessage, MalformedMessage, type DocumentSnapshot, type EditIntent } from '../../../src/protocol';
import { buildView } from '../../../webview/editor/viewModel';
import { quickLayout } from '../../../webview/editor/quickLayout';
import { get, isObj, readJson, str, writeJson, type J, type Obj } from './jsonTree';
import { MARKER } from './payloads';
import { onnxProblem } from './onnxCheck';
import { pythonProblem } from './pythonCheck';
import type { RawIntent } from './intents';
import { Rng } from './random';

/** One case: the text, how it was made, the intents to try on it, the seed of its export options. */
export interface FuzzCase {
  text: string;
  origin: string;
  intents: RawIntent[];
  exportSeed: number;
}

/** A consumer that threw, or an invariant that broke. */
export interface Failure {
  /** Which consumer: `model`, `snapshot`, `viewModel`, `quickLayout`, `export-pytorch`, `intent-rename`, … */
  consumer: string;
  /** The error's class (TypeError, RangeError, …) or `invariant`. */
  kind: string;
  message: string;
  stack?: string;
}

/** Counters over a run, to see that every consumer was really reached. */
export interface FuzzStats {
  cases: number;
  parsed: number;
  valid: number;
  views: number;
  layouts: number;
  exports: number;
  exportRefusals: number;
  pythonScripts: number;
  intentsApplied: number;
  intentsRefused: number;
  intentsRejectedByHost: number;
  quickFixes: number;
}

export function emptyStats(): FuzzStats {
  return { cases: 0, parsed: 0, valid: 0, views: 0, layouts: 0, exports: 0, exportRefusals: 0, pythonScripts: 0, intentsApplied: 0, intentsRefused: 0, intentsRejectedByHost: 0, quickFixes: 0 };
}

/** A broken invariant (not a crash). */
class Invariant extends Error {}

function check(ok: unknown, message: () => string): asserts ok {
  if (!ok) throw new Invariant(message());
}

/** Text a user must never see: a JavaScript error leaking into a message. */
const JS_ERROR_TEXT = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|\[object Object\]|Maximum call stack|\(reading '/;

function checkUserMessage(where: string, message: string): void {
  check(message.trim().length > 0, () => `${where}: empty message`);
  check(!JS_ERROR_TEXT.test(message), () => `${where}: a JavaScript error text in a user message: ${message}`);
}

function checkDiagnostics(text: string, ds: Diagnostic[]): void {
  const lines = new LineIndex(text);
  for (const d of ds) {
    const { offset, length, start, end } = d.range;
    check(offset >= 0 && length >= 0 && offset + length <= text.length, () => `${d.code} range ${offset}+${length} outside the text (${text.length})`);
    const s = lines.position(offset);
    const e = lines.position(offset + length);
    check(s.line === start.line && s.character === start.character && e.line === end.line && e.character === end.character,
      () => `${d.code}: line/col ${JSON.stringify([start, end])} disagree with offsets ${offset}+${length}`);
    check(d.code.length > 0, () => 'a diagnostic without a code');
    checkUserMessage(`diagnostic ${d.code}`, formatDiagnostic('fuzz.nn', d));
  }
}

/** Runs `fn` as consumer `name`; returns the failure it caused, if any. */
function guard(name: string, fn: () => void): Failure | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { consumer: name, kind: e instanceof Invariant ? 'invariant' : err.name, message: err.message, stack: err.stack };
  }
}

const measure = (t: string, bold: boolean): number => t.length * (bold ? 7.5 : 7);

function finite(p: { x: number; y: number } | undefined): boolean {
  return !!p && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/** The editor's path: snapshot on the host, JSON round trip, view model and quick layout in the webview. */
function driveEditor(text: string, stats: FuzzStats, snapshot?: DocumentSnapshot): Failure | undefined {
  let snap: DocumentSnapshot | undefined;
  const f = guard('snapshot', () => {
    snap = JSON.parse(JSON.stringify(snapshot ?? documentSnapshot(text, 1, 'fuzz.nn').snapshot)) as DocumentSnapshot;
  });
  if (f || !snap?.doc) return f;
  const s = snap;
  const doc = s.doc as NetworkDoc;
  let view: ReturnType<typeof buildView> | undefined;
  const fv = guard('viewModel', () => {
    view = buildView(s, new Set(doc.nodes.map((n) => n.id)), measure, 13);
    const ids = new Set(view.nodes.map((n) => n.id));
    for (const n of view.nodes) {
      check(typeof n.id === 'string', () => `a view node without a string id: ${JSON.stringify(n.id)}`);
      check(Number.isFinite(n.width) && n.width > 0 && Number.isFinite(n.height) && n.height > 0, () => `node '${n.id}' has size ${n.width}×${n.height}`);
      check(n.pinned === undefined || finite(n.pinned), () => `node '${n.id}' is pinned at ${JSON.stringify(n.pinned)}`);
      for (const part of [n.subtitle, n.footer]) check(!/undefined|NaN|\[object/.test(part), () => `node '${n.id}' shows "${part}"`);
    }
    const keys = new Set<string>();
    for (const e of view.edges) {
      check(ids.has(e.from) && ids.has(e.to), () => `edge ${e.key} names a node that is not drawn`);
      check(!keys.has(e.key), () => `edge ${e.key} drawn twice`);
      keys.add(e.key);
      check(/^\[(\?|[0-9×]+)\]$/.test(e.label), () => `edge ${e.key} labelled "${e.label}"`);
    }
  });
  if (fv || !view) return fv;
  stats.views++;
  const v = view;
  return guard('quickLayout', () => {
    const pins = doc.layout?.pinned ?? {};
    const boxes = v.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height }));
    const quick = quickLayout(boxes, v.edges.map((e) => ({ from: e.from, to: e.to })), pins);
    // Where app.ts draws each node first: its pin, else the quick layout's place.
    const place = (id: string): { x: number; y: number } | undefined => (Object.hasOwn(pins, id) ? pins[id] : undefined) ?? quick.get(id);
    for (const n of v.nodes) check(finite(place(n.id)), () => `node '${n.id}' placed at ${JSON.stringify(place(n.id))}`);
    for (const e of v.edges) check(finite(place(e.from)) && finite(place(e.to)), () => `edge ${e.key} has no finite ends`);
    for (const [id, p] of quick) check(finite(p), () => `quick layout put '${id}' at ${JSON.stringify(p)}`);
    // No unpinned box overlaps another box. Skipped when ids repeat (an error the graph cannot draw
    // apart) and for pins far beyond the editor's range (float precision).
    const all = boxes.map((b) => ({ ...b, ...(place(b.id) as { x: number; y: number }) }));
    const unique = new Set(all.map((b) => b.id)).size === all.length;
    if (unique && all.length <= 300 && all.every((b) => Math.abs(b.x) < 1e7 && Math.abs(b.y) < 1e7)) {
      for (const a of all) {
        if (Object.hasOwn(pins, a.id)) continue;
        for (const b of all) {
          if (a === b) continue;
          const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          check(!overlap, () => `quick layout: '${a.id}' at ${a.x},${a.y} overlaps '${b.id}' at ${b.x},${b.y}`);
        }
      }
    }
    stats.layouts++;
  });
}

/** Trained weights for every dense node (when small), sometimes deliberately wrong. */
function weightsFor(doc: NetworkDoc, analysis: NetworkAnalysis, rng: Rng, bad: boolean): ExportWeights | undefined {
  const w: ExportWeights = new Map();
  let total = 0;
  for (const n of doc.nodes) {
    if (n.type !== 'dense') continue;
    const from = analysis.inputsOf.get(n.id)?.[0];
    const fanIn = from === undefined ? undefined : analysis.shapes.get(from)?.[0];
    if (fanIn === undefined) continue;
    total += n.units * (fanIn + 1);
    if (total > 50_000) return undefined;
    const data = Float32Array.from({ length: n.units * fanIn }, () => rng.next() * 2 - 1);
    w.set(`${n.id}.weight`, { shape: [n.units, fanIn], data });
    if (n.useBias !== false) w.set(`${n.id}.bias`, { shape: [n.units], data: Float32Array.from({ length: n.units }, () => rng.next()) });
  }
  if (bad && w.size) {
    const key = [...w.keys()][rng.int(w.size)];
    const t = w.get(key)!;
    if (rng.chance(0.5)) w.delete(key);
    else w.set(key, { shape: [t.shape[0] + 1, ...t.shape.slice(1)], data: new Float32Array(t.data.length + (t.shape[1] ?? 1)) });
  }
  return w;
}

const FEATURE_NAMES = ['a,b', 'say "hi"', 'line\nbreak', 'x:1', 'ü', '', '=1+1', 'split'];

/** Data and feature scaling as the engine would pass them, with awkward column names. */
function dataFor(analysis: NetworkAnalysis, rng: Rng): ExportOptions['data'] {
  const shapes = (ids: string[]): number => ids.reduce((s, id) => s + (analysis.shapes.get(id)?.[0] ?? 0), 0);
  const inputSize = shapes(analysis.inputs);
  const outputSize = analysis.shapes.get(analysis.outputs[0])?.[0] ?? 1;
  if (inputSize * outputSize > 10_000) return undefined;
  const set = (count: number) => ({
    x: Float32Array.from({ length: count * inputSize }, () => rng.next()),
    y: Float32Array.from({ length: count * outputSize }, () => (rng.chance(0.5) ? 1 : 0)),
    count, inputSize, outputSize,
    featureNames: Array.from({ length: inputSize }, (_, i) => (rng.chance(0.5) ? rng.pick(FEATURE_NAMES) : `f${i}`)),
    labelNames: Array.from({ length: outputSize }, () => rng.pick(FEATURE_NAMES)),
    task: rng.pick(['binary', 'multiclass', 'regression'] as const),
  });
  return { train: set(rng.between(1, 5)), validation: rng.chance(0.5) ? set(rng.between(1, 3)) : undefined };
}

/** Every exporter on a valid design: output, or the exporter's own ExportError; scripts free of injected code. */
function driveExports(doc: NetworkDoc, analysis: NetworkAnalysis, seed: number, stats: FuzzStats, onFile?: FileSink): Failure | undefined {
  const rng = new Rng(seed);
  const mode = rng.pick(['none', 'trained', 'trained', 'bad'] as const);
  const weights = mode === 'none' ? undefined : weightsFor(doc, analysis, rng, mode === 'bad');
  const opts: ExportOptions = {};
  if (rng.chance(0.5)) opts.data = dataFor(analysis, rng);
  const width = analysis.inputs.reduce((s, id) => s + (analysis.shapes.get(id)?.[0] ?? 0), 0);
  if (rng.chance(0.3) && width <= 10_000) {
    opts.standardizer = { mean: Array.from({ length: width }, () => rng.next()), std: Array.from({ length: width }, () => 1 + rng.next()) };
  }
  const saneWidths = [...analysis.shapes.values()].every((shape) => shape.every((d) => d <= 1_000_000));
  // Inputs and nothing after them: there is no model to export (a clean refusal is right).
  const noLayers = analysis.outputs.every((id) => analysis.inputs.includes(id));
  for (const format of EXPORT_FORMATS) {
    const f = guard(`export-${format}`, () => {
      let result;
      try {
        result = exportNetwork(doc, analysis, weights, format, opts);
      } catch (e) {
        if (!(e instanceof ExportError)) throw e;
        checkUserMessage(`ExportError (${format})`, e.message);
        // A valid design with fitting (or no) weights and sane widths is always expressible as a script,
        // and as ONNX once it has weights (unless an input is also an output, which ONNX cannot name).
        const excused = mode === 'bad' || !saneWidths || noLayers || (format === 'onnx' && (!weights || /also an output/.test(e.message)));
        check(excused, () => `refused a valid design: ${e.message}`);
        stats.exportRefusals++;
        return;
      }
      stats.exports++;
      check(result.files.length > 0, () => 'no files');
      for (const file of result.files) {
        check(/^[A-Za-z0-9_.-]+$/.test(file.name), () => `file name ${JSON.stringify(file.name)}`);
        check(file.content.length > 0, () => `${file.name} is empty`);
        if (file.name.endsWith('.py') && typeof file.content === 'string') {
          stats.pythonScripts++;
          onFile?.(file.name, file.content);
          const problem = pythonProblem(file.content, MARKER);
          check(!problem, () => `${file.name}: ${problem}`);
        }
        if (file.name.endsWith('.onnx') && file.content instanceof Uint8Array) {
          const problem = onnxProblem(file.content);
          check(!problem, () => `${file.name}: ${problem}`);
          onFile?.(file.name, file.content);
        }
        if (file.name.endsWith('.csv') && typeof file.content === 'string') {
          const rows = Papa.parse<string[]>(file.content.trimEnd()).data;
          check(rows.every((r) => r.length === rows[0].length), () => `${file.name}: rows of different lengths (header ${JSON.stringify(rows[0])})`);
        }
      }
      for (const n of result.notes) checkUserMessage('export note', n);
    });
    if (f) return f;
  }
  return undefined;
}

function syntaxErrors(text: string): number {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length;
}

function applyReplacements(text: string, rs: { offset: number; length: number; content: string }[]): string {
  let out = text;
  for (const r of [...rs].sort((a, b) => b.offset - a.offset)) out = out.slice(0, r.offset) + r.content + out.slice(r.offset + r.length);
  return out;
}

/**
 * What the file should say after an applied intent, read from the raw JSON (not the model's
 * parser): the node added, removed or renamed, the edge made or gone, the value set, the pin placed.
 */
function intentOutcomeProblem(intent: EditIntent, beforeText: string, afterText: string): string | undefined {
  const before = readJson(beforeText);
  const after = readJson(afterText);
  const nodes = (t: J | undefined): Obj[] => { const n = get(t, 'nodes'); return Array.isArray(n) ? n.filter(isObj) : []; };
  const count = (t: J | undefined, id: string): number => nodes(t).filter((n) => str(n, 'id') === id).length;
  const edges = (t: J | undefined): { from?: string; to?: string }[] => { const e = get(t, 'edges'); return Array.isArray(e) ? e.map((x) => ({ from: str(x, 'from'), to: str(x, 'to') })) : []; };
  const hasEdge = (t: J | undefined, from: string, to: string): boolean => edges(t).some((e) => e.from === from && e.to === to);
  const pin = (t: J | undefined, id: string): J | undefined => { const p = get(get(t, 'layout'), 'pinned'); return isObj(p) ? p.pairs.find(([k]) => k === id)?.[1] : undefined; };
  const value = (v: J | undefined): unknown => (v === undefined ? undefined : JSON.parse(writeJson(v, { indent: '', eol: '\n', bom: false })));
  const pinnedAt = (id: string, p: { x: number; y: number }): boolean => isDeepStrictEqual(value(pin(after, id)), { x: Math.round(p.x), y: Math.round(p.y) });
  switch (intent.type) {
    case 'addNode':
      if (count(after, intent.node.id) !== count(before, intent.node.id) + 1) return `added '${intent.node.id}' but it is not in the file once more`;
      if (intent.after !== undefined && !hasEdge(after, intent.after, intent.node.id)) return `added '${intent.node.id}' after '${intent.after}' without the edge`;
      if (intent.position && !pinnedAt(intent.node.id, intent.position)) return `added '${intent.node.id}' without its pin`;
      return undefined;
    case 'removeNodes':
      for (const id of new Set(intent.ids)) {
        const removed = intent.ids.filter((x) => x === id).length;
        if (count(after, id) !== count(before, id) - removed) return `removed '${id}' but the file still has ${count(after, id)} of it`;
        if (count(after, id) === 0 && edges(after).some((e) => e.from === id || e.to === id)) return `removed '${id}' but an edge still names it`;
        if (count(after, id) === 0 && pin(after, id) !== undefined) return `removed '${id}' but its pin is left`;
      }
      return undefined;
    case 'connect':
      return hasEdge(after, intent.from, intent.to) ? undefined : `connected '${intent.from}' → '${intent.to}' but the edge is not in the file`;
    case 'disconnect':
      return hasEdge(after, intent.from, intent.to) ? `disconnected '${intent.from}' → '${intent.to}' but an edge is left` : undefined;
    case 'setProperty': {
      if (intent.key === 'id') return undefined;
      const node = nodes(after).find((n) => str(n, 'id') === intent.id);
      const got = value(get(node, intent.key));
      return isDeepStrictEqual(got, intent.value) ? undefined : `set ${intent.key} of '${intent.id}' to ${JSON.stringify(intent.value)} but the file says ${JSON.stringify(got)}`;
    }
    case 'rename':
      if (intent.oldId === intent.newId) return undefined;
      if (count(after, intent.newId) !== 1) return `renamed '${intent.oldId}' to '${intent.newId}' but the file has ${count(after, intent.newId)} of the new id`;
      if (count(after, intent.oldId) !== count(before, intent.oldId) - 1) return `renamed '${intent.oldId}' but the old id did not go`;
      if (count(after, intent.oldId) === 0 && edges(after).some((e) => e.from === intent.oldId || e.to === intent.oldId)) return `renamed '${intent.oldId}' but an edge still names it`;
      return undefined;
    case 'pin':
      for (const [id, p] of Object.entries(intent.positions)) if (!pinnedAt(id, p)) return `pinned '${id}' but the file says ${JSON.stringify(value(pin(after, id)))}`;
      return undefined;
    case 'unpin':
      for (const id of intent.ids) if (pin(after, id) !== undefined) return `unpinned '${id}' but the pin is left`;
      return undefined;
    case 'paste':
      for (const n of intent.nodes) if (count(after, n.id) !== count(before, n.id) + 1) return `pasted '${n.id}' but it is not in the file`;
      for (const e of intent.edges) if (!hasEdge(after, e.from, e.to)) return `pasted the edge '${e.from}' → '${e.to}' but it is not in the file`;
      return undefined;
  }
}

/** Intent kinds whose fields are all strings: applied even when the host's validator refuses them, to test the model's edits alone. */
const STRING_INTENTS = new Set(['connect', 'disconnect', 'rename', 'removeNodes', 'unpin']);

/** Intents: the host's validator first, then the text edit; the result must still parse and agree with the minimal replacements. */
function driveIntents(c: FuzzCase, hasDoc: boolean, stats: FuzzStats, edited: { text: string }): Failure | undefined {
  let text = c.text;
  let before = { syntaxErrors: syntaxErrors(text), hasDoc };
  for (const raw of c.intents) {
    const validated = FromEditorMessage.validate(raw);
    const accepted = !(validated instanceof MalformedMessage);
    if (!accepted) {
      stats.intentsRejectedByHost++;
      if (!STRING_INTENTS.has(String(raw.type))) continue;
    }
    const intent = (accepted ? validated : raw) as unknown as EditIntent;
    let after: string | undefined;
    let afterFacts = before;
    const f = guard(`intent-${intent.type}`, () => {
      try {
        after = applyIntent(text, intent);
      } catch (e) {
        if (!(e instanceof ModelEditError)) throw e;
        checkUserMessage('ModelEditError', e.message);
        stats.intentsRefused++;
        return;
      }
      stats.intentsApplied++;
      const result = after;
      const checked = checkNetwork(result);
      afterFacts = { syntaxErrors: syntaxErrors(result), hasDoc: checked.parsed.doc !== undefined };
      check(before.syntaxErrors > 0 || afterFacts.syntaxErrors === 0, () => `the edit broke the JSON:\n${result}`);
      check(!before.hasDoc || afterFacts.hasDoc, () => `the edit made the file unreadable: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
      const viaReplacements = applyReplacements(text, replacementsForIntent(text, intent));
      check(viaReplacements === result, () => 'the minimal replacements give a different text than the edit');
      const wrong = intentOutcomeProblem(intent, text, result);
      check(!wrong, () => `${wrong}\n--- before ---\n${text}\n--- after ---\n${result}`);
    });
    if (f) return f;
    if (after !== undefined) {
      text = after;
      edited.text = after;
      before = afterFacts;
    }
  }
  return undefined;
}

/** Receives each generated Python script and ONNX model (the slower tests run a sample through Python's ast and onnxruntime). */
export type FileSink = (name: string, content: string | Uint8Array) => void;

/** The light bulb: each quick fix keeps the file readable, removes the diagnostic it was offered for, and adds no error. */
function driveQuickFixes(text: string, diagnostics: Diagnostic[], stats: FuzzStats): Failure | undefined {
  const errors = (ds: Diagnostic[]): number => ds.filter((d) => d.severity === 'error').length;
  // With two nodes of one id, an edit reaches the first in the file, which may not be the one warned about.
  const ambiguous = new Set(diagnostics.filter((d) => d.code === 'duplicate-id').map((d) => d.nodeId));
  for (const d of diagnostics) {
    if (!FIXABLE_CODES.includes(d.code)) continue;
    const f = guard('quickFix', () => {
      for (const fix of quickFixesFor(text, d)) {
        stats.quickFixes++;
        checkUserMessage('quick fix title', fix.title);
        const fixed = applyReplacements(text, [fix.replacement]);
        const after = checkNetwork(fixed);
        check(after.parsed.doc, () => `"${fix.title}" for ${d.code} made the file unreadable:\n${fixed}`);
        const still = after.diagnostics.some((x) => x.code === d.code && x.nodeId === d.nodeId);
        check(!still || ambiguous.has(d.nodeId), () => `"${fix.title}" did not fix ${d.code}${d.nodeId ? ` on '${d.nodeId}'` : ''}:\n${fixed}`);
        check(errors(after.diagnostics) <= errors(diagnostics), () => `"${fix.title}" for ${d.code} added an error: ${after.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message).join('; ')}`);
      }
    });
    if (f) return f;
  }
  return undefined;
}

/** Drives every consumer with one case; returns the first failure. */
export function driveCase(c: FuzzCase, stats: FuzzStats = emptyStats(), onFile?: FileSink): Failure | undefined {
  stats.cases++;
  let failure: Failure | undefined;
  // Anything thrown outside a consumer's guard is the fuzzer's own bug: reported, never a crash of the run.
  const harness = guard('fuzz-harness', () => {
    failure = driveAll(c, stats, onFile);
  });
  return harness ?? failure;
}

function driveAll(c: FuzzCase, stats: FuzzStats, onFile?: FileSink): Failure | undefined {
  // The host's one check of the text (checkNetwork inside documentSnapshot) feeds the model checks, the editor and export.
  let checked: ReturnType<typeof documentSnapshot> | undefined;
  const f = guard('model', () => {
    checked = documentSnapshot(c.text, 1, 'fuzz.nn');
    checkDiagnostics(c.text, checked.snapshot.diagnostics);
    if (checked.snapshot.doc) analyzeNetwork(checked.snapshot.doc);
  });
  if (f || !checked) return f;
  const { snapshot, analysis } = checked;
  if (snapshot.doc) stats.parsed++;
  const fe = driveEditor(c.text, stats, snapshot);
  if (fe) return fe;
  if (snapshot.doc && analysis) {
    stats.valid++;
    const fx = driveExports(snapshot.doc, analysis, c.exportSeed, stats, onFile);
    if (fx) return fx;
  }
  const fq = driveQuickFixes(c.text, snapshot.diagnostics, stats);
  if (fq) return fq;
  if (!c.intents.length) return undefined;
  const edited = { text: c.text };
  const fi = driveIntents(c, snapshot.doc !== undefined, stats, edited);
  // The host sends the edited text to the editor again: draw it.
  return fi ?? (edited.text !== c.text ? driveEditor(edited.text, stats) : undefined);
}
