/**
 * The input of one fuzz case: an example file mutated byte by byte, an example's tree mutated
 * structurally, a random design that uses every node type (so the exporters see many valid
 * networks, with awkward ids and hostile labels), or junk.
 */
import { ACTIVATION_NAMES, GENERATOR_NAMES, LOSS_NAMES, NODE_TYPES, OPTIMIZER_NAMES } from '../../../src/model/types';
import { isObj, obj, raw, readJson, str, writeJson, type J, type Obj } from './jsonTree';
import { awkwardId, byteMutate, edge, EXAMPLES, MUTATIONS, someText, TOKENS } from './mutations';
import { addImagePart } from './imageDesign';
import { Rng } from './random';

/** Node types that work on vectors (the image types come from imageDesign.ts). */
const VECTOR_TYPES = NODE_TYPES.filter((t) => !['input', 'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool2d'].includes(t));

/** A random design that uses every node type, usually valid, with awkward (but legal) ids and hostile labels. */
export function randomDesign(rng: Rng): Obj {
  const nodes: Obj[] = [];
  const edges: J[] = [];
  const width = new Map<string, number>();
  const used = new Set<string>();
  const fresh = (i: number): string => {
    let id = awkwardId(rng, i);
    while (used.has(id)) id = `${id}_${i}`;
    used.add(id);
    return id;
  };
  // Often an image input with convolutions and pooling first, ending in a vector the rest builds on.
  const image = rng.chance(0.35) ? addImagePart(rng, () => fresh(nodes.length), nodes, edges) : undefined;
  if (image) width.set(image.id, image.width);
  for (let i = image ? rng.between(0, 1) : rng.between(1, 2); i > 0; i--) {
    const id = fresh(nodes.length);
    const units = rng.between(1, 5);
    const n = obj([['id', id], ['type', 'input'], ['units', raw(units)]]);
    if (rng.chance(0.3)) n.pairs.push(['features', Array.from({ length: units }, () => someText(rng))]);
    nodes.push(n);
    width.set(id, units);
  }
  for (let i = rng.between(1, 8); i > 0; i--) {
    const id = fresh(nodes.length);
    const ids = [...width.keys()];
    const byWidth = new Map<number, string[]>();
    for (const [k, w] of width) byWidth.set(w, [...(byWidth.get(w) ?? []), k]);
    const mergeable = [...byWidth.values()].filter((g) => g.length >= 2);
    let type = rng.pick(VECTOR_TYPES);
    if ((type === 'add' || type === 'multiply') && !mergeable.length) type = 'dense';
    if (type === 'concat' && ids.length < 2) type = 'dense';
    const n = obj([['id', id], ['type', type]]);
    let w: number;
    if (type === 'add' || type === 'multiply') {
      const group = rng.pick(mergeable);
      const ins = group.filter(() => rng.chance(0.7));
      const from = ins.length >= 2 ? ins : group.slice(0, 2);
      for (const f of from) edges.push(edge(f, id));
      w = width.get(from[0]) as number;
    } else if (type === 'concat') {
      const a = rng.pick(ids);
      const b = rng.pick(ids.filter((x) => x !== a));
      edges.push(edge(a, id), edge(b, id));
      w = (width.get(a) as number) + (width.get(b) as number);
    } else {
      const from = rng.pick(ids);
      edges.push(edge(from, id));
      w = width.get(from) as number;
      if (type === 'dense') {
        const units = rng.between(1, 6);
        n.pairs.push(['units', raw(units)]);
        if (rng.chance(0.8)) {
          const act = rng.pick(ACTIVATION_NAMES);
          n.pairs.push(['activation', act]);
          if ((act === 'leaky_relu' || act === 'elu') && rng.chance(0.5)) n.pairs.push(['alpha', raw(rng.pick([0, 0.01, 0.3, 2]))]);
        }
        if (rng.chance(0.2)) n.pairs.push(['useBias', raw(false)]);
        if (rng.chance(0.2)) {
          const fanIn = w;
          n.pairs.push(['weights', Array.from({ length: units }, () => Array.from({ length: fanIn }, () => raw(Math.round((rng.next() * 2 - 1) * 100) / 100)))]);
          if (rng.chance(0.5)) n.pairs.push(['bias', Array.from({ length: units }, () => raw(0.1))]);
        }
        w = units;
      } else if (type === 'activation') {
        const act = rng.pick(ACTIVATION_NAMES);
        n.pairs.push(['activation', act]);
        if ((act === 'leaky_relu' || act === 'elu') && rng.chance(0.5)) n.pairs.push(['alpha', raw(0.2)]);
      } else if (type === 'dropout') n.pairs.push(['rate', raw(rng.pick([0, 0.1, 0.5, 0.9]))]);
      else if (type === 'reshape') n.pairs.push(['shape', [raw(w)]]);
      else if (type === 'batchnorm' && rng.chance(0.3)) n.pairs.push(['momentum', raw(0.9)]);
    }
    if (rng.chance(0.3)) n.pairs.push(['label', someText(rng)]);
    nodes.push(n);
    width.set(id, w);
  }
  // Usually one output (training needs one): the loose ends concatenated into a last layer.
  const sinks = [...width.keys()].filter((id) => !edges.some((e) => isObj(e) && str(e, 'from') === id));
  if (sinks.length > 1 && rng.chance(0.9)) {
    const cat = fresh(nodes.length);
    nodes.push(obj([['id', cat], ['type', 'concat']]));
    for (const s of sinks) edges.push(edge(s, cat));
    const out = fresh(nodes.length);
    nodes.push(obj([['id', out], ['type', 'dense'], ['units', raw(rng.between(1, 3))], ['activation', rng.pick(['sigmoid', 'softmax', 'linear'])]]));
    edges.push(edge(cat, out));
  }
  const root = obj([['format', 'nn/1']]);
  if (rng.chance(0.5)) root.pairs.push(['name', someText(rng)]);
  if (rng.chance(0.2)) root.pairs.push(['description', someText(rng)]);
  root.pairs.push(['nodes', nodes], ['edges', edges]);
  if (rng.chance(0.6)) {
    const t = obj();
    if (rng.chance(0.6)) t.pairs.push(['loss', rng.pick(LOSS_NAMES)]);
    if (rng.chance(0.6)) t.pairs.push(['optimizer', obj([['type', rng.pick(OPTIMIZER_NAMES)], ['learningRate', raw(0.01)]])]);
    if (rng.chance(0.5)) t.pairs.push(['data', rng.chance(0.5) ? obj([['generator', rng.pick(GENERATOR_NAMES)]]) : obj([['csv', `${someText(rng)}.csv`], ['labels', [someText(rng)]]])]);
    if (rng.chance(0.3)) t.pairs.push(['earlyStopping', obj([['patience', raw(3)]])]);
    if (rng.chance(0.3)) t.pairs.push(['batchSize', raw(rng.pick([1, 8, 32]))], ['epochs', raw(rng.pick([1, 10]))], ['seed', raw(7)], ['shuffle', raw(rng.chance(0.5))]);
    root.pairs.push(['training', t]);
  }
  // Sometimes groups (the editor's view aid, which training and exporters must ignore): awkward
  // ids, now and then a member that is not a node, a node in two groups or a group id taken.
  // Drawn from their own generator, seeded by the design, so the cases the main one makes stay as they were.
  const ids = nodes.map((n) => str(n, 'id') ?? '');
  const grng = new Rng(ids.join('\u0000').split('').reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  if (grng.chance(0.3)) {
    const groups = Array.from({ length: grng.between(1, 3) }, (_, g) => {
      const members = ids.filter(() => grng.chance(0.4));
      if (grng.chance(0.1)) members.push(grng.chance(0.5) ? 'ghost' : '__proto__');
      const id = grng.chance(0.1) ? grng.pick(ids) : grng.chance(0.1) ? '__proto__' : `group${g}`;
      const group = obj([['id', id], ['nodes', members.length ? members : [ids[0]]]]);
      if (grng.chance(0.6)) group.pairs.push(['label', someText(grng)]);
      if (grng.chance(0.7)) group.pairs.push(['collapsed', raw(grng.chance(0.5))]);
      return group;
    });
    root.pairs.push(['groups', groups]);
  }
  return root;
}

function styleOf(rng: Rng): { indent: string; eol: '\n' | '\r\n'; bom: boolean } {
  return { indent: rng.pick(['', '  ', '    ', '\t']), eol: rng.chance(0.8) ? '\n' : '\r\n', bom: rng.chance(0.05) };
}

/** One fuzz input: the text and how it was made (for the report). */
export interface FuzzInput {
  text: string;
  origin: string;
}

/** Makes the input of one case. */
export function makeInput(rng: Rng): FuzzInput {
  const r = rng.next();
  if (r < 0.3) {
    const ex = rng.pick(EXAMPLES);
    let text = ex.text;
    const k = rng.between(1, 4);
    for (let i = 0; i < k; i++) text = byteMutate(text, rng);
    return { text, origin: `${ex.name} + ${k} byte mutation(s)` };
  }
  if (r < 0.95) {
    const fromExample = r < 0.6;
    const ex = rng.pick(EXAMPLES);
    const root = fromExample ? readJson(ex.text) as Obj : randomDesign(rng);
    const k = fromExample ? rng.between(1, 3) : rng.between(0, 2);
    for (let i = 0; i < k; i++) MUTATIONS[rng.int(MUTATIONS.length)](root, rng);
    let text = writeJson(root, styleOf(rng));
    const bytes = rng.chance(fromExample ? 0.2 : 0.1) ? 1 : 0;
    if (bytes) text = byteMutate(text, rng);
    return { text, origin: `${fromExample ? ex.name : 'random design'} + ${k} structural${bytes ? ' + 1 byte' : ''} mutation(s)` };
  }
  // Junk: token soup or arbitrary characters.
  if (rng.chance(0.5)) return { text: Array.from({ length: rng.int(60) }, () => rng.pick(TOKENS)).join(''), origin: 'token soup' };
  return { text: Array.from({ length: rng.int(200) }, () => String.fromCharCode(rng.int(rng.chance(0.5) ? 128 : 0x10000))).join(''), origin: 'random characters' };
}
