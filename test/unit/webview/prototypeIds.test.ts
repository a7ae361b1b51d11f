import { strict as assert } from 'assert';
import { applyTextEdits, checkNetwork, pinNode, renameNode, own } from '../../../src/model';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { buildView } from '../../../webview/editor/viewModel';
import { quickLayout } from '../../../webview/editor/quickLayout';
import type { DocumentSnapshot } from '../../../src/protocol';
import { compileNetwork } from '../../../src/engine/compile';
import { weightsUpdate } from '../../../src/trainer/liveView';

/** Every name a plain object already answers to: each must be an ordinary node id. */
const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

function design(id: string, pinned?: { x: number; y: number }): string {
  return JSON.stringify({
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', units: 2 },
      { id, type: 'dense', units: 3, activation: 'relu' },
      { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    edges: [{ from: 'x', to: id }, { from: id, to: 'y' }],
    training: { data: { dataset: 'interview' }, loss: 'binary_crossentropy' },
    ...(pinned ? { layout: { pinned: { [id]: pinned } } } : {}),
  }, null, 2);
}

/** The snapshot as the view receives it: postMessage carries plain JSON-like data. */
function delivered(text: string): DocumentSnapshot {
  return structuredClone(documentSnapshot(text, 1, 't.nn').snapshot);
}

const measure = (s: string): number => s.length * 7;

describe('ids that Object.prototype already knows (constructor, __proto__, toString, …)', () => {
  it('covers the names', () => {
    for (const n of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) assert.ok(NAMES.includes(n));
  });

  for (const name of NAMES) {
    describe(`a node called '${name}'`, () => {
      it('validates like any id and the analysis counts its parameters', () => {
        const plain = checkNetwork(design('h'));
        const c = checkNetwork(design(name));
        assert.deepEqual(c.diagnostics.map((d) => d.code), plain.diagnostics.map((d) => d.code));
        assert.ok(c.analysis);
        assert.equal(c.analysis.totalParams, 13);
        assert.equal(c.analysis.params.get(name)?.count, 9);
        assert.deepEqual(c.analysis.shapes.get(name), [3]);
        assert.deepEqual(c.analysis.order, ['x', name, 'y']);
      });

      it('is drawn with its own info and finite places, pinned or not', () => {
        for (const pin of [undefined, { x: 40, y: 50 }]) {
          const snap = delivered(design(name, pin));
          assert.equal(own(snap.nodes, name)?.params, 9);
          assert.equal(snap.totalParams, 13);
          if (pin) assert.deepEqual(own(snap.doc?.layout?.pinned, name), pin);
          const view = buildView(snap, new Set(), measure, 13);
          const v = view.nodes.find((n) => n.id === name);
          assert.ok(v);
          assert.deepEqual(v.info, { shape: [3], params: 9, formula: '2×3 + 3 = 9' });
          assert.deepEqual(v.pinned, pin);
          assert.match(v.footer, /\[3\] · 9 params/);
          assert.deepEqual(view.edges.map((e) => [e.from, e.to, e.label]), [['x', name, '[2]'], [name, 'y', '[3]']]);
          const places = quickLayout(view.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })), view.edges, snap.doc?.layout?.pinned ?? {});
          assert.equal(places.size, 3);
          for (const [id, p] of places) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y), `${id} at ${JSON.stringify(p)}`);
          if (pin) assert.deepEqual(places.get(name), pin);
          else assert.ok((places.get(name)?.x ?? 0) > (places.get('x')?.x ?? 0));
        }
      });

      it('compiles, and its weights reach the training views under its own name', () => {
        const c = checkNetwork(design(name));
        assert.ok(c.parsed.doc && c.analysis);
        const net = compileNetwork(c.parsed.doc, c.analysis);
        assert.equal(net.weights.get(`${name}.weight`)?.data.length, 6);
        const u = structuredClone(weightsUpdate(1, net, net.weights));
        assert.ok(u.kind === 'weights');
        assert.deepEqual(own(u.layers, name)?.shape, [3, 2]);
        assert.deepEqual(Object.keys(u.layers).sort(), [name, 'y'].sort());
      });

      it('can be pinned and renamed from the graph', () => {
        const pinned = applyTextEdits(design(name), pinNode(design(name), name, { x: 7, y: 8 }));
        assert.deepEqual(own(checkNetwork(pinned).parsed.doc?.layout?.pinned, name), { x: 7, y: 8 });
        const renamed = applyTextEdits(pinned, renameNode(pinned, name, 'h'));
        const c = checkNetwork(renamed);
        assert.deepEqual(c.parsed.doc?.edges, [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }]);
        assert.deepEqual(own(c.parsed.doc?.layout?.pinned, 'h'), { x: 7, y: 8 });
        assert.equal(own(c.parsed.doc?.layout?.pinned, name), undefined);
      });
    });
  }
});
