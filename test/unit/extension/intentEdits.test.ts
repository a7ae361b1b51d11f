import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyIntent, minimalReplacement, replacementForIntent, replacementsForIntent } from '../../../src/extension/intentEdits';
import { checkNetwork, ModelEditError } from '../../../src/model';
import type { EditIntent } from '../../../src/protocol';

const interview = readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8');

function apply(text: string, intent: EditIntent): string {
  const r = replacementForIntent(text, intent);
  assert.ok(r, 'expected a change');
  return text.slice(0, r.offset) + r.content + text.slice(r.offset + r.length);
}

describe('minimalReplacement', () => {
  it('keeps the common prefix and suffix out of the edit', () => {
    assert.deepEqual(minimalReplacement('abcXYZdef', 'abcQdef'), { offset: 3, length: 3, content: 'Q' });
    assert.deepEqual(minimalReplacement('abc', 'abcd'), { offset: 3, length: 0, content: 'd' });
    assert.deepEqual(minimalReplacement('aXa', 'aa'), { offset: 1, length: 1, content: '' });
    assert.equal(minimalReplacement('same', 'same'), undefined);
  });
});

describe('intent → one minimal edit', () => {
  it('setProperty changes only the value', () => {
    const r = replacementForIntent(interview, { type: 'setProperty', requestId: 1, id: 'hidden', key: 'units', value: 4 });
    assert.ok(r);
    assert.equal(r.content, '4');
    assert.equal(interview.slice(r.offset, r.offset + r.length), '3');
  });

  it('addNode after a node inserts and connects it, and the result checks out', () => {
    const text = apply(interview, { type: 'addNode', requestId: 1, node: { id: 'drop', type: 'dropout', rate: 0.5 }, after: 'hidden' });
    const { parsed } = checkNetwork(text);
    assert.ok(parsed.doc?.nodes.some((n) => n.id === 'drop'));
    assert.ok(parsed.doc?.edges.some((e) => e.from === 'hidden' && e.to === 'drop'));
    // Untouched lines survive byte for byte.
    assert.ok(text.includes('"weights": [[0.5, 0.1], [-0.1, 0.3], [0.2, -0.1]], "bias": [-0.3, 0.2, 0.5] },'));
  });

  it('addNode with a position pins it', () => {
    const text = apply(interview, { type: 'addNode', requestId: 1, node: { id: 'x2', type: 'input', units: 1 }, position: { x: 40, y: 80 } });
    assert.deepEqual(checkNetwork(text).parsed.doc?.layout?.pinned?.x2, { x: 40, y: 80 });
  });

  it('removeNodes removes several nodes and their edges', () => {
    const text = apply(interview, { type: 'removeNodes', requestId: 1, ids: ['y', 'hidden'] });
    const doc = checkNetwork(text).parsed.doc;
    assert.deepEqual(doc?.nodes.map((n) => n.id), ['x']);
    assert.deepEqual(doc?.edges, []);
  });

  it('connect and disconnect are inverse edits', () => {
    const cut = apply(interview, { type: 'disconnect', requestId: 1, from: 'hidden', to: 'y' });
    assert.equal(checkNetwork(cut).parsed.doc?.edges.length, 1);
    const back = apply(cut, { type: 'connect', requestId: 2, from: 'hidden', to: 'y' });
    assert.deepEqual(checkNetwork(back).parsed.doc?.edges, checkNetwork(interview).parsed.doc?.edges);
  });

  it('rename carries edges along', () => {
    const text = apply(interview, { type: 'rename', requestId: 1, oldId: 'hidden', newId: 'h1' });
    const doc = checkNetwork(text).parsed.doc;
    assert.ok(doc?.edges.some((e) => e.from === 'x' && e.to === 'h1'));
    assert.ok(!text.includes('"hidden"'));
  });

  it('pin rounds positions and unpin removes them', () => {
    const pinned = apply(interview, { type: 'pin', requestId: 1, positions: { y: { x: 10.6, y: 20.2 }, x: { x: 0, y: 0 } } });
    assert.deepEqual(checkNetwork(pinned).parsed.doc?.layout?.pinned, { y: { x: 11, y: 20 }, x: { x: 0, y: 0 } });
    const unpinned = applyIntent(pinned, { type: 'unpin', requestId: 2, ids: ['y', 'x'] });
    assert.equal(Object.keys(checkNetwork(unpinned).parsed.doc?.layout?.pinned ?? {}).length, 0);
  });

  it('paste adds nodes, then the edges among them', () => {
    const text = apply(interview, {
      type: 'paste', requestId: 1,
      nodes: [{ id: 'a', type: 'input', units: 2 }, { id: 'b', type: 'dense', units: 1 }],
      edges: [{ from: 'a', to: 'b' }],
    });
    const doc = checkNetwork(text).parsed.doc;
    assert.deepEqual(doc?.nodes.map((n) => n.id), ['x', 'hidden', 'y', 'a', 'b']);
    assert.ok(doc?.edges.some((e) => e.from === 'a' && e.to === 'b'));
  });

  it('impossible intents throw the model error with its message', () => {
    assert.throws(() => applyIntent(interview, { type: 'connect', requestId: 1, from: 'x', to: 'nope' }), ModelEditError);
    assert.throws(() => applyIntent(interview, { type: 'rename', requestId: 1, oldId: 'x', newId: 'y' }), ModelEditError);
  });
});

