import * as assert from 'node:assert/strict';
import { copySelection, freshId, parseClipboard, preparePaste } from '../../../webview/editor/clipboard';
import { connectionRefusal } from '../../../webview/editor/connectRules';
import { navigate } from '../../../webview/editor/graphNavigation';
import type { NetworkDoc } from '../../../src/model/types';

const doc: NetworkDoc = {
  format: 'nn/1',
  nodes: [
    { id: 'x', type: 'input', units: 2 },
    { id: 'h1', type: 'dense', units: 3, activation: 'relu' },
    { id: 'h2', type: 'dense', units: 3, activation: 'tanh' },
    { id: 'cat', type: 'concat' },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  edges: [
    { from: 'x', to: 'h1' }, { from: 'x', to: 'h2' },
    { from: 'h1', to: 'cat' }, { from: 'h2', to: 'cat' }, { from: 'cat', to: 'y' },
  ],
};

describe('connection rules (refused with a reason)', () => {
  it('allows a new edge into a merge node', () => {
    assert.equal(connectionRefusal({ ...doc, nodes: [...doc.nodes, { id: 'x2', type: 'input', units: 1 }] }, 'x2', 'cat'), undefined);
  });
  it('refuses self loops, edges into inputs, duplicates, a second input to a dense layer, and cycles', () => {
    assert.match(connectionRefusal(doc, 'h1', 'h1') ?? '', /cannot feed itself/);
    assert.match(connectionRefusal(doc, 'h1', 'x') ?? '', /x is an input/);
    assert.match(connectionRefusal(doc, 'x', 'h1') ?? '', /already feeds/);
    assert.match(connectionRefusal(doc, 'h2', 'y') ?? '', /takes one input and already has cat/);
    const open = { ...doc, edges: doc.edges.filter((e) => e.to !== 'h1') };
    assert.match(connectionRefusal(open, 'y', 'h1') ?? '', /cycle/);
    assert.match(connectionRefusal(doc, 'x', 'ghost') ?? '', /Both ends/);
  });
});

describe('keyboard navigation along edges', () => {
  const centres = new Map([
    ['x', { x: 0, y: 50 }], ['h1', { x: 100, y: 0 }], ['h2', { x: 100, y: 100 }], ['cat', { x: 200, y: 50 }], ['y', { x: 300, y: 50 }],
  ]);
  it('right follows an outgoing edge to the nearest target, left goes back', () => {
    assert.equal(navigate('cat', 'ArrowRight', doc.edges, centres), 'y');
    assert.equal(navigate('y', 'ArrowLeft', doc.edges, centres), 'cat');
    assert.ok(['h1', 'h2'].includes(navigate('x', 'ArrowRight', doc.edges, centres) ?? ''));
  });
  it('up and down move within a column', () => {
    assert.equal(navigate('h1', 'ArrowDown', doc.edges, centres), 'h2');
    assert.equal(navigate('h2', 'ArrowUp', doc.edges, centres), 'h1');
    assert.equal(navigate('h1', 'ArrowUp', doc.edges, centres), undefined);
  });
  it('stays put at the ends', () => {
    assert.equal(navigate('y', 'ArrowRight', doc.edges, centres), undefined);
    assert.equal(navigate('x', 'ArrowLeft', doc.edges, centres), undefined);
  });
});

describe('copy and paste', () => {
  it('copies the selected nodes and only the edges among them', () => {
    const c = copySelection(doc, new Set(['h1', 'cat']));
    assert.deepEqual(c?.nodes.map((n) => n.id), ['h1', 'cat']);
    assert.deepEqual(c?.edges, [{ from: 'h1', to: 'cat' }]);
    assert.equal(copySelection(doc, new Set()), undefined);
  });
  it('renames pasted nodes that would collide, and their edges follow', () => {
    const c = copySelection(doc, new Set(['h1', 'cat']));
    assert.ok(c);
    const p = preparePaste(doc, c);
    assert.deepEqual(p.nodes.map((n) => n.id), ['h1_copy', 'cat_copy']);
    assert.deepEqual(p.edges, [{ from: 'h1_copy', to: 'cat_copy' }]);
    const again = preparePaste({ ...doc, nodes: [...doc.nodes, ...p.nodes] }, c);
    assert.deepEqual(again.nodes.map((n) => n.id), ['h1_copy2', 'cat_copy2']);
  });
  it('freshId counts up, and the clipboard text round-trips', () => {
    const taken = new Set(['a', 'a2']);
    assert.equal(freshId('a', taken), 'a3');
    const c = copySelection(doc, new Set(['y']));
    assert.deepEqual(parseClipboard(JSON.stringify(c)), c);
    assert.equal(parseClipboard('{"nodes": []}'), undefined);
    assert.equal(parseClipboard('not json'), undefined);
  });
});
