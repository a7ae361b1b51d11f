/**
 * Edge colours during training are properties of the view-model edges: given a layer's weights,
 * each edge into it gets a colour by the sign of the mean weight and a width by the RMS.
 */
import * as assert from 'node:assert/strict';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import type { LayerWeights } from '../../../src/protocol';
import { edgeWeightStyles, withEdgeWeights } from '../../../webview/editor/edgeWeights';
import { buildView } from '../../../webview/editor/viewModel';

const text = JSON.stringify({
  format: 'nn/1',
  nodes: [
    { id: 'x', type: 'input', units: 2 },
    { id: 'h', type: 'dense', units: 2, activation: 'relu' },
    { id: 'g', type: 'dense', units: 2, activation: 'tanh' },
    { id: 'cat', type: 'concat' },
    { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  edges: [{ from: 'x', to: 'h' }, { from: 'x', to: 'g' }, { from: 'h', to: 'cat' }, { from: 'g', to: 'cat' }, { from: 'cat', to: 'y' }],
});
const snap = structuredClone(documentSnapshot(text, 1, 't.nn').snapshot);
const measure = (s: string): number => s.length * 7;

function w(...data: number[]): LayerWeights {
  return { shape: [1, data.length], data: Float32Array.from(data) };
}

const ORANGE = 'rgb(245,147,34)';
const BLUE = 'rgb(8,119,189)';

describe('edge colours by weight (view model)', () => {
  it('colours each edge into a layer by the sign of its mean weight, width by RMS against the largest', () => {
    // h: mean 0.5, RMS 0.5 (the largest); g: mean -0.25, RMS 0.25; y: mean 0, RMS 0.
    const weights = { h: w(0.5, 0.5, 0.5, 0.5), g: w(-0.25, -0.25), y: w(0.1, -0.1) };
    const { edges } = buildView(snap, new Set(), measure, 13, weights);
    const by = Object.fromEntries(edges.map((e) => [e.key, [e.weightColour, e.weightWidth]]));
    assert.deepEqual(by['x->h'], [ORANGE, 5]);
    assert.deepEqual(by['x->g'], [BLUE, 3]);
    assert.equal(by['cat->y'][0], ORANGE, 'a zero mean counts as positive');
    assert.ok(Math.abs((by['cat->y'][1] as number) - (1 + 4 * (0.1 / 0.5))) < 1e-6, `width ${by['cat->y'][1]}`);
    // A concat has no weights: its edges keep the theme's colour.
    assert.deepEqual(by['h->cat'], [undefined, undefined]);
    assert.deepEqual(by['g->cat'], [undefined, undefined]);
  });

  it('without weights no edge has a colour or width', () => {
    for (const view of [buildView(snap, new Set(), measure, 13), buildView(snap, new Set(), measure, 13, {})]) {
      assert.equal(view.edges.length, 5);
      for (const e of view.edges) {
        assert.equal(e.weightColour, undefined, e.key);
        assert.equal(e.weightWidth, undefined, e.key);
        assert.ok(!('weightColour' in e) && !('weightWidth' in e), e.key);
      }
    }
  });

  it('new weights recolour, and a reset (no weights) takes the colours off', () => {
    const { edges } = buildView(snap, new Set(), measure, 13, { h: w(1) });
    const flipped = withEdgeWeights(edges, { h: w(-1) });
    assert.equal(flipped.find((e) => e.key === 'x->h')?.weightColour, BLUE);
    const cleared = withEdgeWeights(flipped, {});
    assert.ok(cleared.every((e) => e.weightColour === undefined && e.weightWidth === undefined));
    assert.deepEqual(cleared.map((e) => [e.key, e.label]), edges.map((e) => [e.key, e.label]), 'nothing else changes');
  });

  it('all-zero weights still draw a thin edge, not a NaN width', () => {
    assert.deepEqual(edgeWeightStyles({ h: w(0, 0) }).get('h'), { colour: ORANGE, width: 1 });
  });
});
