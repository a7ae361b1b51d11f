/**
 * Mutation operators: byte-level changes of a text, and structural changes of a design's JSON
 * tree (keys written twice, Object.prototype names as ids and keys, hostile labels and names,
 * duplicate edges, cycles, odd numbers, pins, BOM, comments). fuzzInputs.ts combines them.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { ACTIVATION_NAMES, DATASET_NAMES, GENERATOR_NAMES, LOSS_NAMES, NODE_TYPES, OPTIMIZER_NAMES } from '../../../src/model/types';
import { AWKWARD_IDS, CODE_PAYLOADS, HOSTILE, PROTO_NAMES } from './payloads';
import { clone, get, isObj, obj, raw, remove, set, str, type J, type Obj } from './jsonTree';
import type { Rng } from './random';

const examplesDir = join(__dirname, '../../../examples');

/** The example files, by name. */
export const EXAMPLES: readonly { name: string; text: string }[] = readdirSync(examplesDir).filter((f) => f.endsWith('.nn')).sort()
  .map((name) => ({ name, text: readFileSync(join(examplesDir, name), 'utf8') }));

export const TOKENS = ['{', '}', '[', ']', ',', ':', '"', '"id"', '"type"', '"dense"', '"units"', '"nodes"', '"edges"', '"from"', '"to"',
  '"x"', 'NaN', 'Infinity', '1e999', '-0', '0.5', 'null', 'true', '//', '/*', '*/', '\\', '\n', '\r\n', '\r', ' ', '\t', '"nn/1"',
  '"format"', '\ufeff', '/* c */', '// c\n', '"__proto__"', '"constructor"', '"toString"', '"layout"', '"pinned"', '"label"',
  '"id": "a"', '"type": "input"', '{ "from": "a", "to": "a" }', '\u2028', '\u0000', '"\\u0000"', '"\\ud800"'];

/** One byte-level change: delete, insert, replace, duplicate, truncate, swap, BOM or comment. */
export function byteMutate(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  const len = rng.int(rng.chance(0.8) ? 12 : 80);
  const junk = (): string => Array.from({ length: rng.between(1, 4) }, () => (rng.chance(0.8) ? rng.pick(TOKENS) : JSON.stringify(rng.pick(HOSTILE)))).join('');
  switch (rng.int(10)) {
    case 0: return text.slice(0, at) + text.slice(at + len);
    case 1: case 2: return text.slice(0, at) + junk() + text.slice(at);
    case 3: return text.slice(0, at) + junk() + text.slice(at + len);
    case 4: return text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
    case 5: return text.slice(0, at);
    case 6: {
      const b = rng.int(text.length + 1);
      const [p, q] = at < b ? [at, b] : [b, at];
      return text.slice(0, p) + text.slice(q, q + len) + text.slice(p + len, q) + text.slice(p, p + len) + text.slice(q + len);
    }
    case 7: return `\ufeff${text}`;
    case 8: {
      // A comment where whitespace is (between tokens), or anywhere.
      const ws = text.indexOf('\n', at);
      const p = ws >= 0 && rng.chance(0.7) ? ws : at;
      return text.slice(0, p) + rng.pick([' // a comment\n', ' /* a * comment */ ', '/**/', ' // */\n']) + text.slice(p);
    }
    default: {
      const c = String.fromCharCode(rng.chance(0.7) ? rng.between(32, 126) : rng.int(0x10000));
      return text.slice(0, at) + c + text.slice(at + 1);
    }
  }
}

/** A hostile or ordinary string. */
export function someText(rng: Rng): string {
  return rng.chance(0.7) ? rng.pick(HOSTILE) : `t${rng.int(100)}`;
}

/** An id that passes the id rule but is awkward (keywords, reserved names, digits first), or a plain one. */
export function awkwardId(rng: Rng, i: number): string {
  return rng.chance(0.3) ? `${rng.pick(AWKWARD_IDS.filter((s) => /^[A-Za-z0-9_-]+$/.test(s)))}` : `n${i}`;
}

const ODD_NUMBERS = ['1e999', '-1e999', 'NaN', 'Infinity', '-0', '0', '-1', '1.5', '1e308', '4294967297', '9007199254740993',
  '1e-320', '0x10', '1e9', '100000', '3', '2', '1', '0.999999', '-0.0', '1E2', '"3"'];

function nodesOf(root: Obj): Obj[] {
  const n = get(root, 'nodes');
  return Array.isArray(n) ? n.filter(isObj) : [];
}

