import { strict as assert } from 'assert';
import { checkNetwork, parseNetwork, type InputNode } from '../../../src/model';
import { codes, covered } from './helpers';

type N = Record<string, unknown>;

/** A chain of nodes, each feeding the next, as indented JSON text. */
function chainText(nodes: N[], extra: N = {}): string {
  const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id }));
  return JSON.stringify({ format: 'nn/1', nodes, edges, ...extra }, null, 2);
}

function errors(text: string) {
  return checkNetwork(text).diagnostics.filter((d) => d.severity === 'error');
}

const MNIST_CONVNET: N[] = [
  { id: 'x', type: 'input', shape: [28, 28, 1] },
  { id: 'c1', type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
  { id: 'c2', type: 'conv2d', filters: 64, kernelSize: [3, 3], activation: 'relu' },
  { id: 'p', type: 'maxpool2d', poolSize: 2 },
  { id: 'd1', type: 'dropout', rate: 0.25 },
  { id: 'f', type: 'flatten' },
  { id: 'h', type: 'dense', units: 128, activation: 'relu' },
  { id: 'd2', type: 'dropout', rate: 0.5 },
  { id: 'y', type: 'dense', units: 10, activation: 'softmax' },
];

const LENET5: N[] = [
  { id: 'x', type: 'input', shape: [32, 32, 1] },
  { id: 'c1', type: 'conv2d', filters: 6, kernelSize: 5, activation: 'tanh' },
  { id: 's2', type: 'avgpool2d', poolSize: 2 },
  { id: 'c3', type: 'conv2d', filters: 16, kernelSize: 5, activation: 'tanh' },
  { id: 's4', type: 'avgpool2d', poolSize: 2 },
  { id: 'f', type: 'flatten' },
  { id: 'f5', type: 'dense', units: 120, activation: 'tanh' },
  { id: 'f6', type: 'dense', units: 84, activation: 'tanh' },
  { id: 'y', type: 'dense', units: 10, activation: 'softmax' },
];

describe('model: images, convolutions, pooling, flatten, reshape, batchnorm', () => {
  describe('parsing', () => {
    it('an input takes a shape, and its units become the product of the shape', () => {
      const p = parseNetwork(chainText([{ id: 'x', type: 'input', shape: [28, 28, 1] }]));
      assert.deepEqual(p.diagnostics, []);
      const x = p.doc?.nodes[0] as InputNode;
      assert.deepEqual(x.shape, [28, 28, 1]);
      assert.equal(x.units, 784);
    });

    it('an input needs exactly one of units and shape, reported at line:col', () => {
      const both = chainText([{ id: 'x', type: 'input', units: 784, shape: [28, 28, 1] }]);
      const e = errors(both);
      assert.deepEqual(codes(e), ['conflicting-fields']);
      assert.equal(covered(both, e[0]), '"shape"');
      assert.match(e[0].message, /input 'x': write only one of 'units' and 'shape'/);
      const neither = chainText([{ id: 'x', type: 'input' }]);
      assert.deepEqual(codes(errors(neither)), ['missing-field']);
      assert.match(errors(neither)[0].message, /either 'units' or 'shape'/);
    });

    it('range-checks every new field with a message naming the node and field', () => {
      const cases: [N, string, RegExp][] = [
        [{ id: 'c', type: 'conv2d', filters: 0, kernelSize: 3 }, 'out-of-range', /conv2d 'c': filters must be a whole number ≥ 1, not 0/],
        [{ id: 'c', type: 'conv2d', filters: 2, kernelSize: [3, 3, 3] }, 'wrong-type', /kernelSize must be a whole number ≥ 1 .* or \[height, width\], not a list of 3/],
        [{ id: 'c', type: 'conv2d', filters: 2, kernelSize: 2.5 }, 'out-of-range', /kernelSize must be a whole number ≥ 1, not 2.5/],
        [{ id: 'c', type: 'conv2d', filters: 2, kernelSize: 3, strides: [1, 0] }, 'out-of-range', /strides\[1\] must be a whole number ≥ 1, not 0/],
        [{ id: 'c', type: 'conv2d', filters: 2, kernelSize: 3, padding: 'smae' }, 'unknown-padding', /unknown padding 'smae'; did you mean 'same'\?/],
        [{ id: 'p', type: 'maxpool2d', poolSize: '2' }, 'wrong-type', /poolSize must be a whole number/],
        [{ id: 'b', type: 'batchnorm', momentum: 1 }, 'out-of-range', /momentum must be a number > 0 and < 1, not 1/],
        [{ id: 'b', type: 'batchnorm', momentum: 0 }, 'out-of-range', /momentum must be a number > 0 and < 1, not 0/],
        [{ id: 'b', type: 'batchnorm', epsilon: 0 }, 'out-of-range', /epsilon must be a number > 0, not 0/],
        [{ id: 'r', type: 'reshape', shape: [] }, 'out-of-range', /shape must list 1 to 8 sizes/],
        [{ id: 'r', type: 'reshape', shape: [4, -1] }, 'out-of-range', /shape\[1\] must be a whole number ≥ 1, not -1/],
        [{ id: 'c', type: 'conv2d', filters: 1, kernelSize: 1, weights: [[[1]]] }, 'wrong-type', /weights\[0\]\[0\]\[0\] must be a list .*\[filters\]\[kernelHeight\]\[kernelWidth\]\[inputChannels\]/],
      ];
      for (const [node, code, message] of cases) {
        const text = chainText([{ id: 'x', type: 'input', shape: [8, 8, 1] }, node]);
        const e = errors(text);
        assert.ok(e.some((d) => d.code === code && message.test(d.message)), `${JSON.stringify(node)}: ${JSON.stringify(e.map((d) => [d.code, d.message]))}`);
      }
      assert.deepEqual(errors(chainText([{ id: 'x', type: 'input', shape: [0, 8] }])).map((d) => d.code), ['out-of-range']);
    });

    it('reads the defaults the issue names: strides, padding, useBias, momentum and epsilon are optional', () => {
      const c = checkNetwork(chainText([
        { id: 'x', type: 'input', shape: [8, 8, 3] }, { id: 'c', type: 'conv2d', filters: 4, kernelSize: 3 },
        { id: 'b', type: 'batchnorm' }, { id: 'p', type: 'avgpool2d', poolSize: 2 }, { id: 'g', type: 'globalavgpool2d' },
      ]));
      assert.deepEqual(c.diagnostics, []);
      assert.deepEqual([...(c.analysis?.shapes.values() ?? [])], [[8, 8, 3], [6, 6, 4], [6, 6, 4], [3, 3, 4], [4]]);
    });
  });

  describe('shapes', () => {
    it('conv and pool output sizes follow Keras for valid and same padding, strides and rectangles', () => {
      const shapeOf = (node: N, input = [28, 28, 3]): number[] | undefined =>
        checkNetwork(chainText([{ id: 'x', type: 'input', shape: input }, { id: 'n', ...node }])).analysis?.shapes.get('n');
      assert.deepEqual(shapeOf({ type: 'conv2d', filters: 8, kernelSize: 3 }), [26, 26, 8]);
      assert.deepEqual(shapeOf({ type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same' }), [28, 28, 8]);
      assert.deepEqual(shapeOf({ type: 'conv2d', filters: 8, kernelSize: 3, strides: 2 }), [13, 13, 8]);
      assert.deepEqual(shapeOf({ type: 'conv2d', filters: 8, kernelSize: 3, strides: 2, padding: 'same' }), [14, 14, 8]);
      assert.deepEqual(shapeOf({ type: 'conv2d', filters: 2, kernelSize: [5, 1], strides: [1, 2] }, [10, 7, 1]), [6, 4, 2]);
      assert.deepEqual(shapeOf({ type: 'maxpool2d', poolSize: 2 }, [7, 7, 5]), [3, 3, 5]);
      assert.deepEqual(shapeOf({ type: 'maxpool2d', poolSize: 2, padding: 'same' }, [7, 7, 5]), [4, 4, 5]);
      assert.deepEqual(shapeOf({ type: 'avgpool2d', poolSize: 3, strides: 1 }, [7, 7, 5]), [5, 5, 5]);
      assert.deepEqual(shapeOf({ type: 'flatten' }, [3, 4, 5]), [60]);
      assert.deepEqual(shapeOf({ type: 'reshape', shape: [12, 5] }, [3, 4, 5]), [12, 5]);
      assert.deepEqual(shapeOf({ type: 'batchnorm' }, [3, 4, 5]), [3, 4, 5]);
      assert.deepEqual(shapeOf({ type: 'dropout', rate: 0.5 }, [3, 4, 5]), [3, 4, 5]);
      assert.deepEqual(shapeOf({ type: 'activation', activation: 'relu' }, [3, 4, 5]), [3, 4, 5]);
    });

    it('concat joins images on the channels and refuses images of different height or width', () => {
      const nodes = [
        { id: 'x', type: 'input', shape: [8, 8, 1] },
        { id: 'a', type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
        { id: 'b', type: 'conv2d', filters: 6, kernelSize: 1 },
        { id: 'c', type: 'concat' },
      ];
      const text = (bSize: number) => JSON.stringify({
        format: 'nn/1', nodes: nodes.map((n) => (n.id === 'b' ? { ...n, kernelSize: bSize } : n)),
        edges: [{ from: 'x', to: 'a' }, { from: 'x', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'c' }],
      }, null, 2);
      assert.deepEqual(checkNetwork(text(1)).analysis?.shapes.get('c'), [8, 8, 10]);
      const e = errors(text(3));
      assert.deepEqual(codes(e), ['concat-shape']);
      assert.match(e[0].message, /'a' \[8, 8, 4\], 'b' \[6, 6, 6\]/);
    });

    it('a dense layer fed an image is an error at the dense node that says to insert a flatten', () => {
      const text = chainText(MNIST_CONVNET.filter((n) => n.id !== 'f'));
      const e = errors(text);
      assert.deepEqual(codes(e), ['dense-needs-flatten']);
      assert.equal(e[0].nodeId, 'h');
      assert.equal(covered(text, e[0]), '"h"');
      assert.equal(e[0].range.start.line, text.split('\n').findIndex((l) => l.includes('"id": "h"')));
      assert.match(e[0].message, /dense 'h' is fed 'd1' of shape \[12, 12, 64\], but a dense layer takes a vector; insert a flatten/);
    });

    it('a kernel or pool larger than its input is an error at its size, giving the output it would have', () => {
      const text = chainText([{ id: 'x', type: 'input', shape: [4, 4, 1] }, { id: 'c', type: 'conv2d', filters: 2, kernelSize: 5 }]);
      const e = errors(text);
      assert.deepEqual(codes(e), ['window-too-large']);
      assert.equal(covered(text, e[0]), '5');
      assert.match(e[0].message, /conv2d 'c': the 5×5 kernel is larger than its 4×4 input, so a "valid" convolution has no output \(0×0\)/);
      const pool = chainText([{ id: 'x', type: 'input', shape: [3, 8, 1] }, { id: 'p', type: 'maxpool2d', poolSize: [4, 2] }]);
      assert.deepEqual(codes(errors(pool)), ['window-too-large']);
      // "same" padding always has an output, as in Keras.
      assert.deepEqual(errors(chainText([{ id: 'x', type: 'input', shape: [4, 4, 1] }, { id: 'c', type: 'conv2d', filters: 2, kernelSize: 5, padding: 'same' }])), []);
    });

    it('conv, pools and global pooling fed a non-image are errors', () => {
      for (const node of [{ type: 'conv2d', filters: 2, kernelSize: 1 }, { type: 'maxpool2d', poolSize: 1 }, { type: 'avgpool2d', poolSize: 1 }, { type: 'globalavgpool2d' }]) {
        const e = errors(chainText([{ id: 'x', type: 'input', units: 64 }, { id: 'n', ...node }]));
        assert.deepEqual(codes(e), ['needs-image'], node.type);
        assert.match(e[0].message, /works on images of shape \[height, width, channels\], but 'x' gives \[64\]/);
      }
    });

    it('a reshape to a different size is an error at its shape; add of different image shapes is merge-shape', () => {
      const text = chainText([{ id: 'x', type: 'input', shape: [4, 4, 2] }, { id: 'r', type: 'reshape', shape: [4, 4] }]);
      const e = errors(text);
      assert.deepEqual(codes(e), ['reshape-size']);
      assert.equal(covered(text, e[0]).replace(/\s/g, ''), '[4,4]');
      const add = JSON.stringify({
        format: 'nn/1',
        nodes: [{ id: 'x', type: 'input', shape: [8, 8, 1] }, { id: 'a', type: 'conv2d', filters: 2, kernelSize: 3 }, { id: 's', type: 'add' }],
        edges: [{ from: 'x', to: 'a' }, { from: 'x', to: 's' }, { from: 'a', to: 's' }],
      });
      assert.deepEqual(codes(errors(add)), ['merge-shape']);
    });

    it('inline conv weights of the wrong nesting or size are errors at the offending list', () => {
      const w = (filters: number, kh: number, kw: number, c: number) =>
        Array.from({ length: filters }, () => Array.from({ length: kh }, () => Array.from({ length: kw }, () => Array.from({ length: c }, () => 0.1))));
      const text = (weights: unknown, bias?: number[]) => chainText([
        { id: 'x', type: 'input', shape: [5, 5, 2] }, { id: 'c', type: 'conv2d', filters: 2, kernelSize: [3, 2], weights, ...(bias ? { bias } : {}) },
      ]);
      assert.deepEqual(errors(text(w(2, 3, 2, 2), [0, 0])), []);
      const bad = w(2, 3, 2, 2);
      bad[1][2].pop();
      const t = text(bad);
      const e = errors(t);
      assert.deepEqual(codes(e), ['weight-shape']);
      assert.match(e[0].message, /conv2d 'c' expects weights of \[2\]\[3\]\[2\]\[2\] \(\[filters\]\[kernelHeight\]\[kernelWidth\]\[inputChannels\]\), but weights\[1\]\[2\] holds 1 value where 2 kernel columns belong/);
      assert.equal(covered(t, e[0]).replace(/\s/g, ''), '[[0.1,0.1]]');
      assert.match(errors(text(w(2, 3, 2, 1)))[0].message, /weights\[0\]\[0\]\[0\] holds 1 value where 2 input channels belong/);
      assert.match(errors(text(w(3, 3, 2, 2)))[0].message, /but weights holds 3 values where 2 filters belong/);
      assert.deepEqual(codes(errors(text(w(2, 3, 2, 2), [0]))), ['bias-shape']);
    });

    it('each new single-input type refuses a second input', () => {
      for (const node of [{ type: 'conv2d', filters: 1, kernelSize: 1 }, { type: 'flatten' }, { type: 'batchnorm' }, { type: 'maxpool2d', poolSize: 1 }]) {
        const text = JSON.stringify({
          format: 'nn/1', nodes: [{ id: 'a', type: 'input', shape: [4, 4, 1] }, { id: 'b', type: 'input', shape: [4, 4, 1] }, { id: 'n', ...node }],
          edges: [{ from: 'a', to: 'n' }, { from: 'b', to: 'n' }],
        });
        assert.ok(codes(errors(text)).includes('too-many-inputs'), node.type);
      }
    });
  });

  describe('parameters and FLOPs, as Keras counts them', () => {
    it('the Keras MNIST convnet has 1,199,882 parameters, with conv formulas', () => {
      const c = checkNetwork(chainText(MNIST_CONVNET));
      assert.deepEqual(c.diagnostics, []);
      const a = c.analysis;
      assert.ok(a);
      assert.equal(a.totalParams, 1_199_882);
      assert.equal(a.trainableParams, 1_199_882);
      assert.equal(a.nonTrainableParams, 0);
      assert.equal(a.params.get('c1')?.formula, '3×3×1×32 + 32 = 320');
      assert.equal(a.params.get('c2')?.formula, '3×3×32×64 + 64 = 18496');
      assert.equal(a.params.get('h')?.formula, '9216×128 + 128 = 1179776');
      assert.deepEqual(a.shapes.get('p'), [12, 12, 64]);
      assert.deepEqual(a.shapes.get('f'), [9216]);
      // conv1: 26·26·32 outputs, each 2·9·1 for the multiply-adds, + 1 bias + 1 relu.
      assert.equal(a.nodeFlops.get('c1'), 26 * 26 * 32 * (2 * 9 + 2));
      assert.equal(a.nodeFlops.get('p'), 12 * 12 * 64 * 4);
      assert.equal(a.nodeFlops.get('f'), 0);
    });

    it('LeNet-5 has 61,706 parameters', () => {
      const a = checkNetwork(chainText(LENET5)).analysis;
      assert.equal(a?.totalParams, 61_706);
      assert.deepEqual(a?.shapes.get('s4'), [5, 5, 16]);
    });

    it('a batchnorm on 32 channels has 128 parameters, 64 of them not trainable', () => {
      const a = checkNetwork(chainText([
        { id: 'x', type: 'input', shape: [10, 10, 3] }, { id: 'c', type: 'conv2d', filters: 32, kernelSize: 3, useBias: false }, { id: 'b', type: 'batchnorm' },
      ])).analysis;
      assert.ok(a);
      assert.deepEqual(a.params.get('b'), { count: 128, formula: '4×32 = 128', nonTrainable: 64 });
      assert.equal(a.params.get('c')?.formula, '3×3×3×32 = 864');
      assert.equal(a.totalParams, 864 + 128);
      assert.equal(a.trainableParams, 864 + 64);
      assert.equal(a.nonTrainableParams, 64);
      assert.equal(a.nodeFlops.get('b'), 2 * 8 * 8 * 32);
    });
  });
});
