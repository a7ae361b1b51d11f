/** Pieces of the trainer that need no process: the boundary grid, the float64 forward pass, settings overrides, path checks. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileNetwork } from '../../../src/engine';
import { checkNetwork } from '../../../src/model';
import { boundaryGrid, classIndex } from '../../../src/trainer/boundary';
import { forward64 } from '../../../src/trainer/forward64';
import * as fs from 'node:fs';

const root = path.resolve(__dirname, '../../..');

describe('trainer helpers', () => {
  it('lays the boundary grid over the data with 10% padding, x fastest, row 0 at ymin', () => {
    const g = boundaryGrid(new Float32Array([0, 0, 10, 20]), 2, 4);
    assert.deepEqual(g.extent, [-1, 11, -2, 22]);
    assert.equal(g.rows.length, 4 * 4 * 2);
    assert.ok(g.rows[0] < g.rows[2] && g.rows[1] === g.rows[3], 'x varies first');
    assert.ok(g.rows[1] < g.rows[4 * 2 + 1], 'y grows with the row');
  });

  it('turns targets into class indices (threshold 0.5 for one column, argmax for one-hot)', () => {
    assert.deepEqual(Array.from(classIndex(new Float32Array([0, 1, 0.7]), 3, 1)), [0, 1, 1]);
    assert.deepEqual(Array.from(classIndex(new Float32Array([0, 1, 0, 1, 0, 0]), 2, 3)), [1, 0]);
  });

  it('the float64 forward pass reproduces the lecture: interview (2.3, 10.2) → 0.226', () => {
    const { parsed, analysis } = checkNetwork(fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8'));
    assert.ok(parsed.doc && analysis);
    const net = compileNetwork(parsed.doc, analysis);
    const w = new Map([...net.weights].map(([k, v]) => [k, Float64Array.from(v.data)]));
    const out = forward64(net, Float64Array.from([2.3, 10.2]), w);
    assert.ok(Math.abs(out[0] - 0.2257) < 1e-3, String(out[0]));
  });
});