function edgesOf(root: Obj): J[] {
  let e = get(root, 'edges');
  if (!Array.isArray(e)) {
    e = [];
    set(root, 'edges', e);
  }
  return e;
}

function idsOf(root: Obj): string[] {
  return nodesOf(root).map((n) => str(n, 'id')).filter((s): s is string => s !== undefined);
}

export function edge(from: string, to: string): Obj {
  return obj([['from', from], ['to', to]]);
}

/** Every Raw (number/boolean/null) in the tree, to replace one in place. */
function numericSlots(v: J, out: { holder: J[] | [string, J]; index: number }[] = []): typeof out {
  const visit = (x: J, holder: J[] | [string, J], index: number): void => {
    if (typeof x === 'object' && 'raw' in x) out.push({ holder, index });
    else numericSlots(x, out);
  };
  if (Array.isArray(v)) v.forEach((x, i) => visit(x, v, i));
  else if (isObj(v)) for (const p of v.pairs) visit(p[1], p, 1);
  return out;
}

/** Renames node `from` to `to` everywhere (edges, pins), so only the id itself changes. */
function renameEverywhere(root: Obj, node: Obj, from: string, to: string): void {
  set(node, 'id', to);
  for (const e of edgesOf(root)) {
    if (!isObj(e)) continue;
    for (const end of ['from', 'to']) if (str(e, end) === from) set(e, end, to);
  }
  const pinned = get(get(root, 'layout'), 'pinned');
  if (isObj(pinned)) for (const p of pinned.pairs) if (p[0] === from) p[0] = to;
}

function randomNodeObj(rng: Rng, id: string, width = rng.between(1, 4)): Obj {
  const type = rng.pick(NODE_TYPES);
  const o = obj([['id', id], ['type', type]]);
  if (type === 'input' || type === 'dense') o.pairs.push(['units', raw(width)]);
  if (type === 'dense' && rng.chance(0.7)) o.pairs.push(['activation', rng.pick(ACTIVATION_NAMES)]);
  if (type === 'activation') o.pairs.push(['activation', rng.pick(ACTIVATION_NAMES)]);
  if (type === 'dropout') o.pairs.push(['rate', raw(rng.pick([0, 0.2, 0.5, 0.99]))]);
  if (rng.chance(0.3)) o.pairs.push(['label', someText(rng)]);
  return o;
}

type Mutation = (root: Obj, rng: Rng) => void;

