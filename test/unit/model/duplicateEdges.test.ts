import { strict as assert } from 'assert';
import { analyzeNetwork, checkNetwork, type NetworkDoc } from '../../../src/model';
import { compileNetwork } from '../../../src/engine/compile';
import { buildView } from '../../../webview/editor/viewModel';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { netText } from './helpers';

const EDGES = [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }];

describe('model: a duplicated edge is ignored everywhere', () => {
  it('warns once, and the analysis counts the same parameters and inputs as without the copy', () => {
    const plain = checkNetwork(netText());
    const text = netText({}, undefined, [...EDGES, { from: 'x', to: 'h' }]);
    const dup = checkNetwork(text);
    assert.deepEqual(dup.diagnostics.map((d) => `${d.severity} ${d.code}`), ['warning duplicate-edge']);
    assert.ok(plain.analysis && dup.analysis);
    assert.equal(dup.analysis.totalParams, plain.analysis.totalParams);
    assert.equal(dup.analysis.totalParams, 2 * 3 + 3 + 3 * 1 + 1);
    assert.deepEqual(dup.analysis.inputsOf.get('h'), ['x']);
    assert.equal(dup.analysis.flops, plain.analysis.flops);
    assert.deepEqual(dup.parsed.doc?.edges, EDGES);
  });

  it('the editor snapshot and view show each connection once with the right counts', () => {
    const text = netText({}, undefined, [...EDGES, { from: 'x', to: 'h' }, { from: 'h', to: 'y' }]);
    const { snapshot } = documentSnapshot(text, 1, 't.nn');
    assert.equal(snapshot.totalParams, 13);
    assert.equal(snapshot.nodes.h.params, 9);
    const view = buildView(snapshot, new Set(), (s) => s.length * 7, 13);
    assert.deepEqual(view.edges.map((e) => e.key), ['x->h', 'h->y']);
  });

  it('a doc built in code with a duplicated edge analyses as if written once', () => {
    const doc: NetworkDoc = {
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 3 }],
      edges: [{ from: 'x', to: 'h' }, { from: 'x', to: 'h' }],
    };
    const a = analyzeNetwork(doc);
    assert.deepEqual(a.inputsOf.get('h'), ['x']);
    assert.equal(a.totalParams, 9);
  });

  it('100 000 copies of one edge check and compile quickly', function () {
    this.timeout(60_000);
    const edges = [...EDGES, ...Array.from({ length: 100_000 }, () => ({ from: 'h', to: 'y' }))];
    const text = JSON.stringify({ format: 'nn/1', nodes: JSON.parse(netText()).nodes, edges });
    const started = Date.now();
    const c = checkNetwork(text);
    assert.equal(c.diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.equal(c.diagnostics.filter((d) => d.code === 'duplicate-edge').length, 100_000);
    assert.ok(c.parsed.doc && c.analysis);
    const net = compileNetwork(c.parsed.doc, c.analysis);
    assert.ok(net);
    assert.equal(c.analysis.totalParams, 13);
    // Generous: the point is that it finishes (it took 95 s before), not a precise speed.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});
