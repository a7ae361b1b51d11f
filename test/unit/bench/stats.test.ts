import * as assert from 'node:assert/strict';
import { interleave, median, pairedRatios, quickMode, roundsFrom, spread } from '../../../bench/stats';

describe('bench rounds: order, median and spread', () => {
  it('the median is the middle figure (the mean of the middle two for an even count), whatever the order', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 10]), 3.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
    const input = [3, 1, 2];
    median(input);
    assert.deepEqual(input, [3, 1, 2], 'the figures are not reordered in place');
  });

  it('the spread is the smallest and largest figure', () => {
    assert.deepEqual(spread([120, 80, 100]), { min: 80, max: 120 });
    assert.deepEqual(spread([5]), { min: 5, max: 5 });
  });

  it('interleaves ours and each peer round by round (A/B/A/B), alternating who goes first', () => {
    const order = interleave(['ours', 'torch'], 3).map((s) => `${s.round}:${s.contender}`);
    assert.deepEqual(order, ['0:ours', '0:torch', '1:torch', '1:ours', '2:ours', '2:torch']);
    const three = interleave(['a', 'b', 'c'], 4);
    assert.equal(three.length, 12);
    for (let r = 0; r < 4; r++) assert.deepEqual(three.filter((s) => s.round === r).map((s) => s.contender).sort(), ['a', 'b', 'c'], `round ${r} runs every contender once`);
    // Never all of one contender's rounds before the other's.
    assert.ok(three.findIndex((s) => s.contender === 'b') < three.map((s) => s.contender).lastIndexOf('a'));
  });

  it('pairs the figures of the same round for ratios, skipping rounds that have no figure', () => {
    assert.deepEqual(pairedRatios([10, 20, undefined, 40], [5, 10, 7, 0]), [2, 2]);
    assert.deepEqual(pairedRatios([1, 2, 3], [1]), [1]);
  });

  it('takes the round count from NN_BENCH_ROUNDS, 3 by default and 2 in quick mode', () => {
    assert.equal(roundsFrom({}), 3);
    assert.equal(roundsFrom({ NN_BENCH_ROUNDS: '5' }), 5);
    assert.equal(roundsFrom({ NN_BENCH_QUICK: '1' }), 2);
    assert.equal(roundsFrom({ NN_BENCH_QUICK: '1', NN_BENCH_ROUNDS: '4' }), 4);
    assert.throws(() => roundsFrom({ NN_BENCH_ROUNDS: 'many' }), /NN_BENCH_ROUNDS=many: give a whole number of rounds from 1 to 20/);
    assert.throws(() => roundsFrom({ NN_BENCH_ROUNDS: '0' }), /from 1 to 20/);
    assert.equal(quickMode({ NN_BENCH_QUICK: '0' }), false);
    assert.equal(quickMode({ NN_BENCH_QUICK: 'yes' }), true);
  });
});
