import * as assert from 'node:assert/strict';
import { TEMPLATES, networkText } from '../../../src/extension/templates';
import { checkNetwork } from '../../../src/model';

describe('New Network templates', () => {
  it('offers the six templates of the issue', () => {
    assert.deepEqual(TEMPLATES.map((t) => t.id), ['blank', 'perceptron', 'xor', 'spiral', 'interview', 'mnist-mlp']);
  });

  for (const t of TEMPLATES) {
    it(`${t.label}: the written text parses back to the same network with no problems`, () => {
      const text = networkText(t.doc);
      const { parsed, diagnostics } = checkNetwork(text);
      assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), []);
      assert.deepEqual(parsed.doc, t.doc);
    });
  }

  it('counts the lectures\' parameters: interview 13, perceptron 3, MNIST-sized MLP 109,386', () => {
    const count = (id: string) => checkNetwork(networkText(TEMPLATES.find((t) => t.id === id)!.doc)).analysis?.totalParams;
    assert.equal(count('interview'), 13);
    assert.equal(count('perceptron'), 3);
    assert.equal(count('mnist-mlp'), 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
  });

  it('writes one node per line', () => {
    const text = networkText(TEMPLATES.find((t) => t.id === 'xor')!.doc);
    assert.match(text, /\n {4}\{ "id": "h", "type": "dense", "units": 4, "activation": "relu" \},\n/);
  });
});
