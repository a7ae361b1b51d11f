/**
 * Drives one fuzz case through every consumer of a `.nn` text, as the product does: parse,
 * validate and analyse (src/model); the editor's snapshot, view model and quick layout (after a
 * JSON round trip, as postMessage delivers it); the three exporters with and without weights and
 * data (driveExports.ts); editor intents validated by the host and applied as text edits
 * (driveIntents.ts); and the light bulb's quick fixes. Any exception that is not the consumer's own
 * user-facing error, and any broken invariant, is a failure.
 */
import { analyzeNetwork, checkNetwork, formatDiagnostic, LineIndex, type Diagnostic, type NetworkDoc } from '../../../src/model';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { FIXABLE_CODES, quickFixesFor } from '../../../src/extension/quickFixes';
import type { DocumentSnapshot } from '../../../src/protocol';
import { buildView, type ViewCache } from '../../../webview/editor/viewModel';
import { inspectorKey } from '../../../webview/editor/inspectorKey';
import { collapseGroups, GroupIndex } from '../../../webview/editor/groupView';
import { quickLayout } from '../../../webview/editor/quickLayout';
import { driveExports } from './driveExports';
import { applyReplacements, driveIntents } from './driveIntents';
import { check, checkUserMessage, emptyStats, guard, type Failure, type FileSink, type FuzzCase, type FuzzStats } from './fuzzChecks';

export { emptyStats, type Failure, type FileSink, type FuzzCase, type FuzzStats } from './fuzzChecks';

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
    // As app.ts draws it: collapsed groups as boxes, edges redirected to them.
    view = collapseGroups(buildView(s, new Set(doc.nodes.map((n) => n.id)), measure, 13), new GroupIndex(doc), s, measure, 13);
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
  const fr = guard('redraw', () => {
    // A redraw reuses the views of nodes an edit left alone: built through the cache, the view is the one built afresh.
    const cache: ViewCache = new Map();
    const all = new Set(doc.nodes.map((n) => n.id));
    buildView(s, all, measure, 13, {}, new Map(), cache);
    const again = buildView(s, all, measure, 13, {}, new Map(), cache);
    check(JSON.stringify(again) === JSON.stringify(buildView(s, all, measure, 13)), () => 'the view built through the redraw cache differs from the one built afresh');
    // The inspector's key (what it shows) for nothing selected and for each node.
    inspectorKey(s, [], all, '');
    for (const n of doc.nodes.slice(0, 50)) check(typeof inspectorKey(s, [n.id], all, '') === 'string', () => `no inspector key for node '${n.id}'`);
  });
  if (fr) return fr;
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