describe('replacementsForIntent (what the host applies as one WorkspaceEdit)', () => {
  it('keeps an added node and its edge as separate small insertions', () => {
    const rs = replacementsForIntent(interview, { type: 'addNode', requestId: 1, node: { id: 'drop', type: 'dropout', rate: 0.5 }, after: 'hidden' });
    assert.ok(rs.length >= 2);
    for (const r of rs) assert.ok(r.length <= 2, `replaces at most a separator, got ${r.length}`);
    let out = interview;
    for (const r of [...rs].sort((a, b) => b.offset - a.offset)) out = out.slice(0, r.offset) + r.content + out.slice(r.offset + r.length);
    assert.equal(out, applyIntent(interview, { type: 'addNode', requestId: 1, node: { id: 'drop', type: 'dropout', rate: 0.5 }, after: 'hidden' }));
  });
  it('an input becomes an image and back: setting shape replaces units (and units replaces shape) in one edit', () => {
    const vector = '{ "format": "nn/1", "nodes": [\n  { "id": "x", "type": "input", "units": 784 },\n  { "id": "f", "type": "flatten" }\n], "edges": [{ "from": "x", "to": "f" }] }\n';
    const toImage: EditIntent = { type: 'setProperty', requestId: 1, id: 'x', key: 'shape', value: [28, 28, 1] };
    assert.equal(replacementsForIntent(vector, toImage).length, 1, 'one edit, one undo step');
    const image = apply(vector, toImage);
    assert.ok(image.includes('{ "id": "x", "type": "input", "shape": [28, 28, 1] }'), image);
    const back = apply(image, { type: 'setProperty', requestId: 2, id: 'x', key: 'units', value: 784 });
    assert.ok(back.includes('{ "id": "x", "type": "input", "units": 784 }'), back);
    // A reshape's shape is set alone.
    const reshape = '{ "format": "nn/1", "nodes": [{ "id": "r", "type": "reshape", "shape": [4, 4] }], "edges": [] }';
    assert.equal(apply(reshape, { type: 'setProperty', requestId: 3, id: 'r', key: 'shape', value: [2, 8] }), reshape.replace('[4, 4]', '[2, 8]'));
  });
  it('falls back to one span for chains (multi-node delete)', () => {
    const rs = replacementsForIntent(interview, { type: 'removeNodes', requestId: 1, ids: ['y', 'hidden'] });
    assert.equal(rs.length, 1);
  });

  it('a training setting is one small edit; switching the optimizer drops the old parameters in the same edit', () => {
    const lr = replacementsForIntent(interview, { type: 'setTrainingField', requestId: 1, path: ['optimizer', 'learningRate'], value: 0.05 });
    assert.equal(lr.length, 1);
    assert.deepEqual([interview.slice(lr[0].offset, lr[0].offset + lr[0].length), lr[0].content], ['0.01', '0.05']);
    const sgd = apply(apply(interview, { type: 'setTrainingField', requestId: 2, path: ['optimizer', 'type'], value: 'sgd' }),
      { type: 'setTrainingField', requestId: 3, path: ['optimizer', 'momentum'], value: 0.9 });
    const rs = replacementsForIntent(sgd, { type: 'setTrainingField', requestId: 4, path: ['optimizer', 'type'], value: 'rmsprop' });
    let out = sgd;
    for (const r of [...rs].sort((a, b) => b.offset - a.offset)) out = out.slice(0, r.offset) + r.content + out.slice(r.offset + r.length);
    assert.equal(out, apply(sgd, { type: 'setTrainingField', requestId: 5, path: ['optimizer', 'type'], value: 'rmsprop' }));
    assert.match(out, /"optimizer": \{ "type": "rmsprop", "learningRate": 0\.01 \}/);
    assert.throws(() => applyIntent(interview, { type: 'setTrainingField', requestId: 6, path: ['epochs'], value: 0 }), ModelEditError);
  });
});
