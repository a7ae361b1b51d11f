/**
 * The bench's two-thread ceiling (bench/coreCeiling.ts): the 2-thread rows are read against it,
 * so it must measure one thread alone and two at once, and report their ratio as it says.
 */
import * as assert from 'node:assert/strict';
import { describeCeiling, twoCoreCeiling } from '../../../bench/coreCeiling';

describe('bench: the two-thread ceiling', function () {
  this.timeout(30000);

  it('measures the kernel on one thread and on two at once, and reports both together over one', async function () {
    if (typeof SharedArrayBuffer !== 'function') this.skip();
    const c = await twoCoreCeiling(1, 40);
    assert.ok(c.solo > 0.1, `one thread: ${c.solo} GFLOP/s`);
    assert.ok(c.both[0] > 0.1 && c.both[1] > 0.1, `two threads: ${c.both.join(', ')} GFLOP/s`);
    assert.ok(Math.abs(c.ratio - (c.both[0] + c.both[1]) / c.solo) < 1e-9);
    assert.match(describeCeiling(c), /^two-thread ceiling now: \d+\.\d\d× \(kernel on cached operands: [\d.]+ GFLOP\/s alone, [\d.]+ \+ [\d.]+ at once\)$/);
  });
});
