/** Neuron heatmaps: every neuron's grid is what a direct forward pass computes at that cell, capped and validated. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileNetwork, predict, type CompiledNetwork } from '../../../src/engine';
import { checkNetwork } from '../../../src/model';
import { MalformedMessage, MAX_NEURONS_PER_LAYER, neuronLevel, TrainingUpdate } from '../../../src/protocol';
import { boundaryGrid } from '../../../src/trainer/boundary';
import { NEURON_GRID_SIZE, neuronGrids } from '../../../src/trainer/neuronGrids';

const root = path.resolve(__dirname, '../../..');

function compile(text: string, seed = 3): CompiledNetwork {
  const { parsed, analysis } = checkNetwork(text);
  assert.ok(parsed.doc && analysis, 'the fixture parses');
  return compileNetwork(parsed.doc, analysis, { seed });
}

const act: Record<string, (z: number) => number> = {
  tanh: Math.tanh, relu: (z) => Math.max(0, z), sigmoid: (z) => 1 / (1 + Math.exp(-z)), linear: (z) => z,
};

/** Each layer's outputs for one input row, layer by layer in float64 (dense chains only): the reference. */
function directForward(net: CompiledNetwork, row: number[]): Map<string, number[]> {
  const values = new Map<string, number[]>([[net.inputIds[0], row]]);
  for (const layer of net.layers) {
    if (layer.kind !== 'dense') continue;
    const x = values.get(layer.inputs[0]) as number[];
    const w = net.weights.get(`${layer.id}.weight`)!.data;
    const b = net.weights.get(`${layer.id}.bias`)?.data;
    const z = [...Array(layer.units).keys()].map((u) => x.reduce((s, xi, k) => s + w[u * x.length + k] * xi, b ? b[u] : 0));
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    values.set(layer.id, layer.activation === 'softmax' ? e.map((v) => v / e.reduce((a, c) => a + c, 0)) : z.map(act[layer.activation ?? 'linear']));
  }
  return values;
}

/** A straight chain input → dense layers → output, as .nn text. */
function chain(layers: [number, string][]): string {
  const nodes = [{ id: 'x', type: 'input', units: 2 }, ...layers.map(([units, activation], i) => ({ id: `h${i + 1}`, type: 'dense', units, activation }))];
  return JSON.stringify({ format: 'nn/1', nodes, edges: nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id })) });
}

