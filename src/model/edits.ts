/**
 * Edits as intents: each function takes the file's text and returns the minimal jsonc-parser
 * `Edit[]` (against that text) that carries the intent out. Pure; throws ModelEditError when the
 * intent is impossible, with a message for the user.
 */
import { getNodeValue, parseTree, type Edit, type Node, type ParseError } from 'jsonc-parser';
import { LAYOUT_DIRECTIONS } from './types';
import type { LayoutDirection, NetworkNode, PinnedPosition } from './types';
import { EditSession, insertItem, removeItem, render, replaceNode } from './textEdits';
import { properties, propValue } from './fieldReaders';
import { asWritten, isNodeId, NODE_ID_RULE } from './fieldRules';
import { jsonText } from './textSafety';
import { dropFromGroups, groupIds, groupMemberRefs } from './groupMembers';
import { DATA_KIND_FIELDS, OPTIMIZER_PARAMS, TRAINING_DEFAULTS, trainingFieldProblem } from './trainingFields';

/** An edit that cannot be made; the message says why and what to do. */
export class ModelEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelEditError';
  }
}

type Segment = string | number;

/** A session over `text`, which must be valid JSON with an object at the top (for the intents in other files too). */
export function start(text: string): EditSession {
  const errors: ParseError[] = [];
  const root = parseTree(jsonText(text), errors, { disallowComments: false, allowTrailingComma: true });
  if (errors.length || !root || root.type !== 'object') {
    throw new ModelEditError('The file is not valid JSON right now, so it cannot be edited from the graph; fix the problems listed for it in the text editor first.');
  }
  return new EditSession(text, root);
}

/** The current top-level object of the session's text. */
export function rootOf(s: EditSession): Node {
  const root = s.tree();
  if (!root || root.type !== 'object') throw new ModelEditError('The file stopped being a JSON object while editing it.');
  return root;
}

function childAt(container: Node | undefined, seg: Segment): Node | undefined {
  if (!container) return undefined;
  if (typeof seg === 'number') return container.type === 'array' ? container.children?.[seg] : undefined;
  return propValue(container, seg);
}

/** Whether an empty container at `path` should be written multi-line (top-level sections and pins). */
function multilineAt(path: Segment[]): boolean {
  return path.length <= 1 || (path[0] === 'layout' && path[1] === 'pinned' && path.length === 2);
}

/** Sets (or with `undefined`, removes) the value at `path`, creating missing objects on the way. */
export function setAt(s: EditSession, path: Segment[], value: unknown): void {
  let container = rootOf(s);
  for (let i = 0; i < path.length - 1; i++) {
    let next = childAt(container, path[i]);
    if (!next) {
      if (value === undefined) return;
      const empty = typeof path[i + 1] === 'number' ? '[]' : '{}';
      addChild(s, container, path[i], empty, path.slice(0, i));
      next = childAt(walk(rootOf(s), path.slice(0, i)), path[i]);
      if (!next) throw new ModelEditError(`Could not create ${path.slice(0, i + 1).join('.')} in the file.`);
    }
    if (next.type !== 'object' && next.type !== 'array') {
      throw new ModelEditError(`${path.slice(0, i + 1).join('.')} is ${next.type} in the file, not an object; fix it in the text editor first.`);
    }
    container = next;
  }
  const last = path[path.length - 1];
  const existing = childAt(container, last);
  if (value === undefined) {
    if (!existing) return;
    if (typeof last === 'number') {
      removeItem(s, container, last);
      return;
    }
    // A key written twice: remove every copy, or the next one would take the removed one's place.
    for (let c = container; ; c = walk(rootOf(s), path.slice(0, -1))) {
      const idx = (c.children ?? []).findIndex((p) => p.children?.[0]?.value === last);
      if (idx < 0) break;
      removeItem(s, c, idx);
    }
  } else if (existing) {
    replaceNode(s, existing, render(value));
  } else {
    addChild(s, container, last, render(value), path.slice(0, -1));
  }
}

/** The node at `path` below `root`; throws when it is missing. */
export function walk(root: Node, path: Segment[]): Node {
  let n: Node | undefined = root;
  for (const seg of path) n = childAt(n, seg);
  if (!n) throw new ModelEditError(`${path.join('.')} is missing from the file.`);
  return n;
}

function addChild(s: EditSession, container: Node, seg: Segment, valueText: string, containerPath: Segment[]): void {
  if (container.type === 'object') insertItem(s, container, `${JSON.stringify(String(seg))}: ${valueText}`, undefined, multilineAt(containerPath));
  else insertItem(s, container, valueText, typeof seg === 'number' ? seg : undefined, multilineAt(containerPath));
}

