/**
 * The group intents: group selected nodes, ungroup, collapse or expand, relabel. Like every
 * intent (edits.ts) each returns the minimal jsonc-parser `Edit[]` against the given text and
 * throws ModelEditError, with a message for the user, when the intent is impossible.
 */
import type { Edit, Node } from 'jsonc-parser';
import { ModelEditError, rootOf, setAt, start, walk } from './edits';
import { propValue } from './fieldReaders';
import { isNodeId, NODE_ID_RULE } from './fieldRules';
import { groupIds } from './groupMembers';
import { insertItem, removeItem, render, type EditSession } from './textEdits';
import { parseNetwork } from './parse';
import { proposeGroups } from './proposeGroups';

/** The node ids written in `nodes`, in file order. */
function nodeIds(root: Node): string[] {
  const nodes = propValue(root, 'nodes');
  return (nodes?.type === 'array' ? nodes.children ?? [] : [])
    .map((n) => propValue(n, 'id')?.value)
    .filter((v): v is string => typeof v === 'string');
}

/** Index of group `id` in `groups`; throws when there is none. */
function indexOfGroup(s: EditSession, id: string): number {
  const i = groupIds(rootOf(s)).indexOf(id);
  if (i < 0) throw new ModelEditError(`There is no group '${id}' in this file.`);
  return i;
}

/** The group each node belongs to now (the first that lists it). */
function membership(root: Node): Map<string, string> {
  const out = new Map<string, string>();
  const groups = propValue(root, 'groups');
  for (const g of groups?.type === 'array' ? groups.children ?? [] : []) {
    const gid = propValue(g, 'id')?.value;
    const members = propValue(g, 'nodes');
    for (const m of members?.type === 'array' ? members.children ?? [] : []) {
      if (typeof gid === 'string' && typeof m.value === 'string' && !out.has(m.value)) out.set(m.value, gid);
    }
  }
  return out;
}

/** What a new group is called when the caller does not say: group1, group2, … free of node and group ids. */
export function freeGroupId(text: string): string {
  const root = rootOf(start(text));
  const taken = new Set([...nodeIds(root), ...groupIds(root)]);
  let i = 1;
  while (taken.has(`group${i}`)) i++;
  return `group${i}`;
}

/**
 * Groups nodes `ids` as a new group (appended to `groups`, created when missing). Members are
 * written in the file's node order; `id` defaults to a free `groupN`, `label` to "Group N".
 */
export function groupNodes(text: string, ids: readonly string[], opts: { id?: string; label?: string; collapsed?: boolean } = {}): Edit[] {
  const s = start(text);
  addGroup(s, ids, opts);
  return s.edits();
}

/**
 * Adds several groups in one edit (one undo step), e.g. the chains proposeGroups found; each
 * gets a free `groupN` id.
 */
export function groupMany(text: string, groups: readonly { ids: readonly string[]; label?: string }[], collapsed = true): Edit[] {
  if (!groups.length) throw new ModelEditError('There is nothing to group.');
  const s = start(text);
  for (const g of groups) addGroup(s, g.ids, { label: g.label, collapsed });
  return s.edits();
}

/** Groups the chains proposeGroups finds in the file (the editor's offer for a large design), collapsed, in one edit. */
export function groupChains(text: string): Edit[] {
  const doc = parseNetwork(text).doc;
  const proposed = doc ? proposeGroups(doc) : [];
  if (!proposed.length) throw new ModelEditError('This design has no chains of layers to group (or already has groups).');
  return groupMany(text, proposed.map((p) => ({ ids: p.nodes, label: p.label })));
}

function addGroup(s: EditSession, ids: readonly string[], opts: { id?: string; label?: string; collapsed?: boolean }): void {
  const root = rootOf(s);
  const all = nodeIds(root);
  if (!ids.length) throw new ModelEditError('Select the nodes to group first.');
  for (const id of ids) if (!all.includes(id)) throw new ModelEditError(`There is no node '${id}' in this file.`);
  const owner = membership(root);
  const inGroup = ids.find((id) => owner.has(id));
  if (inGroup) throw new ModelEditError(`'${inGroup}' is already in group '${owner.get(inGroup)}'; a node belongs to one group at most, so ungroup that group first.`);
  const id = opts.id ?? freeGroupId(s.text);
  if (!isNodeId(id)) throw new ModelEditError(`'${id}' cannot be a group id: use ${NODE_ID_RULE}.`);
  if (all.includes(id)) throw new ModelEditError(`A node is called '${id}'; pick another id for the group.`);
  if (groupIds(root).includes(id)) throw new ModelEditError(`A group called '${id}' already exists; pick another id.`);
  const wanted = new Set(ids);
  const members = all.filter((n, i) => wanted.has(n) && all.indexOf(n) === i);
  const label = opts.label ?? (/^group\d+$/.test(id) ? `Group ${id.slice(5)}` : id);
  const item = render({ id, label, nodes: members, collapsed: opts.collapsed ?? false });
  const groups = propValue(root, 'groups');
  if (!groups) setAt(s, ['groups'], []);
  else if (groups.type !== 'array') throw new ModelEditError('"groups" is not a list in this file; fix it in the text editor first.');
  insertItem(s, walk(rootOf(s), ['groups']), item, undefined, true);
}

/** Removes group `id` (its nodes stay); `groups` goes too when it is left empty. */
export function ungroup(text: string, id: string): Edit[] {
  const s = start(text);
  const i = indexOfGroup(s, id);
  const groups = walk(rootOf(s), ['groups']);
  if ((groups.children ?? []).length === 1) setAt(s, ['groups'], undefined);
  else removeItem(s, groups, i);
  return s.edits();
}

/** Draws group `id` as one box (true) or its members (false): one value written or replaced. */
export function setGroupCollapsed(text: string, id: string, collapsed: boolean): Edit[] {
  const s = start(text);
  setAt(s, ['groups', indexOfGroup(s, id), 'collapsed'], collapsed);
  return s.edits();
}

/** Sets the label shown on group `id`'s box; an empty label removes it (the id is shown). */
export function setGroupLabel(text: string, id: string, label: string): Edit[] {
  const s = start(text);
  setAt(s, ['groups', indexOfGroup(s, id), 'label'], label.trim() === '' ? undefined : label);
  return s.edits();
}
