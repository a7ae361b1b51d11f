import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BLANK_DOC, TEMPLATES, networkText, templateText } from '../../../src/extension/templates';
import { checkNetwork } from '../../../src/model';
import type { NetworkDoc } from '../../../src/model/types';

const examples = path.resolve(__dirname, '../../../examples');
const readExample = async (file: string): Promise<string> => readFileSync(path.join(examples, file), 'utf8');
const textOf = (id: string): Promise<string> => templateText(TEMPLATES.find((t) => t.id === id)!, readExample);

describe('New Network templates', () => {
  it('offers the six templates of the issue and the three image networks', () => {
    assert.deepEqual(TEMPLATES.map((t) => t.id), ['blank', 'perceptron', 'xor', 'spiral', 'interview', 'mnist-mlp', 'lenet5', 'digits-convnet', 'mnist-convnet']);
  });

  for (const t of TEMPLATES.filter((x) => x.example)) {
    it(`${t.label}: writes examples/${t.example} byte for byte`, async () => {
      assert.equal(await templateText(t, readExample), readFileSync(path.join(examples, t.example!), 'utf8'));
    });
  }

  for (const t of TEMPLATES) {
    it(`${t.label}: the written text is a network with no problems`, async () => {
      const { parsed, diagnostics } = checkNetwork(await templateText(t, readExample));
      assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), []);
      assert.ok(parsed.doc);
    });
  }

  it('Blank writes one input node, and its text parses back to the same network', async () => {
    assert.deepEqual(checkNetwork(await textOf('blank')).parsed.doc, BLANK_DOC);
  });

  it('Interview carries the lecture\'s trained weights', async () => {
    const doc = checkNetwork(await textOf('interview')).parsed.doc!;
    const hidden = doc.nodes.find((n) => n.id === 'hidden');
    assert.ok(hidden?.type === 'dense');
    assert.deepEqual(hidden.weights, [[0.5, 0.1], [-0.1, 0.3], [0.2, -0.1]]);
    assert.deepEqual(hidden.bias, [-0.3, 0.2, 0.5]);
  });

  it('counts the lectures\' parameters: interview 13, perceptron 3, MNIST-sized MLP 109,386', async () => {
    const count = async (id: string) => checkNetwork(await textOf(id)).analysis?.totalParams;
    assert.equal(await count('interview'), 13);
    assert.equal(await count('perceptron'), 3);
    assert.equal(await count('mnist-mlp'), 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
  });

  it('counts the image networks as Keras does: LeNet-5 61,706, the Keras MNIST convnet 1,199,882; the digits convnet takes 8×8×1 digits', async () => {
    const count = async (id: string) => checkNetwork(await textOf(id)).analysis?.totalParams;
    assert.equal(await count('lenet5'), 61_706);
    assert.equal(await count('mnist-convnet'), 1_199_882);
    const digits = checkNetwork(await textOf('digits-convnet'));
    assert.deepEqual(digits.analysis?.shapes.get('image'), [8, 8, 1]);
    assert.deepEqual(digits.parsed.doc?.training?.data, { dataset: 'digits' });
  });

  it('networkText writes one node per line', () => {
    const doc: NetworkDoc = {
      format: 'nn/1', name: 'XOR',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 4, activation: 'relu' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
    };
    const text = networkText(doc);
    assert.match(text, /\n {4}\{ "id": "h", "type": "dense", "units": 4, "activation": "relu" \},\n/);
    assert.deepEqual(checkNetwork(text).parsed.doc, doc);
  });
});
