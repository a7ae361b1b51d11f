/** How often train() sends 'layers' events: statistics of every weight must not slow big networks down. */
import * as assert from 'node:assert/strict';
import { layersDue } from '../../../src/engine/train';

describe("train(): the 'layers' event cadence", () => {
  it('cheap statistics come every 250 ms (or the event interval when longer)', () => {
    assert.equal(layersDue(1249, 1000, 50, 2), false);
    assert.equal(layersDue(1250, 1000, 50, 2), true);
    assert.equal(layersDue(1250, 1000, 400, 2), false);
    assert.equal(layersDue(1400, 1000, 400, 2), true);
  });

  it('statistics that took 40 ms wait 800 ms, so they stay within ~5% of the run', () => {
    assert.equal(layersDue(1799, 1000, 50, 40), false);
    assert.equal(layersDue(1800, 1000, 50, 40), true);
  });
});
