import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ModelEditError, addNode, applyTextEdits, checkNetwork, connect, disconnect, insertBetween, parseNetwork, pinNode, removeNode,
  renameNode, setNodeProperty, setTrainingProperty, unpinNode,
} from '../../../src/model';

const interview = readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8');
type EditFn = (t: string) => ReturnType<typeof addNode>;

/** Applies an intent and checks the edits only touch a small part of the text and the result still parses. */
function apply(text: string, fn: EditFn): string {
  const edits = fn(text);
  const out = applyTextEdits(text, edits);
  assert.deepEqual(parseNetwork(out).diagnostics.filter((d) => d.code === 'syntax'), []);
  return out;
}

/** Lines of `after` that are not in `before` (a poor man's diff, enough to show an edit is local). */
function addedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !old.has(l));
}

function removedLines(before: string, after: string): string[] {
  return addedLines(after, before);
}

describe('model/edits', () => {
  it('addNode after a node inserts one line in the nodes list and one edge, in the file\'s style', () => {
    const out = apply(interview, (t) => addNode(t, { id: 'h2', type: 'dense', units: 4, activation: 'relu' }, { after: 'hidden' }));
    assert.deepEqual(addedLines(interview, out), [
      '    { "id": "h2", "type": "dense", "units": 4, "activation": "relu" },',
      '    { "from": "hidden", "to": "y" },',
      '    { "from": "hidden", "to": "h2" }',
    ]);
    assert.deepEqual(removedLines(interview, out), ['    { "from": "hidden", "to": "y" }']);
    const doc = parseNetwork(out).doc;
    assert.deepEqual(doc?.nodes.map((n) => n.id), ['x', 'hidden', 'h2', 'y']);
  });

  it('insertBetween puts a node on an edge: one node line, the edge re-aimed, the next edge after it', () => {
    const out = apply(interview, (t) => insertBetween(t, 'hidden', 'y', { id: 'drop', type: 'dropout', rate: 0.5 }));
    assert.deepEqual(addedLines(interview, out), [
      '    { "id": "drop", "type": "dropout", "rate": 0.5 },',
      '    { "from": "hidden", "to": "drop" },',
      '    { "from": "drop", "to": "y" }',
    ]);
    assert.deepEqual(removedLines(interview, out), ['    { "from": "hidden", "to": "y" }']);
    assert.deepEqual(parseNetwork(out).doc?.nodes.map((n) => n.id), ['x', 'hidden', 'drop', 'y']);
    assert.equal(apply(out, (t) => removeNode(t, 'drop')), apply(interview, (t) => disconnect(t, 'hidden', 'y')));
    assert.throws(() => insertBetween(interview, 'x', 'y', { id: 'f', type: 'flatten' }), (e: unknown) => e instanceof ModelEditError && /'x' is not connected to 'y'/.test(e.message));
    assert.throws(() => insertBetween(interview, 'hidden', 'y', { id: 'x', type: 'flatten' }), ModelEditError);
  });

  it('addNode then removeNode gives back the original text byte for byte', () => {
    const added = apply(interview, (t) => addNode(t, { id: 'extra', type: 'dropout', rate: 0.2 }, { after: 'hidden' }));
    assert.equal(apply(added, (t) => removeNode(t, 'extra')), interview);
  });

  it('removeNode drops the node, its edges and its pin, and nothing else', () => {
    const pinned = apply(interview, (t) => pinNode(t, 'hidden', { x: 100, y: 40 }));
    const out = apply(pinned, (t) => removeNode(t, 'hidden'));
    const doc = parseNetwork(out).doc;
    assert.deepEqual(doc?.nodes.map((n) => n.id), ['x', 'y']);
    assert.deepEqual(doc?.edges, []);
    assert.equal(doc?.layout, undefined, 'the layout section held only this pin, so it goes too');
    assert.equal(out, apply(interview, (t) => removeNode(t, 'hidden')));
  });

  it('connect then disconnect round-trips; connect refuses cycles, duplicates, self-loops and inputs', () => {
    const out = apply(interview, (t) => connect(t, 'x', 'y'));
    assert.deepEqual(addedLines(interview, out), ['    { "from": "hidden", "to": "y" },', '    { "from": "x", "to": "y" }']);
    assert.equal(apply(out, (t) => disconnect(t, 'x', 'y')), interview);
    assert.throws(() => connect(interview, 'y', 'hidden'), (e: Error) => e instanceof ModelEditError && /cycle/.test(e.message));
    assert.throws(() => connect(interview, 'x', 'hidden'), /already connected/);
    assert.throws(() => connect(interview, 'y', 'y'), /cannot feed itself/);
    assert.throws(() => connect(interview, 'y', 'x'), /input node/);
    assert.throws(() => connect(interview, 'x', 'nope'), /no node 'nope'/);
    assert.throws(() => disconnect(interview, 'x', 'y'), /not connected/);
  });

  it('setNodeProperty replaces, adds and removes one value in place', () => {
    const units = apply(interview, (t) => setNodeProperty(t, 'hidden', 'units', 5));
    assert.deepEqual(addedLines(interview, units), ['    { "id": "hidden", "type": "dense", "units": 5, "activation": "relu",']);
    const noAct = apply(interview, (t) => setNodeProperty(t, 'hidden', 'activation', undefined));
    assert.deepEqual(addedLines(interview, noAct), ['    { "id": "hidden", "type": "dense", "units": 3,']);
    const label = apply(interview, (t) => setNodeProperty(t, 'y', 'label', 'called?'));
    assert.deepEqual(addedLines(interview, label), ['      "weights": [[-0.2, -0.3, -0.15]], "bias": [0.05], "label": "called?" }']);
    assert.equal(apply(label, (t) => setNodeProperty(t, 'y', 'label', undefined)), interview);
    assert.deepEqual(setNodeProperty(interview, 'y', 'label', undefined), []);
  });

  it('renameNode renames the id, its edges and its pin; renaming back restores the text', () => {
    const pinned = apply(interview, (t) => pinNode(t, 'hidden', { x: 1, y: 2 }));
    const out = apply(pinned, (t) => renameNode(t, 'hidden', 'h1'));
    const doc = parseNetwork(out).doc;
    assert.deepEqual(doc?.edges, [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'y' }]);
    assert.deepEqual(doc?.layout?.pinned?.h1, { x: 1, y: 2 });
    assert.equal(apply(out, (t) => renameNode(t, 'h1', 'hidden')), pinned);
    assert.throws(() => renameNode(interview, 'hidden', 'y'), /already exists/);
    assert.throws(() => renameNode(interview, 'hidden', 'bad id'), /letters, digits/);
    assert.equal(apply(interview, (t) => setNodeProperty(t, 'hidden', 'id', 'h1')), apply(interview, (t) => renameNode(t, 'hidden', 'h1')));
  });

  it('pin and unpin round-trip, creating and removing the layout section', () => {
    const one = apply(interview, (t) => pinNode(t, 'y', { x: 10.4, y: 20 }));
    assert.match(one, /"layout": \{\n {4}"pinned": \{\n {6}"y": \{ "x": 10, "y": 20 \}\n {4}\}\n {2}\}\n\}\n$/);
    const two = apply(one, (t) => pinNode(t, 'x', { x: 1, y: 2 }));
    assert.deepEqual(addedLines(one, two), ['      "y": { "x": 10, "y": 20 },', '      "x": { "x": 1, "y": 2 }']);
    const moved = apply(two, (t) => pinNode(t, 'y', { x: 5, y: 5 }));
    assert.deepEqual(addedLines(two, moved), ['      "y": { "x": 5, "y": 5 },']);
    assert.equal(apply(apply(two, (t) => unpinNode(t, 'x')), (t) => unpinNode(t, 'y')), interview);
  });

  it('setTrainingProperty edits nested settings and creates the section when missing', () => {
    const lr = apply(interview, (t) => setTrainingProperty(t, ['optimizer', 'learningRate'], 0.1));
    assert.deepEqual(addedLines(interview, lr), ['    "optimizer": { "type": "adam", "learningRate": 0.1 },']);
    const bare = '{\n\t"format": "nn/1",\n\t"nodes": [],\n\t"edges": []\n}\n';
    const out = apply(bare, (t) => setTrainingProperty(t, ['optimizer', 'type'], 'sgd'));
    assert.equal(out, '{\n\t"format": "nn/1",\n\t"nodes": [],\n\t"edges": [],\n\t"training": {\n\t\t"optimizer": { "type": "sgd" }\n\t}\n}\n');
    assert.equal(checkNetwork(out).parsed.doc?.training?.optimizer?.type, 'sgd');
  });

  it('adds the first node and edge of an empty file multi-line, keeping tabs and CRLF', () => {
    const bare = '{\r\n\t"format": "nn/1",\r\n\t"nodes": [],\r\n\t"edges": []\r\n}';
    const a = apply(bare, (t) => addNode(t, { id: 'x', type: 'input', units: 2 }));
    const b = apply(a, (t) => addNode(t, { id: 'h', type: 'dense', units: 1 }, { after: 'x' }));
    assert.equal(b, '{\r\n\t"format": "nn/1",\r\n\t"nodes": [\r\n\t\t{ "id": "x", "type": "input", "units": 2 },\r\n\t\t{ "id": "h", "type": "dense", "units": 1 }\r\n\t],\r\n\t"edges": [\r\n\t\t{ "from": "x", "to": "h" }\r\n\t]\r\n}');
  });

  it('keeps comments and unknown fields elsewhere in the file intact', () => {
    const text = '{\n  // my notes\n  "format": "nn/1", "colour": "red",\n  "nodes": [\n    { "id": "x", "type": "input", "units": 2, "note": "keep" }\n  ],\n  "edges": []\n}\n';
    const out = apply(text, (t) => addNode(t, { id: 'h', type: 'dense', units: 1 }, { after: 'x' }));
    assert.ok(out.startsWith('{\n  // my notes\n  "format": "nn/1", "colour": "red",\n  "nodes": [\n    { "id": "x", "type": "input", "units": 2, "note": "keep" },\n'));
  });

  it('refuses to edit a file that does not parse, or unknown nodes', () => {
    assert.throws(() => addNode('{ "format": "nn/1", "nodes": [', { id: 'x', type: 'input', units: 1 }), ModelEditError);
    assert.throws(() => removeNode(interview, 'ghost'), /no node 'ghost'/);
    assert.throws(() => addNode(interview, { id: 'x', type: 'input', units: 1 }), /already exists/);
  });
});
