/** Neuron heatmaps: every neuron's grid is what a direct forward pass computes at that cell, capped and validated. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileNetwork, predict, type CompiledNetwork } from '../../../src/engine';
import { checkNetwork } from '../../../src/model';
import { MalformedMessage, MAX_NEURONS_PER_LAYER, TrainingUpdate } from '../../../src/protocol';
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
    let worst = 0;
    for (let c = 0; c < cells; c++) {
      const ref = directForward(net, [grid.rows[c * 2], grid.rows[c * 2 + 1]]);
      for (const layer of u.layers) {
        const want = ref.get(layer.id) as number[];
        assert.equal(layer.values.length, want.length * cells);
        want.forEach((v, k) => { worst = Math.max(worst, Math.abs(layer.values[k * cells + c] - v)); });
      }
    }
    assert.ok(worst < 1e-4, `largest difference from the direct forward pass: ${worst}`);
    // The output neuron's heatmap is the boundary's picture: predict() on the same rows.
    const boundary = await predict(net, grid.rows, cells);
    u.layers[3].values.forEach((v, c) => assert.ok(Math.abs(v - boundary[c]) < 1e-5, `cell ${c}: ${v} vs ${boundary[c]}`));
  });

  it('scales each neuron by its largest |value| (at least 1) and follows new weights', async () => {
    const net = compile(spiral);
    const grid = boundaryGrid(data, 4, 8);
    const u = await neuronGrids(1, net, net.weights, grid);
    for (const l of u.layers) {
      assert.equal(l.scale.length, l.values.length / 64, l.id);
      l.scale.forEach((s, k) => {
        let max = 0;
        for (const v of l.values.subarray(k * 64, (k + 1) * 64)) max = Math.max(max, Math.abs(v));
        assert.equal(s, Math.max(1, max), `${l.id}[${k}]`);
      });
    }
    const changed = new Map(net.weights);
    const w = changed.get('h1.weight')!;
    changed.set('h1.weight', { shape: w.shape, data: w.data.map((v) => -v) });
    const v = await neuronGrids(1, net, changed, grid);
    assert.deepEqual(Array.from(v.layers[0].values), Array.from(u.layers[0].values), 'inputs do not depend on weights');
    assert.notDeepEqual(Array.from(v.layers[1].values), Array.from(u.layers[1].values), 'h1 follows its new weights');
  });

  it('sends the first 16 neurons of a wide layer (and says how many it has); the message validates', async () => {
    const net = compile(chain([[40, 'relu'], [3, 'softmax']]));
    const grid = boundaryGrid(data, 4, 6);
    const u = await neuronGrids(2, net, net.weights, grid);
    const wide = u.layers.find((l) => l.id === 'h1')!;
    assert.equal(wide.units, 40);
    assert.equal(wide.values.length, MAX_NEURONS_PER_LAYER * 36);
    assert.equal(u.layers.find((l) => l.id === 'h2')!.range, 'probability');
    // Neuron 15 of the 40 is the 16th column of the forward pass, not a neighbour's.
    const ref = directForward(net, [grid.rows[10], grid.rows[11]]);
    assert.ok(Math.abs(wide.values[15 * 36 + 5] - (ref.get('h1') as number[])[15]) < 1e-4);
    const out = u.layers.find((l) => l.id === 'h2')!;
    (ref.get('h2') as number[]).forEach((p, k) => assert.ok(Math.abs(out.values[k * 36 + 5] - p) < 1e-5, `softmax output ${k}`));
    assert.ok(!(TrainingUpdate.validate(u) instanceof MalformedMessage));
  });

  it('the protocol refuses grids that are not whole or more neurons than the cap', () => {
    const base = { kind: 'neurons', runId: 1, size: 2, extent: [0, 1, 0, 1] };
    const bad = (values: Float32Array, units: number): string => {
      const r = TrainingUpdate.validate({ ...base, layers: [{ id: 'h', units, range: 'signed', scale: new Array(Math.min(16, Math.round(values.length / 4))).fill(1), values }] });
      return r instanceof MalformedMessage ? r.reason : 'accepted';
    };
    assert.match(bad(new Float32Array(6), 4), /whole 2×2 grids/);
    assert.match(bad(new Float32Array(4 * 17), 40), /at most 16/);
    assert.match(bad(new Float32Array(4 * 3), 2), /at most 2/);
    assert.equal(bad(new Float32Array(8), 2), 'accepted');
    const r = TrainingUpdate.validate({ ...base, layers: [{ id: 'h', units: 2, range: 'signed', scale: [1], values: new Float32Array(8) }] });
    assert.match(r instanceof MalformedMessage ? r.reason : 'accepted', /one entry per neuron shown \(2\)/);
  });
});
