/**
 * Auto backend selection weighs an image network by its multiply-adds: a conv layer reuses each
 * kernel weight at every output position, so the digits convnet (7,690 parameters) does 177,984
 * multiply-adds per sample, more than the 17,226-parameter MLP, and is worth a hardware GPU at
 * batch 32 where the MLP is not.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileNetwork } from '../../../src/engine';
import { multiplyAdds } from '../../../src/engine/network';
import type { GpuAdapterReport } from '../../../src/engine/webgpu/gpuDevice';
import { decideBackend } from '../../../src/engine/webgpu/autoBackend';
import { checkNetwork, type NetworkDoc } from '../../../src/model';

const example = (file: string) => {
  const r = checkNetwork(readFileSync(path.join(__dirname, '../../../examples', file), 'utf8'));
  return { net: compileNetwork(r.parsed.doc as NetworkDoc, r.analysis!), params: r.analysis!.totalParams };
};

describe('auto backend selection for image networks', () => {
  const hardware: GpuAdapterReport = { name: 'NVIDIA H100', route: 'default', software: false, reason: 'found' };

  it('counts the multiply-adds of conv layers at every output position', () => {
    const { net } = example('digits-convnet.nn');
    // conv1 8·8·16·3·3·1, conv2 6·6·32·3·3·16, the dense 288·10.
    assert.equal(multiplyAdds(net), 8 * 8 * 16 * 9 + 6 * 6 * 32 * 9 * 16 + 288 * 10);
    const mlp = example('digits-mlp.nn');
    assert.equal(multiplyAdds(mlp.net), 64 * 128 + 128 * 64 + 64 * 10);
  });

  it('puts the digits convnet on a hardware GPU at batch 32 and keeps the digits MLP on the CPU, saying why', () => {
    const conv = example('digits-convnet.nn');
    const d = decideBackend({ params: conv.params, batch: 32, multiplyAdds: multiplyAdds(conv.net) }, hardware);
    assert.equal(d.backend, 'webgpu');
    assert.match(d.reason, /7,690 parameters, 177,984 multiply-adds per sample × batch 32/);
    const mlp = example('digits-mlp.nn');
    assert.equal(decideBackend({ params: mlp.params, batch: 32, multiplyAdds: multiplyAdds(mlp.net) }, hardware).backend, 'cpu');
  });
});
