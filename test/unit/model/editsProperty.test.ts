import { strict as assert } from 'assert';
import fc from 'fast-check';
import {
  ModelEditError, addNode, applyTextEdits, connect, disconnect, parseNetwork, pinNode, removeNode, renameNode,
  setNodeProperty, setTrainingProperty, unpinNode,
} from '../../../src/model';

type Json = Record<string, unknown>;
interface Doc { format: string; nodes: Json[]; edges: { from: string; to: string }[]; training?: Json; layout?: { pinned?: Record<string, { x: number; y: number }> } }

/** Writes a doc in one of several styles people use: indented by 2, 4 or a tab; one node per line or fully expanded; LF or CRLF. */
function write(doc: Doc, style: { indent: string; compactItems: boolean; crlf: boolean }): string {
  let text: string;
  if (style.compactItems) {
    const i = style.indent;
    const item = (v: unknown) => JSON.stringify(v).replace(/,"/g, ', "').replace(/":/g, '": ').replace(/^\{/, '{ ').replace(/\}$/, ' }');
    const list = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => `${i}${i}${item(x)}`).join(',\n')}\n${i}]` : '[]');
    const rest = Object.entries(doc).filter(([k]) => k !== 'nodes' && k !== 'edges' && k !== 'format')
      .map(([k, v]) => `,\n${i}"${k}": ${JSON.stringify(v, null, i).replace(/\n/g, `\n${i}`)}`).join('');
    text = `{\n${i}"format": "nn/1",\n${i}"nodes": ${list(doc.nodes)},\n${i}"edges": ${list(doc.edges)}${rest}\n}\n`;
  } else {
    text = `${JSON.stringify(doc, null, style.indent)}\n`;
  }
  return style.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const styleArb = fc.record({ indent: fc.constantFrom('  ', '    ', '\t'), compactItems: fc.boolean(), crlf: fc.boolean() });
// Edges only go forward (a < b), so the generated graph has no cycle; pairs are built that way
// rather than filtered, because a filter nothing passes makes fast-check search forever.
const docArb = fc.integer({ min: 2, max: 6 }).chain((n) => fc.record({
  edges: fc.uniqueArray(fc.nat({ max: n - 2 }).chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: a + 1, max: n - 1 }))), { selector: ([a, b]) => `${a}-${b}`, maxLength: 8 }),
  pins: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 2 }),
  training: fc.boolean(),
}).map(({ edges, pins, training }) => {
  const doc: Doc = {
    format: 'nn/1',
    nodes: Array.from({ length: n }, (_, i) => (i === 0 ? { id: 'n0', type: 'input', units: 2 } : { id: `n${i}`, type: 'dense', units: i, activation: 'relu' })),
    edges: edges.map(([a, b]) => ({ from: `n${a}`, to: `n${b}` })),
  };
  if (training) doc.training = { loss: 'mse', optimizer: { type: 'sgd' } };
  if (pins.length) doc.layout = { pinned: Object.fromEntries(pins.map((p) => [`n${p}`, { x: p * 10, y: 5 }])) };
  return doc;
}));

/** One intent with what it should do to the parsed JSON (the oracle), or undefined when it must be refused. */
type Op = { name: string; run: (t: string) => ReturnType<typeof addNode>; expect: (d: Doc) => Doc | undefined };

/** Whether `from` reaches `to` along the edges (so an edge to → from would close a cycle). */
function leadsTo(d: Doc, from: string, to: string): boolean {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length) {
    const cur = stack.pop() as string;
    if (cur === to) return true;
    for (const e of d.edges) if (e.from === cur && !seen.has(e.to)) { seen.add(e.to); stack.push(e.to); }
  }
  return false;
}

function opArb(ids: string[]): fc.Arbitrary<Op> {
  const id = fc.constantFrom(...ids, 'ghost');
  const removePin = (d: Doc, victim: string) => {
    if (d.layout?.pinned) delete d.layout.pinned[victim];
    if (d.layout?.pinned && !Object.keys(d.layout.pinned).length) delete d.layout.pinned;
    if (d.layout && !Object.keys(d.layout).length) delete d.layout;
  };
  return fc.oneof(
    fc.tuple(fc.constantFrom('new1', 'new2', ...ids), fc.option(id, { nil: undefined })).map(([nid, after]): Op => ({
      name: `addNode ${nid} after ${after}`,
      run: (t) => addNode(t, { id: nid, type: 'dense', units: 3 }, { after }),
      expect: (d) => {
        if (d.nodes.some((x) => x.id === nid) || (after !== undefined && !d.nodes.some((x) => x.id === after))) return undefined;
        const at = after === undefined ? d.nodes.length : d.nodes.findIndex((x) => x.id === after) + 1;
        d.nodes.splice(at, 0, { id: nid, type: 'dense', units: 3 });
        if (after !== undefined) d.edges.push({ from: after, to: nid });
        return d;
      },
    })),
    id.map((victim): Op => ({
      name: `removeNode ${victim}`,
      run: (t) => removeNode(t, victim),
      expect: (d) => {
        if (!d.nodes.some((x) => x.id === victim)) return undefined;
        d.nodes = d.nodes.filter((x) => x.id !== victim);
        d.edges = d.edges.filter((e) => e.from !== victim && e.to !== victim);
        removePin(d, victim);
        return d;
      },
    })),
    fc.tuple(id, id).map(([from, to]): Op => ({
      name: `connect ${from} ${to}`,
      run: (t) => connect(t, from, to),
      expect: (d) => {
        const has = (x: string) => d.nodes.some((n) => n.id === x);
        const isInput = d.nodes.some((n) => n.id === to && n.type === 'input');
        const dup = d.edges.some((e) => e.from === from && e.to === to);
        if (!has(from) || !has(to) || from === to || isInput || dup || leadsTo(d, to, from)) return undefined;
        d.edges.push({ from, to });
        return d;
      },
    })),
    fc.tuple(id, id).map(([from, to]): Op => ({
      name: `disconnect ${from} ${to}`,
      run: (t) => disconnect(t, from, to),
      expect: (d) => {
        if (!d.edges.some((e) => e.from === from && e.to === to)) return undefined;
        d.edges = d.edges.filter((e) => !(e.from === from && e.to === to));
        return d;
      },
    })),
    fc.tuple(id, fc.constantFrom('label', 'units', 'activation'), fc.option(fc.constantFrom('tanh', 7, 'a "quoted" label'), { nil: undefined })).map(([target, key, value]): Op => ({
      name: `setNodeProperty ${target}.${key} = ${value}`,
      run: (t) => setNodeProperty(t, target, key, value),
      expect: (d) => {
        const node = d.nodes.find((x) => x.id === target);
        if (!node) return undefined;
        if (value === undefined) delete node[key];
        else node[key] = value;
        return d;
      },
    })),
    fc.tuple(id, fc.constantFrom('renamed', 'n1')).map(([from, to]): Op => ({
      name: `renameNode ${from} → ${to}`,
      run: (t) => renameNode(t, from, to),
      expect: (d) => {
        if (!d.nodes.some((x) => x.id === from)) return undefined;
        if (from === to) return d;
        if (d.nodes.some((x) => x.id === to)) return undefined;
        for (const x of d.nodes) if (x.id === from) x.id = to;
        for (const e of d.edges) {
          if (e.from === from) e.from = to;
          if (e.to === from) e.to = to;
        }
        const pinned = d.layout?.pinned;
        if (pinned && pinned[from]) {
          pinned[to] = pinned[from];
          delete pinned[from];
        }
        return d;
      },
    })),
    fc.tuple(id, fc.integer({ min: -500, max: 500 })).map(([target, x]): Op => ({
      name: `pinNode ${target} ${x}`,
      run: (t) => pinNode(t, target, { x, y: 1 }),
      expect: (d) => {
        if (!d.nodes.some((n) => n.id === target)) return undefined;
        d.layout ??= {};
        d.layout.pinned ??= {};
        d.layout.pinned[target] = { x, y: 1 };
        return d;
      },
    })),
    id.map((target): Op => ({ name: `unpinNode ${target}`, run: (t) => unpinNode(t, target), expect: (d) => { removePin(d, target); return d; } })),
    fc.tuple(fc.constantFrom<string[]>(['epochs'], ['optimizer', 'learningRate'], ['data', 'generator']), fc.option(fc.constantFrom(5, 0.1, 'xor'), { nil: undefined })).map(([path, value]): Op => ({
      name: `setTrainingProperty ${path.join('.')} = ${value}`,
      run: (t) => setTrainingProperty(t, path, value),
      expect: (d) => {
        let o = (d as unknown as Json);
        for (const k of ['training', ...path.slice(0, -1)]) {
          if (o[k] === undefined) {
            if (value === undefined) return d;
            o[k] = {};
          }
          o = o[k] as Json;
        }
        if (value === undefined) delete o[path[path.length - 1]];
        else o[path[path.length - 1]] = value;
        return d;
      },
    })),
  );
}

describe('model/edits (property-based)', function () {
  this.timeout(30000);

  it('every intent on files of any style does exactly what it says to the JSON, or is refused with ModelEditError', () => {
    fc.assert(fc.property(docArb, styleArb, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (doc, style, picks) => {
      let text = write(doc, style);
      let state: Doc = JSON.parse(text);
      for (const pick of picks) {
        const ops = fc.sample(opArb(state.nodes.map((x) => String(x.id))), { numRuns: 1, seed: pick })[0];
        const expected = ops.expect(structuredClone(state));
        let next: string | undefined;
        try {
          next = applyTextEdits(text, ops.run(text));
        } catch (e) {
          assert.ok(e instanceof ModelEditError, `${ops.name} threw ${String(e)}`);
          assert.equal(expected, undefined, `${ops.name} was refused: ${(e as Error).message}`);
          continue;
        }
        assert.notEqual(expected, undefined, `${ops.name} should have been refused`);
        assert.deepEqual(parseNetwork(next).diagnostics.filter((d) => d.code === 'syntax'), [], `${ops.name} broke the JSON:\n${next}`);
        assert.deepEqual(JSON.parse(next), expected, `${ops.name} on\n${text}\ngave\n${next}`);
        // The file keeps its line ending and indentation style.
        assert.equal(next.includes('\r\n'), style.crlf);
        if (style.crlf) assert.ok(!/[^\r]\n/.test(next), `${ops.name} wrote a bare LF into a CRLF file`);
        if (style.indent === '\t') assert.ok(!/\n {2}/.test(next), `${ops.name} indented with spaces in a tab file`);
        text = next;
        state = JSON.parse(next);
      }
    }), { numRuns: 300, seed: 7 });
  });
});