/** File indices and raw facts about the nodes and edges of the current text. */
function facts(s: EditSession): { ids: string[]; types: Map<string, string>; edges: { from: unknown; to: unknown }[] } {
  const root = rootOf(s);
  const nodes = propValue(root, 'nodes');
  const ids: string[] = [];
  const types = new Map<string, string>();
  for (const n of nodes?.type === 'array' ? nodes.children ?? [] : []) {
    const id = propValue(n, 'id')?.value;
    ids.push(typeof id === 'string' ? id : '');
    if (typeof id === 'string') types.set(id, String(propValue(n, 'type')?.value));
  }
  const edgesNode = propValue(root, 'edges');
  const edges = (edgesNode?.type === 'array' ? edgesNode.children ?? [] : [])
    .map((e) => ({ from: propValue(e, 'from')?.value, to: propValue(e, 'to')?.value }));
  return { ids, types, edges };
}

function indexOfNode(s: EditSession, id: string): number {
  const i = facts(s).ids.indexOf(id);
  if (i < 0) throw new ModelEditError(`There is no node '${id}' in this file.`);
  return i;
}

function checkNewId(s: EditSession, id: string): void {
  if (!isNodeId(id)) {
    throw new ModelEditError(`'${id}' cannot be a node id: use ${NODE_ID_RULE}.`);
  }
  if (facts(s).ids.includes(id)) throw new ModelEditError(`A node called '${id}' already exists; pick another id.`);
  if (groupIds(rootOf(s)).includes(id)) throw new ModelEditError(`A group is called '${id}'; pick another id for the node.`);
}

/**
 * Adds `node` to `nodes`, as a file writes it (a parsed image input's derived `units` left out);
 * with `after`, places it right after that node and connects `after` → node.
 */
export function addNode(text: string, node: NetworkNode, opts: { after?: string } = {}): Edit[] {
  const s = start(text);
  checkNewId(s, node.id);
  let index: number | undefined;
  if (opts.after !== undefined) {
    index = indexOfNode(s, opts.after) + 1;
    if (facts(s).types.get(opts.after) === undefined) throw new ModelEditError(`There is no node '${opts.after}' in this file.`);
  }
  const root = rootOf(s);
  const nodes = propValue(root, 'nodes');
  if (!nodes) setAt(s, ['nodes'], []);
  else if (nodes.type !== 'array') throw new ModelEditError('"nodes" is not a list in this file; fix it in the text editor first.');
  insertItem(s, walk(rootOf(s), ['nodes']), render(asWritten(node)), index, true);
  if (opts.after !== undefined) appendEdge(s, opts.after, node.id);
  return s.edits();
}

/** Removes node `id`, every edge to or from it, its pinned position, and its place in a group. */
export function removeNode(text: string, id: string): Edit[] {
  const s = start(text);
  indexOfNode(s, id);
  for (;;) {
    const i = facts(s).edges.findIndex((e) => e.from === id || e.to === id);
    if (i < 0) break;
    removeItem(s, walk(rootOf(s), ['edges']), i);
  }
  dropPin(s, id);
  dropFromGroups(s, id);
  removeItem(s, walk(rootOf(s), ['nodes']), indexOfNode(s, id));
  return s.edits();
}

function appendEdge(s: EditSession, from: string, to: string): void {
  const edges = propValue(rootOf(s), 'edges');
  if (!edges) setAt(s, ['edges'], []);
  else if (edges.type !== 'array') throw new ModelEditError('"edges" is not a list in this file; fix it in the text editor first.');
  insertItem(s, walk(rootOf(s), ['edges']), render({ from, to }), undefined, true);
}

