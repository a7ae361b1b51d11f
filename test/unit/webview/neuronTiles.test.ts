/**
 * Neuron heatmaps in the view model (pure): where the tiles go, the room a block grows by, the
 * colour scale shared with the decision boundary, and the weights an edge's tooltip lists.
 */
import * as assert from 'node:assert/strict';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { cellClass, classColour } from '../../../src/protocol';
import { weightTitle } from '../../../webview/editor/edgeWeights';
import { blockTileGrid, tilesOf } from '../../../webview/editor/neuronTiles';
import { buildView, LINE } from '../../../webview/editor/viewModel';
import { LEVEL_LUT, levelRgba, neuronAsBoundary, neuronLevel } from '../../../webview/shared/neuronColours';

const em = 13;
const text = JSON.stringify({
  format: 'nn/1',
  nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 16, activation: 'tanh' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
  edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
});
const snap = structuredClone(documentSnapshot(text, 1, 't.nn').snapshot);
const measure = (s: string): number => s.length * 7;

describe('neuron heatmaps (view model)', () => {
  it('lays 16 tiles four by four inside a block, none overlapping, and grows the block to hold them', () => {
    const plain = buildView(snap, new Set(), measure, em).nodes.find((n) => n.id === 'h')!;
    const view = buildView(snap, new Set(), measure, em, {}, new Map([['h', 16], ['y', 1]])).nodes.find((n) => n.id === 'h')!;
    const g = blockTileGrid(16, em);
    assert.deepEqual([g.cols, g.rows], [4, 4]);
    assert.equal(view.height, plain.height + g.height);
    assert.ok(view.width >= g.width + 2 * em, `wide enough: ${view.width}`);
    const top = em / 2 + LINE * em * 2;
    const tiles = tilesOf(16, view, em, top);
    assert.equal(tiles.length, 16);
    for (const t of tiles) {
      assert.ok(t.x >= 0 && t.x + t.side <= view.width, 'inside the box across');
      assert.ok(t.y >= top && t.y + t.side <= view.height - LINE * em, 'between the subtitle and the footer');
    }
    for (let i = 0; i < tiles.length; i++) {
      for (let j = i + 1; j < tiles.length; j++) {
        const a = tiles[i], b = tiles[j];
        assert.ok(a.x + a.side <= b.x || b.x + b.side <= a.x || a.y + a.side <= b.y || b.y + b.side <= a.y, `tiles ${i} and ${j} overlap`);
      }
    }
  });

  it('puts a tile over each neuron circle of an expanded layer, which keeps its size', () => {
    const expanded = new Set(['h']);
    const plain = buildView(snap, expanded, measure, em).nodes.find((n) => n.id === 'h')!;
    const view = buildView(snap, expanded, measure, em, {}, new Map([['h', 16]])).nodes.find((n) => n.id === 'h')!;
    assert.equal(view.height, plain.height);
    const top = em / 2 + LINE * em * 2;
    tilesOf(16, view, em, top).forEach((t, i) => {
      // The renderer's circle centre (graphRenderer.ts drawNode).
      const cy = top + em * 0.2 + i * 1.6 * em + em * 0.55 + em * 0.2;
      assert.ok(Math.abs(t.x + t.side / 2 - view.width / 2) < 1e-9 && Math.abs(t.y + t.side / 2 - cy) < 1e-9, `tile ${i}`);
    });
  });

  it('colours a neuron as the boundary colours a cell: signed values around ½, probabilities as they are', () => {
    assert.equal(neuronLevel(0, 'signed', 3), 0.5);
    assert.equal(neuronLevel(3, 'signed', 3), 1);
    assert.equal(neuronLevel(-9, 'signed', 3), 0, 'clamped');
    assert.equal(neuronLevel(-1.5, 'signed', 3), 0.25);
    assert.equal(neuronLevel(0.8, 'probability', 1), 0.8);
    assert.equal(neuronLevel(NaN, 'signed', 1), 0.5, 'a NaN is drawn as nothing known');
    for (const p of [0, 0.1, 0.5, 0.73, 1]) {
      // drawBoundary's cell: class colour, alpha 40 + confidence·150.
      const { cls, confidence } = cellClass([p], 0, 1);
      const c = classColour(cls, 1);
      assert.deepEqual(levelRgba(p), [c[0], c[1], c[2], Math.round(40 + confidence * 150)], `p = ${p}`);
    }
    for (const i of [0, 64, 128, 200, 255]) assert.deepEqual(Array.from(LEVEL_LUT.subarray(i * 4, i * 4 + 4)), levelRgba(i / 255));
    const layer = { id: 'h', units: 2, range: 'signed' as const, scale: [1, 4], levels: Uint8Array.from([9, 9, 9, 9, 0, 51, 204, 255]) };
    assert.deepEqual(Array.from(neuronAsBoundary(layer, 1, 2, [0, 1, 0, 1]).values), [0, 0.2, 0.8, 1].map(Math.fround), "neuron 1's own cells");
  });

  it("an edge's tooltip summarises the weights into its layer, and lists them for a small one", () => {
    const w = { shape: [2, 3], data: Float32Array.from([0.5, -1.25, 2, 0, 0.125, -0.5]) };
    assert.equal(weightTitle('h', w), 'Weights into h: 2 × 3 (units × inputs)\nmean 0.146 · RMS 1.01 · min −1.25 · max 2\nh[0]: 0.5, −1.25, 2\nh[1]: 0, 0.125, −0.5');
    const big = weightTitle('h2', { shape: [16, 16], data: new Float32Array(256).fill(0.25) });
    assert.equal(big, 'Weights into h2: 16 × 16 (units × inputs)\nmean 0.25 · RMS 0.25 · min 0.25 · max 0.25', 'a summary only past 32 weights');
    const { edges } = buildView(snap, new Set(), measure, em, { h: w });
    assert.equal(edges.find((e) => e.key === 'x->h')?.weightTitle, weightTitle('h', w));
    assert.equal(edges.find((e) => e.key === 'h->y')?.weightTitle, undefined);
  });
});
