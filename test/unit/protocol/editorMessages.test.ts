import * as assert from 'node:assert/strict';
import { FromEditorMessage, MalformedMessage, nodeProblem } from '../../../src/protocol';

const validateFromEditor = (raw: unknown) => FromEditorMessage.validate(raw);

function reason(raw: unknown): string {
  const r = validateFromEditor(raw);
  assert.ok(r instanceof MalformedMessage, `expected ${JSON.stringify(raw)} to be rejected`);
  return r.reason;
}

function accepted(raw: unknown): void {
  const r = validateFromEditor(raw);
  assert.ok(!(r instanceof MalformedMessage), `expected acceptance, got: ${r instanceof MalformedMessage ? r.reason : ''}`);
  assert.deepEqual(r, raw);
}

describe('editor messages (host-side check of every webview message)', () => {
  it('accepts each well-formed message type', () => {
    accepted({ type: 'ready' });
    accepted({ type: 'openTextEditor' });
    accepted({ type: 'addNode', requestId: 1, node: { id: 'h2', type: 'dense', units: 4, activation: 'relu' }, after: 'h1' });
    accepted({ type: 'addNode', requestId: 2, node: { id: 'x2', type: 'input', units: 3 }, position: { x: 10, y: -5.5 } });
    accepted({ type: 'removeNodes', requestId: 3, ids: ['a', 'b'] });
    accepted({ type: 'connect', requestId: 4, from: 'a', to: 'b' });
    accepted({ type: 'disconnect', requestId: 5, from: 'a', to: 'b' });
    accepted({ type: 'setProperty', requestId: 6, id: 'h', key: 'units', value: 8 });
    accepted({ type: 'setProperty', requestId: 7, id: 'h', key: 'activation' });
    accepted({ type: 'rename', requestId: 8, oldId: 'h', newId: 'hidden_1' });
    accepted({ type: 'pin', requestId: 9, positions: { h: { x: 1, y: 2 } } });
    accepted({ type: 'unpin', requestId: 10, ids: ['h'] });
    accepted({ type: 'paste', requestId: 11, nodes: [{ id: 'd', type: 'dropout', rate: 0.2 }], edges: [{ from: 'h', to: 'd' }] });
    accepted({ type: 'response', requestId: 12, ok: true, value: '<svg/>' });
  });

  it('rejects what is not a message at all', () => {
    assert.match(reason(null), /object with a string "type"/);
    assert.match(reason('ready'), /object/);
    assert.match(reason([{ type: 'ready' }]), /object/);
    assert.match(reason({ type: 'format-disk' }), /unknown message type "format-disk"/);
  });

  it('rejects extra fields and missing request ids', () => {
    assert.match(reason({ type: 'ready', evil: 1 }), /unexpected field "evil"/);
    assert.match(reason({ type: 'connect', from: 'a', to: 'b' }), /requestId/);
    assert.match(reason({ type: 'connect', requestId: 1.5, from: 'a', to: 'b' }), /requestId/);
  });

  it('rejects bad node ids wherever they appear', () => {
    assert.match(reason({ type: 'connect', requestId: 1, from: 'a"b', to: 'b' }), /"from" must be a node id/);
    assert.match(reason({ type: 'rename', requestId: 1, oldId: 'a', newId: 'has space' }), /"newId"/);
    assert.match(reason({ type: 'removeNodes', requestId: 1, ids: [] }), /non-empty list/);
    assert.match(reason({ type: 'unpin', requestId: 1, ids: ['ok', '../x'] }), /node ids/);
  });

  it('checks property edits against what each property accepts', () => {
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'weights', value: [[1]] }), /cannot be edited from the graph/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: '__proto__', value: 1 }), /cannot be edited/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'units', value: 0 }), /not a valid value for "units"/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'units', value: 2.5 }), /units/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'activation', value: 'gelu' }), /activation/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'rate', value: 1 }), /rate/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'h', key: 'units' }), /"units" cannot be removed/);
    // The image layers' fields: what the inspector edits, by the model's rules.
    accepted({ type: 'setProperty', requestId: 1, id: 'c', key: 'kernelSize', value: [3, 5] });
    accepted({ type: 'setProperty', requestId: 1, id: 'x', key: 'shape', value: [28, 28, 1] });
    accepted({ type: 'setProperty', requestId: 1, id: 'c', key: 'strides' }); // back to the default
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'c', key: 'kernelSize', value: [3, 5, 1] }), /not a valid value for "kernelSize"/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'c', key: 'filters', value: 0 }), /not a valid value for "filters"/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'c', key: 'padding', value: 'full' }), /not a valid value for "padding"/);
    assert.match(reason({ type: 'setProperty', requestId: 1, id: 'b', key: 'momentum', value: 1 }), /not a valid value for "momentum"/);
    for (const key of ['filters', 'kernelSize', 'poolSize', 'shape']) assert.match(reason({ type: 'setProperty', requestId: 1, id: 'c', key }), new RegExp(`"${key}" cannot be removed`));
  });

  it('checks nodes sent for add and paste', () => {
    assert.equal(nodeProblem({ id: 'h', type: 'dense', units: 3 }), undefined);
    assert.match(nodeProblem({ id: 'h', type: 'lstm' }) ?? '', /type "lstm" is unknown/);
    // The image layers, with the model's rules for their fields.
    assert.equal(nodeProblem({ id: 'c', type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' }), undefined);
    assert.equal(nodeProblem({ id: 'c', type: 'conv2d', filters: 8, kernelSize: [3, 5], strides: 2, padding: 'same' }), undefined);
    assert.match(nodeProblem({ id: 'c', type: 'conv2d', kernelSize: 3 }) ?? '', /a conv2d node needs filters$/);
    assert.match(nodeProblem({ id: 'c', type: 'conv2d', filters: 8, kernelSize: 0 }) ?? '', /kernelSize must be/);
    assert.match(nodeProblem({ id: 'p', type: 'maxpool2d' }) ?? '', /needs a poolSize/);
    assert.match(nodeProblem({ id: 'p', type: 'avgpool2d', poolSize: 2, padding: 'full' }) ?? '', /padding must be one of valid, same/);
    assert.equal(nodeProblem({ id: 'x', type: 'input', shape: [28, 28, 1] }), undefined);
    assert.match(nodeProblem({ id: 'x', type: 'input' }) ?? '', /needs exactly one of units or shape$/);
    assert.match(nodeProblem({ id: 'h', type: 'dense' }) ?? '', /needs units/);
    assert.match(nodeProblem({ id: 'h', type: 'dropout', rate: 0.5, units: 3 }) ?? '', /dropout node has no property "units"/);
    assert.match(nodeProblem({ id: 'h', type: 'dense', units: 2, weights: [[1, 'x']] }) ?? '', /weights must be a matrix/);
    assert.match(reason({ type: 'addNode', requestId: 1, node: { id: 'h', type: 'input', units: 2 }, position: { x: Infinity, y: 0 } }), /position/);
    assert.match(reason({ type: 'paste', requestId: 1, nodes: [{ id: 'a', type: 'add' }], edges: [{ from: 'a' }] }), /edges/);
  });

  it('rejects non-JSON values (functions, NaN, deep nesting)', () => {
    assert.match(reason({ type: 'response', requestId: 1, ok: true, value: Number.NaN }), /plain JSON/);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    assert.match(reason({ type: 'response', requestId: 1, ok: true, value: deep }), /plain JSON/);
    assert.match(reason({ type: 'pin', requestId: 1, positions: { a: { x: 1, y: 2, z: 3 } } }), /position of "a"/);
  });

  it('checks a training-setting edit by the parser\'s rules before it reaches the text', () => {
    accepted({ type: 'setTrainingField', requestId: 1, path: ['optimizer', 'learningRate'], value: 0.05 });
    accepted({ type: 'setTrainingField', requestId: 2, path: ['l2'] });
    accepted({ type: 'setTrainingField', requestId: 3, path: ['data'], value: { csv: 'data/a.csv', labels: ['y'] } });
    assert.match(reason({ type: 'setTrainingField', requestId: 4, path: ['optimizer', 'learningRate'], value: 20 }), /learningRate must be a number > 0 and ≤ 10, not 20/);
    assert.match(reason({ type: 'setTrainingField', requestId: 5, path: ['nodes'], value: [] }), /cannot be set from the editor/);
    assert.match(reason({ type: 'setTrainingField', requestId: 6, path: [], value: 1 }), /path of one or two setting names/);
    assert.match(reason({ type: 'setTrainingField', requestId: 7, path: ['earlyStopping', 'patience'] }), /cannot be removed/);
  });
});
