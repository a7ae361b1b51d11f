/**
 * The Predict pane's arithmetic: fields read as numbers (or an error naming the field), outputs
 * read as class probabilities and a class name, and the boundary's plane mapped to typed values
 * and back (through the standardiser the weights were trained with).
 */
import * as assert from 'node:assert/strict';
import { canvasToPlane, fromPlane, planeToCanvas, readInputs, readOutputs, roundTo, toPlane } from '../../../webview/editor/training/predictModel';

const names = ['GPA', 'Experience'];

describe('Predict pane: reading fields and outputs', () => {
  it('reads numbers, and names the field that is empty or not a number', () => {
    assert.deepEqual(readInputs([' 2.3', '10.2 '], names), { values: [2.3, 10.2] });
    assert.deepEqual(readInputs(['-1e-2', '0'], names), { values: [-0.01, 0] });
    assert.deepEqual(readInputs(['2.3', ''], names), { error: 'Enter a number for Experience.', field: 1 });
    assert.deepEqual(readInputs(['abc', '1'], names), { error: 'GPA: "abc" is not a number. Enter a number, e.g. 2.5 or -1.', field: 0 });
    assert.deepEqual(readInputs(['2,3', '1'], names), { error: 'GPA: "2,3" is not a number. Write decimals with a point: 2.3.', field: 0 });
    assert.deepEqual(readInputs(['Infinity', '1'], names), { error: 'GPA: "Infinity" is not a number. Enter a number, e.g. 2.5 or -1.', field: 0 });
  });

  it('reads one sigmoid as two classes: the lecture\'s 0.226 is 22.6% Interview, so "not Interview"', () => {
    const info = { task: 'binary' as const, classes: ['not Interview', 'Interview'], outputs: ['y'] };
    const r = readOutputs([0.22573], info);
    assert.equal(r.predicted, 'not Interview');
    assert.deepEqual(r.bars.map((b) => [b.name, b.p.toFixed(3)]), [['not Interview', '0.774'], ['Interview', '0.226']]);
    assert.equal(r.values, 'y = 0.226');
    assert.equal(readOutputs([0.5], info).predicted, 'Interview', 'p = 0.5 goes to the positive class, as the boundary draws it');
  });

  it('reads softmax outputs per class, and scores that are not probabilities through a softmax', () => {
    const info = { task: 'multiclass' as const, classes: ['setosa', 'versicolor', 'virginica'], outputs: ['y[0]', 'y[1]', 'y[2]'] };
    const r = readOutputs([0.1, 0.7, 0.2], info);
    assert.equal(r.predicted, 'versicolor');
    assert.deepEqual(r.bars.map((b) => b.p), [0.1, 0.7, 0.2]);
    const s = readOutputs([0, Math.log(3), 0], info);
    assert.equal(s.predicted, 'versicolor');
    assert.deepEqual(s.bars.map((b) => Number(b.p.toFixed(3))), [0.2, 0.6, 0.2]);
  });

  it('shows quantities as values, without bars', () => {
    const r = readOutputs([3.14159], { task: 'regression', classes: [], outputs: ['price'] });
    assert.deepEqual(r.bars, []);
    assert.equal(r.predicted, undefined);
    assert.equal(r.values, 'price = 3.142');
    assert.deepEqual(readOutputs([NaN], { task: 'binary', classes: ['a', 'b'], outputs: ['y'] }).bars, [], 'no bars from NaN');
  });
});

describe('Predict pane: the boundary\'s plane', () => {
  const scale = { mean: [3.5, 2], std: [0.25, 1.5] };
  const extent: [number, number, number, number] = [-2, 2, -1, 3];

  it('maps typed values to the plane through the standardiser and back', () => {
    assert.deepEqual(toPlane([4, 5], scale), [2, 2]);
    assert.deepEqual(toPlane([4, 5], undefined), [4, 5]);
    assert.deepEqual(fromPlane([2, 2], scale, extent), [4, 5]);
  });

  it('puts a plane point on the canvas (row 0 on top) and reads a click back', () => {
    assert.deepEqual(planeToCanvas([0, 1], extent, 150), { x: 75, y: 75, inside: true });
    assert.deepEqual(planeToCanvas([-2, 3], extent, 150), { x: 0, y: 0, inside: true });
    assert.equal(planeToCanvas([2.5, 1], extent, 150).inside, false);
    assert.deepEqual(canvasToPlane(75, 75, extent, 150), [0, 1]);
    assert.deepEqual(canvasToPlane(150, 150, extent, 150), [2, -1]);
  });

  it('rounds a clicked value to what the plot can tell apart', () => {
    assert.equal(roundTo(3.14159, 0.001), 3.142);
    assert.equal(roundTo(123.456, 0.5), 123.5);
    assert.equal(roundTo(7.25, 0), 7.25);
    // A 4-wide plane is 1 GPA wide raw (std 0.25): a pixel is 0.0067, so three decimals; 6 years tall: two.
    assert.deepEqual(fromPlane([0.123456, 0.5123], scale, extent), [3.531, 2.77]);
  });
});
