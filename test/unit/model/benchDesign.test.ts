import { strict as assert } from 'assert';
import { bigDesign } from '../../../bench/model.bench';
import { checkNetwork } from '../../../src/model';

describe('bench/model.bench design', () => {
  it('builds a valid design of exactly the requested size, so the bench times what it claims', () => {
    for (const n of [1000, 37]) {
      const c = checkNetwork(bigDesign(n));
      assert.deepEqual(c.diagnostics, []);
      assert.equal(c.parsed.doc?.nodes.length, n);
      assert.equal(c.analysis?.order.length, n);
      assert.equal(c.analysis?.outputs.length, 1);
    }
  });
});
