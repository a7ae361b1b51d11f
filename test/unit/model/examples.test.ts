import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { checkNetwork, type DenseNode, type NetworkDoc } from '../../../src/model';

const dir = join(__dirname, '../../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.nn')).sort();
const load = (f: string) => checkNetwork(readFileSync(join(dir, f), 'utf8'));

/** Forward pass over inline weights, in float64, for dense-only chains (the lecture's numbers). */
function forward(doc: NetworkDoc, x: number[]): number[] {
  let a = x;
  for (const n of doc.nodes.filter((m): m is DenseNode => m.type === 'dense')) {
    const w = n.weights as number[][];
    const b = n.bias as number[];
    a = w.map((row, i) => {
      const z = b[i] + row.reduce((s, wij, j) => s + wij * a[j], 0);
      if (n.activation === 'relu') return Math.max(0, z);
      if (n.activation === 'sigmoid') return 1 / (1 + Math.exp(-z));
      return z;
    });
  }
  return a;
}

describe('examples/', () => {
  it('has every example the lectures need', () => {
    for (const f of ['interview.nn', 'logistic-regression.nn', 'perceptron.nn', 'gates.nn', 'xor-linear.nn', 'xor-relu.nn',
      'spiral.nn', 'pass-class.nn', 'mnist-mlp.nn', 'digits-mlp.nn', 'sine-regression.nn', 'regularization.nn', 'lenet5.nn', 'mnist-convnet.nn']) {
      assert.ok(files.includes(f), `${f} is missing`);
    }
  });

  for (const f of files) {
    it(`${f} parses and validates with no errors and is listed in the README`, () => {
      const c = load(f);
      assert.deepEqual(c.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.ok(c.analysis);
      assert.ok(c.parsed.doc?.name && c.parsed.doc.description, 'every example has a name and a description');
      assert.ok(readFileSync(join(dir, 'README.md'), 'utf8').includes(`(${f})`));
      // Only xor-linear is meant to warn (that is its lesson).
      const warnings = c.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
      assert.deepEqual(warnings, f === 'xor-linear.nn' ? ['linear-collapse'] : []);
    });
  }

  it('interview has 13 parameters and gives the lecture\'s 0.226 for (2.3, 10.2)', () => {
    const c = load('interview.nn');
    assert.equal(c.analysis?.totalParams, 13);
    const y = forward(c.parsed.doc as NetworkDoc, [2.3, 10.2]);
    assert.equal(y[0].toFixed(3), '0.226');
  });

  it('logistic regression gives 0.853 for GPA 3.8 and 1.2 years', () => {
    const c = load('logistic-regression.nn');
    assert.equal(c.analysis?.totalParams, 3);
    assert.equal(forward(c.parsed.doc as NetworkDoc, [3.8, 1.2])[0].toFixed(3), '0.853');
  });

  it('the perceptron gives 0.00247 at (−1, 2)', () => {
    const c = load('perceptron.nn');
    assert.equal(forward(c.parsed.doc as NetworkDoc, [-1, 2])[0].toFixed(5), '0.00247');
  });

  it('gates is f = (x + y)·z over three 1-unit inputs', () => {
    const c = load('gates.nn');
    assert.deepEqual(c.analysis?.inputs, ['x', 'y', 'z']);
    assert.deepEqual(c.analysis?.outputs, ['f']);
    assert.deepEqual(c.analysis?.inputsOf.get('q'), ['x', 'y']);
    assert.deepEqual(c.analysis?.inputsOf.get('f'), ['q', 'z']);
    assert.deepEqual(c.parsed.doc?.nodes.map((n) => n.type), ['input', 'input', 'input', 'add', 'multiply']);
  });

  it('the convnets have the advertised sizes, as Keras counts them', () => {
    const mnist = load('mnist-convnet.nn');
    assert.equal(mnist.analysis?.totalParams, 1_199_882);
    assert.deepEqual(mnist.analysis?.shapes.get('flat'), [9216]);
    assert.deepEqual(mnist.parsed.doc?.training?.data, { idx: { images: 'data/train-images-idx3-ubyte.gz', labels: 'data/train-labels-idx1-ubyte.gz' } });
    const lenet = load('lenet5.nn');
    assert.equal(lenet.analysis?.totalParams, 61_706);
    assert.deepEqual(lenet.analysis?.shapes.get('S4'), [5, 5, 16]);
  });

  it('the MLPs have the advertised sizes', () => {
    assert.equal(load('mnist-mlp.nn').analysis?.totalParams, 109386);
    assert.equal(load('digits-mlp.nn').analysis?.totalParams, 64 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
    assert.equal(load('spiral.nn').parsed.doc?.training?.l2, 0.0001);
  });
});