/** Whether `to` already reaches `from` through the file's edges (so from → to would close a cycle). */
function reaches(edges: { from: unknown; to: unknown }[], startId: string, target: string): boolean {
  const seen = new Set([startId]);
  const queue = [startId];
  while (queue.length) {
    const cur = queue.pop() as string;
    if (cur === target) return true;
    for (const e of edges) {
      if (e.from === cur && typeof e.to === 'string' && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return false;
}

/** Adds the edge from → to. */
export function connect(text: string, from: string, to: string): Edit[] {
  const s = start(text);
  const f = facts(s);
  for (const id of [from, to]) if (!f.types.has(id)) throw new ModelEditError(`There is no node '${id}' in this file.`);
  if (from === to) throw new ModelEditError(`A node cannot feed itself ('${from}' → '${from}').`);
  if (f.types.get(to) === 'input') throw new ModelEditError(`'${to}' is an input node: inputs take data, not other nodes' outputs.`);
  if (f.edges.some((e) => e.from === from && e.to === to)) throw new ModelEditError(`'${from}' is already connected to '${to}'.`);
  if (reaches(f.edges, to, from)) throw new ModelEditError(`Connecting '${from}' to '${to}' would make a cycle, because '${to}' already leads to '${from}'.`);
  appendEdge(s, from, to);
  return s.edits();
}

/**
 * Puts `node` on the edge from → to: the node goes right after `from` in `nodes`, the edge becomes
 * from → node, and node → to follows it, so `to` keeps its inputs' order (e.g. a flatten between
 * a convolution and a dense layer).
 */
export function insertBetween(text: string, from: string, to: string, node: NetworkNode): Edit[] {
  const s = start(text);
  checkNewId(s, node.id);
  const i = facts(s).edges.findIndex((e) => e.from === from && e.to === to);
  if (i < 0) throw new ModelEditError(`'${from}' is not connected to '${to}'.`);
  insertItem(s, walk(rootOf(s), ['nodes']), render(asWritten(node)), indexOfNode(s, from) + 1, true);
  replaceNode(s, walk(rootOf(s), ['edges', i, 'to']), JSON.stringify(node.id));
  insertItem(s, walk(rootOf(s), ['edges']), render({ from: node.id, to }), i + 1, true);
  return s.edits();
}

/** Removes the edge from → to (every copy of it). */
export function disconnect(text: string, from: string, to: string): Edit[] {
  const s = start(text);
  if (!facts(s).edges.some((e) => e.from === from && e.to === to)) throw new ModelEditError(`'${from}' is not connected to '${to}'.`);
  for (;;) {
    const i = facts(s).edges.findIndex((e) => e.from === from && e.to === to);
    if (i < 0) break;
    removeItem(s, walk(rootOf(s), ['edges']), i);
  }
  return s.edits();
}

/** Sets node property `key` to `value`; `undefined` removes it. `id` renames (edges follow). */
export function setNodeProperty(text: string, id: string, key: string, value: unknown): Edit[] {
  if (key === 'id') {
    if (typeof value !== 'string') throw new ModelEditError('A node id must be text.');
    return renameNode(text, id, value);
  }
  const s = start(text);
  const i = indexOfNode(s, id);
  if (key === 'type' && value === undefined) throw new ModelEditError('A node must keep its "type".');
  setAt(s, ['nodes', i, key], value);
  return s.edits();
}

/** Renames a node; edges, its pinned position and its group membership follow. */
export function renameNode(text: string, oldId: string, newId: string): Edit[] {
  const s = start(text);
  const i = indexOfNode(s, oldId);
  if (oldId === newId) return [];
  checkNewId(s, newId);
  const quoted = JSON.stringify(newId);
  // Collect every occurrence from one tree, then replace from the end so earlier offsets stay valid.
  const root = rootOf(s);
  const targets: Node[] = [walk(root, ['nodes', i, 'id'])];
  const edges = propValue(root, 'edges');
  for (const e of edges?.type === 'array' ? edges.children ?? [] : []) {
    for (const end of ['from', 'to']) {
      const v = propValue(e, end);
      if (v && v.value === oldId) targets.push(v);
    }
  }
  const pinned = propValue(propValue(root, 'layout'), 'pinned');
  const pin = pinned ? properties(pinned).find((p) => p.key === oldId) : undefined;
  if (pin) targets.push(pin.keyNode);
  targets.push(...groupMemberRefs(root, oldId));
  for (const t of targets.sort((a, b) => b.offset - a.offset)) replaceNode(s, t, quoted);
  return s.edits();
}

/** Pins node `id` at (x, y) in the editor (rounded to whole pixels, so diffs stay short). */
export function pinNode(text: string, id: string, pos: PinnedPosition): Edit[] {
  const s = start(text);
  indexOfNode(s, id);
  if (!Number.isFinite(pos.x) || !Number.isFinite(pos.y)) throw new ModelEditError(`Cannot pin '${id}' at a position that is not a number.`);
  setAt(s, ['layout', 'pinned', id], { x: Math.round(pos.x), y: Math.round(pos.y) });
  return s.edits();
}

/** Unpins node `id`; drops `pinned` and `layout` when they become empty. */
export function unpinNode(text: string, id: string): Edit[] {
  const s = start(text);
  dropPin(s, id);
  return s.edits();
}

/** Removes a pin, then `pinned` and `layout` if that left them empty (a re-layout leaves no trace). */
function dropPin(s: EditSession, id: string): void {
  setAt(s, ['layout', 'pinned', id], undefined);
  const layout = propValue(rootOf(s), 'layout');
  const pinned = propValue(layout, 'pinned');
  if (pinned && pinned.type === 'object' && !(pinned.children ?? []).length) setAt(s, ['layout', 'pinned'], undefined);
  const layoutAfter = propValue(rootOf(s), 'layout');
  if (layoutAfter && layoutAfter.type === 'object' && !(layoutAfter.children ?? []).length) setAt(s, ['layout'], undefined);
}

/**
 * Sets which way the editor draws the layers: `right`, `down`, or `auto` (the default, so the field
 * is removed, and `layout` with it when nothing else is in it).
 */
export function setLayoutDirection(text: string, direction: LayoutDirection): Edit[] {
  if (!(LAYOUT_DIRECTIONS as readonly string[]).includes(direction)) {
    throw new ModelEditError(`The layout direction must be one of ${LAYOUT_DIRECTIONS.join(', ')}, not '${String(direction)}'.`);
  }
  const s = start(text);
  if (direction !== 'auto') {
    setAt(s, ['layout', 'direction'], direction);
    return s.edits();
  }
  setAt(s, ['layout', 'direction'], undefined);
  const layout = propValue(rootOf(s), 'layout');
  if (layout && layout.type === 'object' && !(layout.children ?? []).length) setAt(s, ['layout'], undefined);
  return s.edits();
}

/** Sets (or with `undefined`, removes) a value inside `training`, e.g. `['optimizer', 'learningRate']`. */
export function setTrainingProperty(text: string, path: (string | number)[], value: unknown): Edit[] {
  if (!path.length) throw new ModelEditError('Say which training setting to change.');
  const s = start(text);
  setAt(s, ['training', ...path], value);
  return s.edits();
}

/**
 * The settings inspector's edit: sets the training setting at `path` (["optimizer", "learningRate"])
 * to `value`, checked by the parser's rules (trainingFields.ts); `undefined` removes it, and with it
 * the objects left empty (up to `training` itself). A missing `training`, optimizer or early
 * stopping object is created with what it cannot be without (the default optimizer, a patience);
 * another optimizer drops the parameters only the old one reads.
 */
export function setTrainingField(text: string, path: string[], value: unknown): Edit[] {
  const problem = trainingFieldProblem(path, value);
  if (problem) throw new ModelEditError(`${problem[0].toUpperCase()}${problem.slice(1)}.`);
  const s = start(text);
  const [section, key] = path;
  const present = (p: Segment[]): boolean => {
    let n: Node | undefined = rootOf(s);
    for (const seg of p) n = childAt(n, seg);
    return n !== undefined;
  };
  if (path.length === 2 && value !== undefined && !present(['training', section])) {
    if (section === 'data') throw new ModelEditError('Choose the kind of training data first (a generator, a data set or a CSV file).');
    const needs = section === 'optimizer' ? { type: TRAINING_DEFAULTS.optimizer } : section === 'earlyStopping' ? { patience: TRAINING_DEFAULTS.patience } : {};
    setAt(s, ['training', section], { ...needs, [key]: value });
    return s.edits();
  }
  const data = childAt(childAt(rootOf(s), 'training'), 'data');
  if (section === 'data' && path.length === 2 && data?.type === 'object') {
    const kind = Object.keys(DATA_KIND_FIELDS).find((k) => childAt(data, k) !== undefined);
    if (kind && !DATA_KIND_FIELDS[kind].includes(key)) throw new ModelEditError(`The training data is ${kind} data, which has no "${key}"; choose another kind of data first.`);
  }
  const existing = childAt(childAt(rootOf(s), 'training'), section);
  if (path.length === 1 && existing?.type === 'object' && isPlainObject(value) && sameKind(section, existing, value)) {
    // The same object with some settings changed (a CSV's columns, another data set): only they change.
    const old = properties(existing).map((p) => p.key);
    for (const k of old) if (!(k in value)) setAt(s, ['training', section, k], undefined);
    for (const [k, v] of Object.entries(value)) {
      const cur = childAt(childAt(childAt(rootOf(s), 'training'), section), k);
      if (!cur || JSON.stringify(getNodeValue(cur)) !== JSON.stringify(v)) setAt(s, ['training', section, k], v);
    }
    return s.edits();
  }
  setAt(s, ['training', ...path], value);
  if (section === 'optimizer' && key === 'type' && typeof value === 'string') {
    for (const [type, params] of Object.entries(OPTIMIZER_PARAMS)) {
      if (type !== value) for (const p of params) setAt(s, ['training', 'optimizer', p], undefined);
    }
  }
  if (value === undefined) {
    // Drop what the removal left empty, innermost first.
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const at: Segment[] = ['training', ...path.slice(0, depth)];
      let n: Node | undefined = rootOf(s);
      for (const seg of at) n = childAt(n, seg);
      if (!n || n.type !== 'object' || (n.children ?? []).length) break;
      setAt(s, at, undefined);
    }
  }
  return s.edits();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether `value` is the same kind of `section` as the file's object (data of the same kind; any optimizer or early stopping). */
function sameKind(section: string, existing: Node, value: Record<string, unknown>): boolean {
  if (section !== 'data') return true;
  const kind = Object.keys(DATA_KIND_FIELDS).find((k) => childAt(existing, k) !== undefined);
  return kind !== undefined && kind in value;
}
