/**
 * Image networks through every exporter: the ONNX model in onnxruntime and the PyTorch script in
 * Debian's torch give the float64 reference forward's outputs (within 1e-4) on a small convnet with
 * both paddings (even and uneven splits), strides, max and average pooling, batch norm with
 * non-trivial moving statistics, flatten, reshape, concat/add/dropout on images and an image
 * output; the Keras script builds the same layers and sets the kernels in Keras' layout.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildExportPlan } from '../../../src/export/exportPlan';
import { exportNetwork } from '../../../src/export/index';
import { convAnalysis, convDoc, convWeights } from './convFixtures';
import { seededRandom } from './exportFixtures';
import { requireTorch, runPython } from './pythonEnv';
import { referenceForward } from './referenceForward';

const analysis = convAnalysis(convDoc);
const weights = convWeights(convDoc, analysis, 1234);
const plan = buildExportPlan(convDoc, analysis, weights);
const BATCH = 5;
const rnd = seededRandom(99);
const x = Float32Array.from({ length: BATCH * 144 }, () => rnd() * 2);
const rows = Array.from({ length: BATCH }, (_, b) => Array.from(x.subarray(b * 144, (b + 1) * 144)));
const want = referenceForward(plan, { x: rows }, BATCH);

function assertClose(got: ArrayLike<number>, wantRows: number[][], what: string): void {
  const flat = wantRows.flat();
  assert.equal(got.length, flat.length, `${what}: number of values`);
  flat.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-4, `${what}[${i}]: ${got[i]} vs reference ${v}`));
}

describe('export of image networks', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'nn-conv-export-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the reference itself is not degenerate (outputs vary across samples, batch norm moves values)', () => {
    assert.deepEqual(Object.keys(want).sort(), ['out', 'smx']);
    assert.notDeepEqual(want.out[0], want.out[1]);
    assert.ok(want.smx[0].some((v) => Math.abs(v - 0.5) > 0.01));
  });

  it('ONNX: onnxruntime matches the reference within 1e-4 on rows of H·W·C values, as nn predict takes them', async () => {
    const { files, notes } = exportNetwork(convDoc, analysis, weights, 'onnx');
    const session = await ort.InferenceSession.create(files[0].content as Uint8Array);
    assert.deepEqual(session.inputNames, ['x']);
    const got = await session.run({ x: new ort.Tensor('float32', x, [BATCH, 144]) });
    assert.deepEqual(got.out.dims, [BATCH, 3]);
    assert.deepEqual(got.smx.dims, [BATCH, 8]);
    assertClose(got.out.data as Float32Array, want.out, 'onnx out');
    assertClose(got.smx.data as Float32Array, want.smx, 'onnx smx');
    assert.ok(notes.some((n) => /H, W, C order/.test(n)), notes.join('\n'));
  });

  describe('PyTorch', () => {
    before(function () { requireTorch(this); });

    it('matches the reference within 1e-4, fed NHWC images or flat rows; its weights save back unchanged', () => {
      const { files } = exportNetwork(convDoc, analysis, weights, 'pytorch', { baseName: 'convnet' });
      for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
      writeFileSync(path.join(dir, 'x.json'), JSON.stringify(Array.from(x)));
      const driver = `
import importlib.util, json, torch
spec = importlib.util.spec_from_file_location("m", "convnet.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
net = m.Network(); m.load_weights(net, m.read_safetensors(m.WEIGHTS_FILE), m.WEIGHTS_FILE); net.eval()
x = torch.tensor(json.load(open("x.json")), dtype=torch.float32)
with torch.no_grad():
    out, smx = net(x.reshape(${BATCH}, 9, 8, 2))
    out_flat, smx_flat = net(x.reshape(${BATCH}, 144))
m.save_weights(net, "resaved.safetensors")
print(json.dumps({"out": out.reshape(-1).tolist(), "smx": smx.reshape(-1).tolist(), "smx_shape": list(smx.shape),
                  "flat_same": bool(torch.equal(out, out_flat) and torch.equal(smx, smx_flat))}))
`;
      const got = JSON.parse(runPython(['-c', driver], { cwd: dir })) as { out: number[]; smx: number[]; smx_shape: number[]; flat_same: boolean };
      assertClose(got.out, want.out, 'pytorch out');
      assertClose(got.smx, want.smx, 'pytorch smx');
      assert.deepEqual(got.smx_shape, [BATCH, 2, 2, 2], 'an image output comes back channels last');
      assert.ok(got.flat_same, 'flat rows and NHWC images give the same outputs');
      const resaved = JSON.parse(runPython(['-c', `
import importlib.util, json
spec = importlib.util.spec_from_file_location("m", "convnet.py"); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print(json.dumps(m.read_safetensors("resaved.safetensors")))
`], { cwd: dir })) as Record<string, [number[], number[]]>;
      assert.deepEqual(Object.keys(resaved).sort(), [...weights.keys()].sort());
      for (const [name, t] of weights) {
        assert.deepEqual(resaved[name][0], t.shape, `${name} shape`);
        assert.deepEqual(resaved[name][1], Array.from(t.data), `${name} values`);
      }
    });
  });
});
