/**
 * Quick fixes for the model core's common diagnostics, as minimal text replacements. Pure (no
 * vscode import): the code action provider only wraps these in WorkspaceEdits.
 */
import { applyEdits } from 'jsonc-parser';
import type { Edit } from 'jsonc-parser';
import { analyzeNetwork, checkNetwork, insertBetween, ModelEditError, parseNetwork, setNodeProperty, setTrainingProperty } from '../model';
import { pair } from '../model/convGeometry';
import type { Diagnostic } from '../model/types';
import { minimalReplacement } from './intentEdits';
import type { TextReplacement } from './intentEdits';

/** One fix: a title for the light bulb menu and the replacement it makes. */
export interface QuickFix {
  title: string;
  replacement: TextReplacement;
  /** The fix VS Code offers first (Ctrl+.). */
  preferred?: boolean;
}

type FixSpec = { title: string; edits: (text: string, nodeId: string) => Edit[]; preferred?: boolean };

/** The edits when the fix applies to this node, else a refusal (the fix is then not offered). */
function only(applies: boolean, edits: () => Edit[]): Edit[] {
  if (!applies) throw new ModelEditError('This fix does not apply here.');
  return edits();
}

/** Width of node `id`'s output (NaN when unknown). */
function outputWidth(text: string, id: string): number {
  const doc = parseNetwork(text).doc;
  const shape = doc ? analyzeNetwork(doc).shapes.get(id) : undefined;
  return shape ? shape.reduce((a, b) => a * b, 1) : NaN;
}

/** A flatten node (with an id the file does not use yet) on the edge into dense layer `id`. */
function insertFlatten(text: string, id: string): Edit[] {
  const doc = parseNetwork(text).doc;
  const ins = doc ? analyzeNetwork(doc).inputsOf.get(id) ?? [] : [];
  if (!doc || ins.length !== 1) throw new ModelEditError('This fix does not apply here.');
  const taken = new Set(doc.nodes.map((n) => n.id));
  let flat = 'flatten';
  for (let k = 2; taken.has(flat); k++) flat = `flatten${k}`;
  return insertBetween(text, ins[0], id, { id: flat, type: 'flatten' });
}

function errorCount(text: string): number {
  return checkNetwork(text).diagnostics.filter((d) => d.severity === 'error').length;
}

/**
 * `edits`, offered only when they leave no more errors than there were: a window that fits again
 * lets shapes flow on, which can show a problem further down that the fix did not cause.
 */
function noWorse(text: string, edits: Edit[]): Edit[] {
  if (errorCount(applyEdits(text, edits)) > errorCount(text)) throw new ModelEditError('This fix does not apply here.');
  return edits;
}

/** The window of conv or pool node `id` shrunk to its input's height and width (a fix for window-too-large). */
function shrinkWindow(text: string, id: string): Edit[] {
  const doc = parseNetwork(text).doc;
  const node = doc?.nodes.find((n) => n.id === id);
  const a = doc ? analyzeNetwork(doc) : undefined;
  const from = a?.inputsOf.get(id);
  const input = from && from.length === 1 ? a?.shapes.get(from[0]) : undefined;
  if (!node || !input || input.length !== 3 || (node.type !== 'conv2d' && node.type !== 'maxpool2d' && node.type !== 'avgpool2d')) {
    throw new ModelEditError('This fix does not apply here.');
  }
  const key = node.type === 'conv2d' ? 'kernelSize' : 'poolSize';
  const [kh, kw] = pair(node.type === 'conv2d' ? node.kernelSize : node.poolSize);
  const h = Math.min(kh, input[0]);
  const w = Math.min(kw, input[1]);
  return noWorse(text, setNodeProperty(text, id, key, h === w ? h : [h, w]));
}

/** Fixes per diagnostic code. */
const FIXES: Readonly<Record<string, FixSpec[]>> = {
  'softmax-binary-crossentropy': [
    { title: 'Use categorical cross-entropy (several classes)', edits: (t) => setTrainingProperty(t, ['loss'], 'categorical_crossentropy'), preferred: true },
    { title: 'Use a sigmoid output (yes/no)', edits: (t, id) => setNodeProperty(t, id, 'activation', 'sigmoid') },
  ],
  // Two problems share this code: one output unit (softmax cannot help) or a non-softmax output.
  'loss-output': [
    { title: 'Use binary cross-entropy (one output unit)', edits: (t, id) => only(outputWidth(t, id) < 2, () => setTrainingProperty(t, ['loss'], 'binary_crossentropy')), preferred: true },
    { title: 'Use a softmax output', edits: (t, id) => only(outputWidth(t, id) >= 2, () => setNodeProperty(t, id, 'activation', 'softmax')), preferred: true },
  ],
  'sigmoid-mse': [
    { title: 'Use binary cross-entropy', edits: (t) => setTrainingProperty(t, ['loss'], 'binary_crossentropy'), preferred: true },
  ],
  'step-hidden': [
    { title: 'Use relu instead of step', edits: (t, id) => setNodeProperty(t, id, 'activation', 'relu'), preferred: true },
    { title: 'Use sigmoid instead of step', edits: (t, id) => setNodeProperty(t, id, 'activation', 'sigmoid') },
  ],
  'linear-collapse': [
    { title: 'Give the layer a relu activation', edits: (t, id) => setNodeProperty(t, id, 'activation', 'relu'), preferred: true },
  ],
  'dense-needs-flatten': [
    { title: 'Insert Flatten', edits: insertFlatten, preferred: true },
  ],
  'window-too-large': [
    { title: 'Pad the border ("same") so the window fits', edits: (t, id) => noWorse(t, setNodeProperty(t, id, 'padding', 'same')), preferred: true },
    { title: 'Shrink the window to fit its input', edits: shrinkWindow },
  ],
  'unused-bias': [
    { title: 'Remove the unused bias', edits: (t, id) => setNodeProperty(t, id, 'bias', undefined), preferred: true },
  ],
};

/** The diagnostic codes that have quick fixes. */
export const FIXABLE_CODES: readonly string[] = Object.keys(FIXES);

/** The fixes for one diagnostic of `text` (none when the code has none or the edit fails). */
export function quickFixesFor(text: string, d: Pick<Diagnostic, 'code' | 'nodeId'>): QuickFix[] {
  const out: QuickFix[] = [];
  for (const f of FIXES[d.code] ?? []) {
    try {
      const r = minimalReplacement(text, applyEdits(text, f.edits(text, d.nodeId ?? '')));
      if (r) out.push({ title: f.title, replacement: r, ...(f.preferred ? { preferred: true } : {}) });
    } catch {
      // The text moved on since the diagnostic was made (unknown node): offer nothing.
    }
  }
  return out;
}