describe('neuron heatmaps (trainer)', () => {
  const spiral = fs.readFileSync(path.join(root, 'test/unit/trainer/fixtures/spiral.nn'), 'utf8');
  const data = new Float32Array([-1.2, -0.8, 1.5, 0.3, 0.2, 1.1, -0.4, -1.6]);

  it('gives every neuron of the input, each dense layer and the output its grid, equal to a direct forward pass at every cell', async () => {
    const net = compile(spiral);
    const grid = boundaryGrid(data, 4, NEURON_GRID_SIZE);
    const u = await neuronGrids(7, net, net.weights, grid);
    assert.equal(u.runId, 7);
    assert.equal(u.size, NEURON_GRID_SIZE);
    assert.deepEqual(u.extent, grid.extent, 'the same extent as the boundary');
    assert.deepEqual(u.layers.map((l) => [l.id, l.units, l.range]), [['x', 2, 'signed'], ['h1', 16, 'signed'], ['h2', 16, 'signed'], ['y', 1, 'probability']]);
    const cells = grid.size * grid.size;
    const refs = [...Array(cells).keys()].map((c) => directForward(net, [grid.rows[c * 2], grid.rows[c * 2 + 1]]));
    let worst = 0, distinct = 0;
    for (const layer of u.layers) {
      const units = (refs[0].get(layer.id) as number[]).length;
      assert.equal(layer.levels.length, units * cells);
      for (let k = 0; k < units; k++) {
        // The neuron's scale is its largest |value| over the grid (at least 1), from the same pass.
        const max = Math.max(1, ...refs.map((r) => Math.abs((r.get(layer.id) as number[])[k])));
        assert.ok(Math.abs(layer.scale[k] - max) < 1e-4 * max, `${layer.id}[${k}] scale ${layer.scale[k]} vs ${max}`);
        const seen = new Set<number>();
        for (let c = 0; c < cells; c++) {
          const want = 255 * neuronLevel((refs[c].get(layer.id) as number[])[k], layer.range, max);
          worst = Math.max(worst, Math.abs(layer.levels[k * cells + c] - want));
          seen.add(layer.levels[k * cells + c]);
        }
        distinct += seen.size;
      }
    }
    assert.ok(worst <= 0.5 + 1e-3, `largest difference from the direct forward pass: ${worst} of 255 levels`);
    assert.ok(distinct > 35 * 20, `the grids are pictures, not flat: ${distinct} distinct levels over 35 neurons`);
    // The output neuron's heatmap is the boundary's picture: predict() on the same rows.
    const boundary = await predict(net, grid.rows, cells);
    u.layers[3].levels.forEach((v, c) => assert.ok(Math.abs(v - 255 * boundary[c]) <= 0.5 + 1e-3, `cell ${c}: ${v} vs ${255 * boundary[c]}`));
  });

  it('follows new weights (the inputs do not depend on them)', async () => {
    const net = compile(spiral);
    const grid = boundaryGrid(data, 4, 8);
    const u = await neuronGrids(1, net, net.weights, grid);
    for (const l of u.layers) assert.equal(l.scale.length, l.levels.length / 64, l.id);
    const changed = new Map(net.weights);
    const w = changed.get('h1.weight')!;
    changed.set('h1.weight', { shape: w.shape, data: w.data.map((v) => -v) });
    const v = await neuronGrids(1, net, changed, grid);
    assert.deepEqual(Array.from(v.layers[0].levels), Array.from(u.layers[0].levels), 'inputs do not depend on weights');
    assert.notDeepEqual(Array.from(v.layers[1].levels), Array.from(u.layers[1].levels), 'h1 follows its new weights');
  });

  it('sends the first 16 neurons of a wide layer (and says how many it has); the message validates', async () => {
    const net = compile(chain([[40, 'relu'], [3, 'softmax']]));
    const grid = boundaryGrid(data, 4, 6);
    const u = await neuronGrids(2, net, net.weights, grid);
    const wide = u.layers.find((l) => l.id === 'h1')!;
    assert.equal(wide.units, 40);
    assert.equal(wide.levels.length, MAX_NEURONS_PER_LAYER * 36);
    assert.equal(wide.scale.length, MAX_NEURONS_PER_LAYER);
    assert.equal(u.layers.find((l) => l.id === 'h2')!.range, 'probability');
    // Neuron 15 of the 40 is the 16th column of the forward pass, not a neighbour's.
    const ref = directForward(net, [grid.rows[10], grid.rows[11]]);
    assert.ok(Math.abs(wide.levels[15 * 36 + 5] - 255 * neuronLevel((ref.get('h1') as number[])[15], 'signed', wide.scale[15])) <= 0.5 + 1e-3);
    const out = u.layers.find((l) => l.id === 'h2')!;
    (ref.get('h2') as number[]).forEach((p, k) => assert.ok(Math.abs(out.levels[k * 36 + 5] - 255 * p) <= 0.5 + 1e-3, `softmax output ${k}`));
    assert.ok(!(TrainingUpdate.validate(u) instanceof MalformedMessage));
  });

  it('the protocol refuses grids that are not whole or more neurons than the cap', () => {
    const base = { kind: 'neurons', runId: 1, size: 2, extent: [0, 1, 0, 1] };
    const bad = (levels: Uint8Array, units: number): string => {
      const r = TrainingUpdate.validate({ ...base, layers: [{ id: 'h', units, range: 'signed', scale: new Array(Math.min(16, Math.round(levels.length / 4))).fill(1), levels }] });
      return r instanceof MalformedMessage ? r.reason : 'accepted';
    };
    assert.match(bad(new Uint8Array(6), 4), /whole 2×2 grids/);
    assert.match(bad(new Uint8Array(4 * 17), 40), /at most 16/);
    assert.match(bad(new Uint8Array(4 * 3), 2), /at most 2/);
    assert.equal(bad(new Uint8Array(8), 2), 'accepted');
    const r = TrainingUpdate.validate({ ...base, layers: [{ id: 'h', units: 2, range: 'signed', scale: [1], levels: new Uint8Array(8) }] });
    assert.match(r instanceof MalformedMessage ? r.reason : 'accepted', /one entry per neuron shown \(2\)/);
  });
});
