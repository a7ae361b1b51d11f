/**
 * Turns one editor intent into one minimal text edit, using the model core's edit functions.
 * An intent may need several model edits (paste = adds + connects); they are applied in turn and
 * the result is reduced to a single replacement of the span that changed, so the host can apply
 * it as one WorkspaceEdit (one undo step) and every untouched byte stays as it was.
 * Pure (no vscode import): unit-tested directly.
 */
import { applyEdits } from 'jsonc-parser';
import type { Edit } from 'jsonc-parser';
import {
  addNode, connect, disconnect, groupChains, groupNodes, pinNode, removeNode, renameNode, setGroupCollapsed, setGroupLabel, setNodeProperty,
  setLayoutDirection, setTrainingField, ungroup, unpinNode,
} from '../model';
import { restoreTrainingText } from '../model/restoreTraining';
import type { EditIntent } from '../protocol';

/** One replacement: `length` characters at `offset` become `content`. */
export interface TextReplacement {
  offset: number;
  length: number;
  content: string;
}

/** Applies a list of model edits computed by `step` on the current text. */
function chain(text: string, steps: ((t: string) => Edit[])[]): string {
  let current = text;
  for (const step of steps) current = applyEdits(current, step(current));
  return current;
}

/** The text after the intent (throws the model's ModelEditError when the intent is impossible). */
export function applyIntent(text: string, intent: EditIntent): string {
  switch (intent.type) {
    case 'addNode': {
      const { node, after, position } = intent;
      // The model's addNode with `after` also connects after → node.
      const steps: ((t: string) => Edit[])[] = [(t) => addNode(t, node, after ? { after } : undefined)];
      if (position) steps.push((t) => pinNode(t, node.id, position));
      return chain(text, steps);
    }
    case 'removeNodes':
      return chain(text, intent.ids.map((id) => (t: string) => removeNode(t, id)));
    case 'connect':
      return chain(text, [(t) => connect(t, intent.from, intent.to)]);
    case 'disconnect':
      return chain(text, [(t) => disconnect(t, intent.from, intent.to)]);
    case 'setProperty': {
      const steps: ((t: string) => Edit[])[] = [(t) => setNodeProperty(t, intent.id, intent.key, intent.value)];
      const other = replacedBy(intent);
      if (other) steps.push((t) => setNodeProperty(t, intent.id, other, undefined));
      return chain(text, steps);
    }
    case 'rename':
      return chain(text, [(t) => renameNode(t, intent.oldId, intent.newId)]);
    case 'setTrainingField':
      return chain(text, [(t) => setTrainingField(t, intent.path, intent.value)]);
    case 'restoreTraining':
      return restoreTrainingText(text, intent.training);
    case 'pin':
      return chain(text, Object.entries(intent.positions).map(([id, p]) => (t: string) => pinNode(t, id, { x: Math.round(p.x), y: Math.round(p.y) })));
    case 'unpin':
      return chain(text, intent.ids.map((id) => (t: string) => unpinNode(t, id)));
    case 'setLayoutDirection':
      return chain(text, [(t) => setLayoutDirection(t, intent.direction)]);
    case 'group':
      return chain(text, [(t) => groupNodes(t, intent.ids, { id: intent.id, label: intent.label, collapsed: intent.collapsed })]);
    case 'ungroup':
      return chain(text, [(t) => ungroup(t, intent.id)]);
    case 'setGroupCollapsed':
      return chain(text, [(t) => setGroupCollapsed(t, intent.id, intent.collapsed)]);
    case 'setGroupLabel':
      return chain(text, [(t) => setGroupLabel(t, intent.id, intent.label)]);
    case 'groupChains':
      return chain(text, [(t) => groupChains(t)]);
    case 'paste':
      return chain(text, [
        ...intent.nodes.map((n) => (t: string) => addNode(t, n)),
        ...intent.edges.map((e) => (t: string) => connect(t, e.from, e.to)),
      ]);
  }
}

/**
 * The property a setProperty intent replaces on an input: an input is a vector of `units` or an
 * image of `shape`, never both, so setting one removes the other in the same edit (one undo step).
 * Other node types never hold both keys, so removing the absent one changes nothing.
 */
function replacedBy(intent: Extract<EditIntent, { type: 'setProperty' }>): string | undefined {
  if (intent.value === undefined) return undefined;
  return intent.key === 'shape' ? 'units' : intent.key === 'units' ? 'shape' : undefined;
}

/** The smallest single replacement that turns `before` into `after`, or undefined when equal. */
export function minimalReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, content: after.slice(start, endAfter) };
}

/** The one replacement an intent makes to `text` (undefined when it changes nothing). */
export function replacementForIntent(text: string, intent: EditIntent): TextReplacement | undefined {
  return minimalReplacement(text, applyIntent(text, intent));
}

/**
 * The replacements an intent makes, all relative to `text` and non-overlapping, to apply
 * together as one WorkspaceEdit (one undo step). A single model edit keeps its own spans (an
 * added node and its edge stay two small insertions); a chain of edits becomes one span.
 */
export function replacementsForIntent(text: string, intent: EditIntent): TextReplacement[] {
  const single = singleStepEdits(text, intent);
  if (single) return single.filter((e) => e.length > 0 || e.content.length > 0).map((e) => ({ offset: e.offset, length: e.length, content: e.content }));
  const r = replacementForIntent(text, intent);
  return r ? [r] : [];
}

function singleStepEdits(text: string, intent: EditIntent): Edit[] | undefined {
  switch (intent.type) {
    case 'addNode': return intent.position ? undefined : addNode(text, intent.node, intent.after ? { after: intent.after } : undefined);
    case 'removeNodes': return intent.ids.length === 1 ? removeNode(text, intent.ids[0]) : undefined;
    case 'connect': return connect(text, intent.from, intent.to);
    case 'disconnect': return disconnect(text, intent.from, intent.to);
    case 'setProperty': return replacedBy(intent) ? undefined : setNodeProperty(text, intent.id, intent.key, intent.value);
    case 'rename': return renameNode(text, intent.oldId, intent.newId);
    case 'setTrainingField': return setTrainingField(text, intent.path, intent.value);
    case 'setLayoutDirection': return setLayoutDirection(text, intent.direction);
    case 'group': return groupNodes(text, intent.ids, { id: intent.id, label: intent.label, collapsed: intent.collapsed });
    case 'ungroup': return ungroup(text, intent.id);
    case 'setGroupCollapsed': return setGroupCollapsed(text, intent.id, intent.collapsed);
    case 'setGroupLabel': return setGroupLabel(text, intent.id, intent.label);
    case 'groupChains': return groupChains(text);
    default: return undefined;
  }
}
