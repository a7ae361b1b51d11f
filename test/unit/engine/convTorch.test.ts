/**
 * A small conv net with batch norm trains exactly as PyTorch does: the same design, initial
 * weights, data and settings on both sides (input [6, 6, 2] → conv 4 3×3 same → batch norm →
 * relu → max pool 2 → flatten → dense 3 softmax, categorical cross-entropy, SGD with momentum,
 * batches of 8 over 20 rows so every epoch ends with a 4-row batch), 20 steps. Every step's loss
 * and every weight after every step agree within 1e-4, and so do the moving statistics.
 *
 * Layouts: the engine is channels last, PyTorch channels first, so the script permutes the
 * kernels ([f, kh, kw, c] ↔ [f, c, kh, kw]) and the activations before the flatten. PyTorch's BN
 * momentum is 1 − Keras'. PyTorch's running_var uses the batch's unbiased variance, Keras (and
 * the engine) the biased one, so the script recomputes the moving variance with Keras' rule from
 * the batch statistics PyTorch saw and compares the engine's to that; the moving mean is
 * compared with PyTorch's running_mean directly. After training, prediction (batch norm on the
 * moving statistics) is compared with PyTorch in eval mode, its running_var set to Keras' value.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { TrainingSession } from '../../../src/engine/trainingSession';
import { requireTorch, runPython } from '../export/pythonEnv';
import { CONV_SETTINGS, SMALL_CONVNET_SIZES, smallConvnet, smallImages } from './smallConvnet';

const [STEPS, TOL] = [20, 1e-4];
const { rows: ROWS, batch: BATCH, h: H, w: W, c: C } = SMALL_CONVNET_SIZES;

const PY = String.raw`
import json, sys, torch
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
d = json.load(open(sys.argv[1]))
H, W, C, N, B, STEPS = d["h"], d["w"], d["c"], d["rows"], d["batch"], d["steps"]
t = lambda k: torch.tensor(d["weights"][k]["data"]).reshape(d["weights"][k]["shape"])
X = torch.tensor(d["x"]).reshape(N, H, W, C).permute(0, 3, 1, 2).contiguous()
Y = torch.tensor(d["y"]).reshape(N, -1).argmax(1)
conv = torch.nn.Conv2d(C, 4, 3, padding=1)
bn = torch.nn.BatchNorm2d(4, eps=1e-3, momentum=0.01)
fc = torch.nn.Linear(36, 3)
with torch.no_grad():
    conv.weight.copy_(t("conv.weight").permute(0, 3, 1, 2)); conv.bias.copy_(t("conv.bias"))
    bn.weight.copy_(t("bn.gamma")); bn.bias.copy_(t("bn.beta"))
    fc.weight.copy_(t("y.weight")); fc.bias.copy_(t("y.bias"))
keras_var = torch.ones(4)
def hook(mod, inp, out):
    global keras_var
    if mod.training:
        keras_var = 0.99 * keras_var + 0.01 * inp[0].detach().var(dim=(0, 2, 3), unbiased=False)
bn.register_forward_hook(hook)
def forward(x):
    h = torch.relu(bn(conv(x)))
    h = torch.nn.functional.max_pool2d(h, 2)
    return fc(h.permute(0, 2, 3, 1).reshape(x.shape[0], -1))  # flatten in the engine's H, W, C order
params = list(conv.parameters()) + list(bn.parameters()) + list(fc.parameters())
opt = torch.optim.SGD(params, lr=d["lr"], momentum=d["momentum"])
def snapshot():
    return {"conv.weight": conv.weight.detach().permute(0, 2, 3, 1).flatten().tolist(), "conv.bias": conv.bias.tolist(),
            "bn.gamma": bn.weight.tolist(), "bn.beta": bn.bias.tolist(), "bn.moving_mean": bn.running_mean.tolist(),
            "bn.moving_variance": keras_var.tolist(), "y.weight": fc.weight.flatten().tolist(), "y.bias": fc.bias.tolist()}
losses, weights, start = [], [], 0
for s in range(STEPS):
    end = min(start + B, N)
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(forward(X[start:end]), Y[start:end])
    loss.backward(); opt.step()
    losses.append(loss.item()); weights.append(snapshot())
    start = 0 if end == N else end
bn.eval()
with torch.no_grad():
    bn.running_var.copy_(keras_var)
    pred = torch.softmax(forward(X), 1).flatten().tolist()
print(json.dumps({"losses": losses, "weights": weights, "pred": pred}))
`;

describe('a conv net with batch norm trains like PyTorch', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    requireTorch(this);
    dir = mkdtempSync(path.join(tmpdir(), 'nn-convtorch-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it(`${STEPS} steps of SGD with momentum, batches of ${BATCH} over ${ROWS} rows: losses, weights and moving statistics within ${TOL}; then predictions`, async () => {
    const net = smallConvnet();
    const data = smallImages();
    const initial = Object.fromEntries([...net.weights].map(([k, v]) => [k, { shape: v.shape, data: Array.from(v.data) }]));
    assert.deepEqual(initial['conv.weight'].shape, [4, 3, 3, 2]);
    assert.deepEqual(initial['bn.moving_variance'].data, [1, 1, 1, 1]);
    const input = path.join(dir, 'run.json');
    writeFileSync(input, JSON.stringify({
      h: H, w: W, c: C, rows: ROWS, batch: BATCH, steps: STEPS, lr: CONV_SETTINGS.optimizer.learningRate, momentum: CONV_SETTINGS.optimizer.momentum,
      x: Array.from(data.x), y: Array.from(data.y), weights: initial,
    }));
    writeFileSync(path.join(dir, 'run.py'), PY);
    const want = JSON.parse(runPython(['run.py', input], { cwd: dir })) as { losses: number[]; weights: Record<string, number[]>[]; pred: number[] };

    const session = new TrainingSession(new CpuBackend(), net, { train: data }, CONV_SETTINGS);
    try {
      for (let s = 0; s < STEPS; s++) {
        const o = await session.step();
        const where = `step ${s + 1} (${o.step === 3 ? 'the 4-row batch' : 'a full batch'})`;
        assert.ok(Math.abs(o.loss! - want.losses[s]) <= TOL * Math.max(1, want.losses[s]), `${where}: loss ${o.loss} vs PyTorch ${want.losses[s]}`);
        const got = await session.readWeights();
        for (const [key, w] of Object.entries(want.weights[s])) {
          const g = got.get(key)!.data;
          const worst = w.reduce((m, v, i) => Math.max(m, Math.abs(g[i] - v)), 0);
          assert.ok(worst <= TOL, `${where}: ${key} differs by ${worst.toExponential(2)} from PyTorch`);
        }
      }
      // The moving statistics moved (so the comparison above means something).
      const moved = await session.readWeights();
      assert.ok(moved.get('bn.moving_variance')!.data.some((v) => Math.abs(v - 1) > 0.05));
      const pred = await session.predict(data.x, ROWS);
      const worst = want.pred.reduce((m, v, i) => Math.max(m, Math.abs(pred[i] - v)), 0);
      assert.ok(worst <= TOL, `predictions after training differ by ${worst.toExponential(2)} from PyTorch in eval mode`);
    } finally {
      session.dispose();
    }
  });
});
