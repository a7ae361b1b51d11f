/**
 * At exactly x = 0 the piecewise activations take the slope of their left side, as relu does
 * (0 there) and as PyTorch and Keras do: leaky_relu → alpha, elu → alpha. A pre-activation of
 * exactly 0 is common (zero biases at initialisation, a row whose inputs were all dropped), so
 * an exported script only trains like the engine when both agree here.
 */
import * as assert from 'node:assert/strict';
import { compileNetwork, gradients } from '../../../src/engine';
import { checkNetwork } from '../../../src/model';
import { backendsUnderTest } from './backends';

/** x → h (one unit, `activation`, weight 0: its pre-activation is exactly 0) → y (linear, weight 1). */
function kinkNet(activation: string): ReturnType<typeof compileNetwork> {
  const text = JSON.stringify({
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', units: 1 },
      { id: 'h', type: 'dense', units: 1, activation, alpha: 0.2, weights: [[0]], bias: [0] },
      { id: 'y', type: 'dense', units: 1, activation: 'linear', weights: [[1]], bias: [0] },
    ],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
  });
  const { parsed, analysis, diagnostics } = checkNetwork(text);
  assert.ok(parsed.doc && analysis, diagnostics.map((d) => d.message).join('; '));
  return compileNetwork(parsed.doc, analysis);
}

for (const b of backendsUnderTest) {
  describe(`activation slopes at exactly 0 on the ${b.name} backend`, function () {
    this.timeout(60000);
    for (const [fn, slope] of [['relu', 0], ['leaky_relu', 0.2], ['elu', 0.2]] as const) {
      it(`${fn}: ∂y/∂h.weight at a pre-activation of 0 is ${slope} × x`, async function () {
        const backend = await b.create();
        if (!backend) this.skip();
        try {
          const g = await gradients(kinkNet(fn), Float32Array.of(3), { backend });
          assert.ok(Math.abs(g.params.get('h.weight')!.data[0] - slope * 3) < 1e-6, `${fn}: ${g.params.get('h.weight')!.data[0]}`);
        } finally {
          backend?.dispose();
        }
      });
    }
  });
}
