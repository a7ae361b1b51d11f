import { strict as assert } from 'assert';
import { checkNetwork } from '../../../src/model';
import { codes, covered, netText } from './helpers';

const chain = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i], to }));

function errors(text: string) {
  return checkNetwork(text).diagnostics.filter((d) => d.severity === 'error');
}

function warnings(text: string) {
  return checkNetwork(text).diagnostics.filter((d) => d.severity === 'warning');
}

describe('model/validateNetwork', () => {
  it('accepts the valid 2-3-1 network and analyses it', () => {
    const c = checkNetwork(netText());
    assert.deepEqual(c.diagnostics, []);
    assert.equal(c.analysis?.totalParams, 13);
  });

  it('reports duplicate ids at the second id', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3 },
      { id: 'h', type: 'dense', units: 1 },
    ], chain('x', 'h'));
    const e = errors(text);
    assert.deepEqual(codes(e), ['duplicate-id']);
    assert.ok(e[0].range.offset > text.indexOf('"h"'));
  });

  it('reports edges to unknown nodes at the unknown id', () => {
    const text = netText({}, undefined, [...chain('x', 'h', 'y'), { from: 'h', to: 'z' }]);
    const e = errors(text);
    assert.deepEqual(codes(e), ['unknown-node']);
    assert.equal(covered(text, e[0]), '"z"');
  });

  it('names the cycle and points at the edge that closes it', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'a', type: 'dense', units: 2, activation: 'relu' },
      { id: 'm', type: 'add' },
      { id: 'b', type: 'dense', units: 2, activation: 'relu' },
    ], [...chain('x', 'm', 'a', 'b'), { from: 'b', to: 'm' }]);
    const c = checkNetwork(text);
    const e = c.diagnostics.filter((d) => d.code === 'cycle');
    assert.equal(e.length, 1);
    assert.match(e[0].message, /'m' → 'a' → 'b' → 'm'/);
    assert.deepEqual(JSON.parse(covered(text, e[0])), { from: 'b', to: 'm' });
    assert.equal(c.analysis, undefined);
  });

  it('reports a self-loop as a cycle', () => {
    const e = errors(netText({}, undefined, [...chain('x', 'h', 'y'), { from: 'h', to: 'h' }]));
    assert.deepEqual(codes(e), ['cycle']);
  });

  it('reports nodes with no input, unreachable nodes and a missing input node', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3 },
      { id: 'lonely', type: 'dense', units: 1 },
      { id: 'after', type: 'dense', units: 1 },
    ], chain('x', 'h').concat(chain('lonely', 'after')));
    assert.deepEqual(codes(errors(text)), ['no-inputs', 'unreachable']);
    const none = netText({}, [{ id: 'h', type: 'dense', units: 3 }], []);
    assert.ok(codes(errors(none)).includes('no-input-node'));
  });

  it('requires one input for dense and two for add/multiply', () => {
    const text = netText({}, [
      { id: 'a', type: 'input', units: 2 },
      { id: 'b', type: 'input', units: 2 },
      { id: 'd', type: 'dense', units: 2 },
      { id: 'm', type: 'multiply' },
    ], [{ from: 'a', to: 'd' }, { from: 'b', to: 'd' }, { from: 'd', to: 'm' }]);
    assert.deepEqual(codes(errors(text)), ['too-many-inputs', 'merge-inputs']);
  });

  it('reports add inputs of different shapes, naming each shape', () => {
    const text = netText({}, [
      { id: 'a', type: 'input', units: 2 },
      { id: 'b', type: 'input', units: 3 },
      { id: 's', type: 'add' },
    ], [{ from: 'a', to: 's' }, { from: 'b', to: 's' }]);
    const e = errors(text);
    assert.deepEqual(codes(e), ['merge-shape']);
    assert.match(e[0].message, /'a' \[2\], 'b' \[3\]/);
  });

  it('checks inline weight shapes in the issue\'s words, at the offending row', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'hidden', type: 'dense', units: 3, weights: [[0.5, 0.1, 0.2], [-0.1, 0.3], [0.2, -0.1]], bias: [1, 2, 3] },
    ], chain('x', 'hidden'));
    const e = errors(text);
    assert.deepEqual(codes(e), ['weight-shape']);
    assert.equal(e[0].message, "dense 'hidden' expects weights of 3 rows × 2 columns (units × inputs) but row 1 has 3 values");
    assert.deepEqual(JSON.parse(covered(text, e[0])), [0.5, 0.1, 0.2]);
  });

  it('checks the number of weight rows and bias length', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3, weights: [[1, 2]], bias: [1] },
    ], chain('x', 'h'));
    const e = errors(text);
    assert.deepEqual(codes(e), ['weight-shape', 'bias-shape']);
    assert.match(e[0].message, /but it has 1 row$/);
    assert.match(e[1].message, /expects a bias of 3 values \(one per unit\) but it has 1/);
  });

  it('reports several outputs when training is present, and an input fed by a node', () => {
    const text = netText({ training: { loss: 'mse' } }, [
      { id: 'x', type: 'input', units: 1 },
      { id: 'a', type: 'dense', units: 1 },
      { id: 'b', type: 'dense', units: 1 },
    ], [{ from: 'x', to: 'a' }, { from: 'x', to: 'b' }]);
    assert.deepEqual(codes(errors(text)), ['multiple-outputs']);
    const fed = netText({}, undefined, [...chain('x', 'h', 'y'), { from: 'y', to: 'x' }]);
    assert.ok(codes(errors(fed)).includes('input-has-inputs'));
  });

  it('warns about softmax with binary cross-entropy', () => {
    const text = netText({ training: { loss: 'binary_crossentropy' } }).replace('"sigmoid"', '"softmax"');
    const w = warnings(text);
    assert.deepEqual(codes(w), ['softmax-binary-crossentropy']);
    assert.equal(covered(text, w[0]), '"softmax"');
  });

  it('warns about a sigmoid output with MSE for a classifier, not for regression data', () => {
    const cls = netText({ training: { loss: 'mse', data: { generator: 'xor' } } });
    assert.deepEqual(codes(warnings(cls)), ['sigmoid-mse']);
    const reg = netText({ training: { loss: 'mse', data: { generator: 'sine' } } }, [
      { id: 'x', type: 'input', units: 1 },
      { id: 'h', type: 'dense', units: 3, activation: 'relu' },
      { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ]);
    assert.deepEqual(codes(warnings(reg)), []);
  });

  it('warns about a step activation in a hidden layer only when training', () => {
    const text = netText({ training: { loss: 'binary_crossentropy' } }).replace('"relu"', '"step"');
    assert.deepEqual(codes(warnings(text)), ['step-hidden']);
    assert.deepEqual(codes(warnings(netText().replace('"relu"', '"step"'))), []);
  });

  it('warns when linear dense layers collapse into one, but not across a non-linearity', () => {
    const text = netText().replace('"activation": "relu"', '"activation": "linear"');
    const w = warnings(text);
    assert.deepEqual(codes(w), ['linear-collapse']);
    assert.match(w[0].message, /W₂·W₁ = W₃/);
    const viaAct = netText({}, [
      { id: 'x', type: 'input', units: 2 },
      { id: 'h', type: 'dense', units: 3 },
      { id: 'g', type: 'activation', activation: 'tanh' },
      { id: 'y', type: 'dense', units: 1 },
    ], chain('x', 'h', 'g', 'y'));
    assert.deepEqual(codes(warnings(viaAct)), []);
  });

  it('warns when the data does not fit the input or output width', () => {
    const text = netText({ training: { loss: 'categorical_crossentropy', data: { dataset: 'iris' } } }).replace('"sigmoid"', '"softmax"');
    const w = warnings(text);
    assert.deepEqual(codes(w).sort(), ['data-shape', 'data-shape', 'loss-output']);
    // A CSV's width is unknown until it is read ("120/80" is two features), so no guess is made.
    const csv = netText({ training: { data: { csv: 'heart.csv', features: ['Blood Pressure'], labels: ['Cardiac Arrest'] } } });
    assert.deepEqual(codes(warnings(csv)), []);
  });

  it('warns when an input names more or fewer features than it has units', () => {
    const text = netText({}, [
      { id: 'x', type: 'input', units: 2, features: ['GPA'] },
      { id: 'h', type: 'dense', units: 3, activation: 'relu' },
      { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
    ]);
    const w = warnings(text);
    assert.deepEqual(codes(w), ['features-length']);
    assert.deepEqual(JSON.parse(covered(text, w[0])), ['GPA']);
  });

  it('warns about an alpha that its activation ignores, and early stopping without validation data', () => {
    const text = netText({ training: { validationSplit: 0, earlyStopping: { patience: 3 } } }).replace('"activation": "relu"', '"activation": "relu", "alpha": 0.2');
    const w = warnings(text);
    assert.deepEqual(codes(w), ['unused-alpha', 'early-stopping-monitor']);
    assert.equal(covered(text, w[0]), '0.2');
    assert.deepEqual(codes(warnings(text.replace('"relu"', '"leaky_relu"').replace('"validationSplit": 0', '"validationSplit": 0.2'))), []);
  });

  it('warns about pins of unknown nodes and duplicate edges', () => {
    const text = netText({ layout: { pinned: { ghost: { x: 1, y: 2 } } } }, undefined, [...chain('x', 'h', 'y'), { from: 'x', to: 'h' }]);
    assert.deepEqual(codes(warnings(text)).sort(), ['duplicate-edge', 'unknown-pin']);
  });
});