/** Structural mutations of a parsed design. */
export const MUTATIONS: Mutation[] = [
  // A node's id becomes hostile, consistently everywhere.
  (root, rng) => {
    const nodes = nodesOf(root);
    if (!nodes.length) return;
    const n = rng.pick(nodes);
    const old = str(n, 'id') ?? '';
    renameEverywhere(root, n, old, rng.chance(0.5) ? rng.pick(PROTO_NAMES) : rng.chance(0.5) ? `${old}${rng.pick(CODE_PAYLOADS)}` : rng.pick(HOSTILE));
  },
  // Hostile free text where free text is allowed: labels, name, description, features, a CSV path.
  (root, rng) => {
    const nodes = nodesOf(root);
    const k = rng.int(4);
    if (k === 0 && nodes.length) set(rng.pick(nodes), 'label', someText(rng));
    else if (k === 1) set(root, rng.chance(0.5) ? 'name' : 'description', someText(rng));
    else if (k === 2) {
      const input = nodes.find((n) => str(n, 'type') === 'input');
      const units = Number((get(input, 'units') as { raw?: string } | undefined)?.raw);
      if (input && Number.isInteger(units) && units > 0 && units < 50) set(input, 'features', Array.from({ length: units }, () => someText(rng)));
    } else {
      const training = get(root, 'training');
      const t = isObj(training) ? training : obj();
      set(t, 'data', obj([['csv', `${someText(rng)}.csv`], ['labels', [someText(rng)]]]));
      set(root, 'training', t);
    }
  },
  // A key written twice, with a different value, before or after the first.
  (root, rng) => {
    const targets: Obj[] = [root, ...nodesOf(root), ...edgesOf(root).filter(isObj)];
    const training = get(root, 'training');
    if (isObj(training)) targets.push(training);
    const t = rng.pick(targets);
    if (!t.pairs.length) return;
    const [key, value] = rng.pick(t.pairs);
    const other: J = rng.chance(0.5) ? someText(rng) : key === 'type' ? rng.pick(NODE_TYPES) : rng.chance(0.5) ? raw(rng.pick(ODD_NUMBERS)) : clone(value);
    const at = rng.int(t.pairs.length + 1);
    t.pairs.splice(at, 0, [key, other]);
  },
  // Object.prototype names as keys: in a node, the root, pins, training, an edge.
  (root, rng) => {
    const key = rng.pick(PROTO_NAMES);
    const value: J = rng.pick<J>([raw(1), 'x', obj([['x', raw(1)], ['y', raw(2)]]), [], raw('null')]);
    const k = rng.int(4);
    if (k === 0 && nodesOf(root).length) rng.pick(nodesOf(root)).pairs.push([key, value]);
    else if (k === 1) root.pairs.push([key, value]);
    else if (k === 2) {
      const layout = isObj(get(root, 'layout')) ? get(root, 'layout') as Obj : obj();
      set(root, 'layout', layout);
      const pinned = isObj(get(layout, 'pinned')) ? get(layout, 'pinned') as Obj : obj();
      set(layout, 'pinned', pinned);
      pinned.pairs.push([key, obj([['x', raw(rng.int(500))], ['y', raw(rng.int(500))]])]);
    } else edgesOf(root).push(obj([['from', rng.pick([...idsOf(root), key])], ['to', key]]));
  },
  // Duplicate edges, one to many times.
  (root, rng) => {
    const edges = edgesOf(root);
    if (!edges.length) return;
    const e = rng.pick(edges);
    for (let i = rng.between(1, rng.chance(0.1) ? 50 : 3); i > 0; i--) edges.splice(rng.int(edges.length + 1), 0, clone(e));
  },
  // A cycle, a self loop or an edge to a node that does not exist.
  (root, rng) => {
    const ids = idsOf(root);
    if (!ids.length) return;
    const edges = edgesOf(root);
    const k = rng.int(3);
    if (k === 0) {
      const e = edges.filter(isObj);
      if (e.length) {
        const pick = rng.pick(e);
        edges.push(edge(str(pick, 'to') ?? '', str(pick, 'from') ?? ''));
      }
    } else if (k === 1) {
      const id = rng.pick(ids);
      edges.push(edge(id, id));
    } else edges.push(rng.chance(0.5) ? edge(rng.pick(ids), someText(rng)) : edge(someText(rng), rng.pick(ids)));
  },
  // A number somewhere becomes odd: huge, negative, NaN, -0, hex, a string.
  (root, rng) => {
    const slots = numericSlots(root);
    if (!slots.length) return;
    const s = rng.pick(slots);
    (s.holder as J[])[s.index] = raw(rng.pick(ODD_NUMBERS));
  },
  // Pins: ordinary, far away, negative, wrong types, for nodes that exist or not.
  (root, rng) => {
    const layout = isObj(get(root, 'layout')) ? get(root, 'layout') as Obj : obj();
    set(root, 'layout', layout);
    const pinned = isObj(get(layout, 'pinned')) ? get(layout, 'pinned') as Obj : obj();
    set(layout, 'pinned', pinned);
    const ids = idsOf(root);
    const id = ids.length && rng.chance(0.8) ? rng.pick(ids) : someText(rng);
    const n = (): J => raw(rng.pick(['0', '100', '-250', '1e6', '1e300', '-1e300', '1e999', '0.5', '"7"', 'null']));
    pinned.pairs.push([id, rng.chance(0.8) ? obj([['x', n()], ['y', n()]]) : rng.pick<J>([obj([['x', n()]]), [], 'here', obj([['x', n()], ['y', n()], ['z', n()]])])]);
  },
  // A node's type changes, or a field is removed, or an unknown field appears.
  (root, rng) => {
    const nodes = nodesOf(root);
    if (!nodes.length) return;
    const n = rng.pick(nodes);
    const k = rng.int(3);
    if (k === 0) set(n, 'type', rng.chance(0.8) ? rng.pick(NODE_TYPES) : someText(rng));
    else if (k === 1 && n.pairs.length) remove(n, rng.pick(n.pairs)[0]);
    else n.pairs.push([rng.pick(['unknown', 'Units', 'activaton', 'weights', 'bias', 'alpha', 'useBias', 'rate', 'features']), rng.pick<J>([raw(-1), raw(0.3), 'relu', [[raw(1)]], [raw(1), raw(2)], raw(true)])]);
  },
  // A new node grafted after an existing one (merges, concat, dropout, activation appear).
  (root, rng) => {
    const nodes = get(root, 'nodes');
    if (!Array.isArray(nodes)) return;
    const ids = idsOf(root);
    const id = rng.chance(0.2) ? someText(rng) : `g${rng.int(1000)}`;
    nodes.splice(rng.int(nodes.length + 1), 0, randomNodeObj(rng, id));
    const edges = edgesOf(root);
    for (let i = rng.between(0, 2); i > 0 && ids.length; i--) edges.push(edge(rng.pick(ids), id));
    if (ids.length && rng.chance(0.5)) edges.push(edge(id, rng.pick(ids)));
  },
  // The training section: odd losses, optimizers, data, batch sizes, early stopping.
  (root, rng) => {
    const t = isObj(get(root, 'training')) ? get(root, 'training') as Obj : obj();
    set(root, 'training', t);
    switch (rng.int(6)) {
      case 0: set(t, 'loss', rng.chance(0.8) ? rng.pick(LOSS_NAMES) : someText(rng)); break;
      case 1: set(t, 'optimizer', obj([['type', rng.chance(0.8) ? rng.pick(OPTIMIZER_NAMES) : someText(rng)], ['learningRate', raw(rng.pick(['0.01', '10', '0', '-1', '1e-9']))],
        ...(rng.chance(0.5) ? [[rng.pick(['momentum', 'beta1', 'beta2', 'rho', 'epsilon', 'nesterov']), raw(rng.pick(['0.9', '0.5', 'true', '1']))] as [string, J]] : [])])); break;
      case 2: set(t, 'data', rng.chance(0.5) ? obj([['generator', rng.pick([...GENERATOR_NAMES, 'nope'])], ['samples', raw(rng.pick(['10', '0', '1e9']))], ['classes', raw(rng.pick(['2', '3', '101']))]])
        : obj([['dataset', rng.pick([...DATASET_NAMES, 'nope'])]])); break;
      case 3: set(t, rng.pick(['batchSize', 'epochs', 'seed', 'validationSplit', 'l1', 'l2']), raw(rng.pick(ODD_NUMBERS))); break;
      case 4: set(t, 'earlyStopping', obj([['monitor', rng.pick(['val_loss', 'loss', 'acc'])], ['patience', raw(rng.pick(['0', '5', '-1']))], ['restoreBestWeights', raw(true)]])); break;
      default: set(t, 'shuffle', raw(rng.chance(0.5)));
    }
  },
  // Inline weights and bias, of the right size or not.
  (root, rng) => {
    const dense = nodesOf(root).filter((n) => str(n, 'type') === 'dense');
    if (!dense.length) return;
    const n = rng.pick(dense);
    const units = Number((get(n, 'units') as { raw?: string } | undefined)?.raw);
    const rows = Number.isInteger(units) && units > 0 && units < 20 ? units : 2;
    const cols = rng.between(1, 4);
    const num = (): J => raw(rng.chance(0.95) ? String(Math.round((rng.next() * 2 - 1) * 1000) / 1000) : rng.pick(ODD_NUMBERS));
    set(n, 'weights', Array.from({ length: rng.chance(0.8) ? rows : rows + 1 }, () => Array.from({ length: cols }, num)));
    if (rng.chance(0.7)) set(n, 'bias', Array.from({ length: rows }, num));
  },
  // A long chain of layers (size and speed).
  (root, rng) => {
    const nodes = get(root, 'nodes');
    const ids = idsOf(root);
    if (!Array.isArray(nodes) || !ids.length || rng.chance(0.6)) return;
    let prev = rng.pick(ids);
    const edges = edgesOf(root);
    const prefix = `chain${rng.int(1000)}_`;
    for (let i = rng.between(20, 120); i > 0; i--) {
      const id = `${prefix}${i}`;
      nodes.push(obj([['id', id], ['type', 'dense'], ['units', raw(rng.between(1, 20))], ['activation', 'relu']]));
      edges.push(edge(prev, id));
      prev = id;
    }
  },
  // A node or edge removed, or the nodes reordered.
  (root, rng) => {
    const nodes = get(root, 'nodes');
    const edges = edgesOf(root);
    const k = rng.int(3);
    if (k === 0 && Array.isArray(nodes) && nodes.length) nodes.splice(rng.int(nodes.length), 1);
    else if (k === 1 && edges.length) edges.splice(rng.int(edges.length), 1);
    else if (Array.isArray(nodes)) nodes.sort(() => rng.next() - 0.5);
  },
];
