/** How every picture of a decision boundary reads a cell: class and confidence, and its colour. */
import * as assert from 'node:assert/strict';
import { CLASS_COLORS, cellClass, classColour } from '../../../src/protocol';

describe('boundary cells', () => {
  it('one output is the probability of class 1: ≥ ½ is class 1, confidence |p − ½|·2', () => {
    assert.deepEqual(cellClass([0.5], 0, 1), { cls: 1, confidence: 0 });
    assert.deepEqual(cellClass([0.9, 0.1], 1, 1), { cls: 0, confidence: 0.8 });
    assert.deepEqual(cellClass([1], 0, 1), { cls: 1, confidence: 1 });
  });

  it('several outputs: the largest score wins, confidence from 1/width (a tie) to 1', () => {
    const grid = [0.2, 0.7, 0.1, /* next cell */ 1 / 3, 1 / 3, 1 / 3];
    const a = cellClass(grid, 0, 3);
    assert.equal(a.cls, 1);
    assert.ok(Math.abs(a.confidence - (0.7 - 1 / 3) / (2 / 3)) < 1e-12);
    assert.deepEqual(cellClass(grid, 3, 3), { cls: 0, confidence: 0 });
  });

  it('colours: class 1 of a single output is blue, class 0 orange; many classes cycle the table', () => {
    assert.deepEqual(classColour(1, 1), CLASS_COLORS[1]);
    assert.deepEqual(classColour(0, 1), CLASS_COLORS[0]);
    assert.ok(classColour(1, 1)[2] > classColour(1, 1)[0], 'blue');
    assert.deepEqual(classColour(CLASS_COLORS.length + 2, 12), CLASS_COLORS[2]);
  });
});
