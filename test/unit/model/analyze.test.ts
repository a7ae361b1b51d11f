import { strict as assert } from 'assert';
import { analyzeNetwork, parseNetwork, type NetworkDoc } from '../../../src/model';
import { netText } from './helpers';

function analyze(text: string) {
  const doc = parseNetwork(text).doc as NetworkDoc;
  assert.ok(doc);
  return analyzeNetwork(doc);
}

describe('model/analyzeNetwork', () => {
  it('counts the interview network: 13 parameters with the formulas a student writes', () => {
    const a = analyze(netText());
    assert.deepEqual(a.order, ['x', 'h', 'y']);
    assert.deepEqual(a.inputs, ['x']);
    assert.deepEqual(a.outputs, ['y']);
    assert.deepEqual([...a.shapes], [['x', [2]], ['h', [3]], ['y', [1]]]);
    assert.equal(a.params.get('h')?.formula, '2×3 + 3 = 9');
    assert.equal(a.params.get('y')?.formula, '3×1 + 1 = 4');
    assert.equal(a.params.get('x')?.count, 0);
    assert.equal(a.totalParams, 13);
    assert.equal(a.trainableParams, 13);
    // 2·2·3 + 3 + 3 (relu) for h, 2·3·1 + 1 + 1 (sigmoid) for y.
    assert.equal(a.flops, 18 + 8);
  });

  it('leaves out the bias when useBias is false', () => {
    const a = analyze(netText({}, [
      { id: 'x', type: 'input', units: 4 },
      { id: 'h', type: 'dense', units: 5, useBias: false },
    ], [{ from: 'x', to: 'h' }]));
    assert.equal(a.params.get('h')?.formula, '4×5 = 20');
    assert.equal(a.totalParams, 20);
  });

  it('infers shapes through activation, dropout, add, multiply and concat', () => {
    const a = analyze(netText({}, [
      { id: 'x', type: 'input', units: 1 },
      { id: 'y', type: 'input', units: 1 },
      { id: 'z', type: 'input', units: 1 },
      { id: 'q', type: 'add' },
      { id: 'f', type: 'multiply' },
      { id: 'c', type: 'concat' },
      { id: 'd', type: 'dropout', rate: 0.5 },
      { id: 'g', type: 'activation', activation: 'tanh' },
      { id: 'out', type: 'dense', units: 2 },
    ], [
      { from: 'x', to: 'q' }, { from: 'y', to: 'q' }, { from: 'q', to: 'f' }, { from: 'z', to: 'f' },
      { from: 'f', to: 'c' }, { from: 'q', to: 'c' }, { from: 'x', to: 'c' },
      { from: 'c', to: 'd' }, { from: 'd', to: 'g' }, { from: 'g', to: 'out' },
    ]));
    assert.deepEqual(a.shapes.get('f'), [1]);
    assert.deepEqual(a.shapes.get('c'), [3]);
    assert.deepEqual(a.shapes.get('g'), [3]);
    assert.equal(a.params.get('out')?.formula, '3×2 + 2 = 8');
    assert.deepEqual(a.inputsOf.get('c'), ['f', 'q', 'x']);
    assert.deepEqual(a.outputs, ['out']);
  });

  it('leaves shapes out downstream of a shape error, and never throws', () => {
    const a = analyze(netText({}, [
      { id: 'a', type: 'input', units: 2 },
      { id: 'b', type: 'input', units: 3 },
      { id: 's', type: 'add' },
      { id: 'g', type: 'activation', activation: 'relu' },
      { id: 'd', type: 'dense', units: 4 },
    ], [{ from: 'a', to: 's' }, { from: 'b', to: 's' }, { from: 's', to: 'g' }, { from: 'g', to: 'd' }]));
    assert.equal(a.shapes.has('s'), false);
    assert.equal(a.shapes.has('g'), false);
    assert.deepEqual(a.shapes.get('d'), [4]);
    assert.match(a.params.get('d')?.formula ?? '', /input size unknown/);
  });

  it('counts an MNIST-sized MLP: 784-128-64-10 has 109,386 parameters', () => {
    const a = analyze(netText({}, [
      { id: 'x', type: 'input', units: 784 },
      { id: 'h1', type: 'dense', units: 128, activation: 'relu' },
      { id: 'h2', type: 'dense', units: 64, activation: 'relu' },
      { id: 'y', type: 'dense', units: 10, activation: 'softmax' },
    ], [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'y' }]));
    assert.equal(a.totalParams, 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    assert.equal(a.totalParams, 109386);
  });
});
