/**
 * Editor intents as the host handles them: the message validated by the protocol, then applied as
 * text edits. The result must still parse, match the minimal replacements the host applies, and
 * say in the raw JSON what the intent said.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { isDeepStrictEqual } from 'util';
import { checkNetwork, ModelEditError } from '../../../src/model';
import { applyIntent, replacementsForIntent } from '../../../src/extension/intentEdits';
import { FromEditorMessage, MalformedMessage, type EditIntent } from '../../../src/protocol';
import { check, checkUserMessage, guard, type Failure, type FuzzCase, type FuzzStats } from './fuzzChecks';
import { get, isObj, readJson, str, writeJson, type J, type Obj } from './jsonTree';

function syntaxErrors(text: string): number {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length;
}

export function applyReplacements(text: string, rs: { offset: number; length: number; content: string }[]): string {
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
export function driveIntents(c: FuzzCase, hasDoc: boolean, stats: FuzzStats, edited: { text: string }): Failure | undefined {
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
