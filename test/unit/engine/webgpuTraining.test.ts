/**
 * Training on the WebGPU backend end to end (Mesa's CPU driver where there is no GPU): the XOR
 * example reaches the same target as on the CPU, a short spiral run follows the CPU run step for
 * step, and `auto` explains its choice. The pure auto decision is tested without any device.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileNetwork, train, trainSettingsFrom, type TrainEvent, type TrainResult } from '../../../src/engine';
import { loadData, splitData } from '../../../src/engine/data';
import { decideBackend, GPU_MIN_WORK, webGpuPicker } from '../../../src/engine/webgpu/autoBackend';
import { gpuDeviceNodes, type GpuAdapterReport } from '../../../src/engine/webgpu/gpuDevice';
import { checkNetwork } from '../../../src/model';
import { backendsUnderTest } from './backends';

const examples = path.resolve(__dirname, '../../../examples');

/** Trains a shipped example (optionally edited) on a backend; returns the result and the events. */
async function trainExample(name: string, backend: 'cpu' | 'webgpu' | 'auto', edit?: (doc: Record<string, unknown> & { training: Record<string, unknown> }) => void): Promise<{ result: TrainResult; events: TrainEvent[] }> {
  const raw = JSON.parse(fs.readFileSync(path.join(examples, name), 'utf8'));
  edit?.(raw);
  const checked = checkNetwork(JSON.stringify(raw));
  assert.ok(checked.analysis && checked.parsed.doc, `${name} has errors: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const doc = checked.parsed.doc;
  const settings = trainSettingsFrom(doc.training);
  const ds = await loadData(doc.training!.data!, { baseDir: examples, seed: settings.seed });
  const split = splitData(ds, settings.validationSplit, { seed: settings.seed, shuffle: settings.shuffle });
  const net = compileNetwork(doc, checked.analysis, { seed: settings.seed });
  const events: TrainEvent[] = [];
  const result = await train(net, split, settings, { backend, onEvent: (e) => events.push(e), eventEveryMs: 1e9 });
  return { result, events };
}

describe('webgpu auto selection (no device needed)', () => {
  const hardware: GpuAdapterReport = { name: 'NVIDIA H100', route: 'default', software: false, reason: 'found' };
  const software: GpuAdapterReport = { name: 'llvmpipe (Mesa)', route: 'opengles-compat', software: true, reason: 'fallback' };

  it('keeps small networks on the CPU whatever the adapter, saying why', () => {
    const d = decideBackend({ params: 337, batch: 32 }, hardware);
    assert.equal(d.backend, 'cpu');
    assert.match(d.reason, /337 parameters × batch 32 is below the 1,000,000/);
  });

  it('puts large networks on a hardware GPU, and on the CPU when the adapter is software', () => {
    const mnist = { params: 109_386, batch: 64 };
    assert.ok(mnist.params * mnist.batch >= GPU_MIN_WORK);
    assert.deepEqual(decideBackend(mnist, hardware).backend, 'webgpu');
    assert.match(decideBackend(mnist, hardware).reason, /WebGPU on NVIDIA H100/);
    const soft = decideBackend(mnist, software);
    assert.equal(soft.backend, 'cpu');
    assert.match(soft.reason, /software renderer \(llvmpipe \(Mesa\)\)/);
  });

  it('falls back to the CPU when no adapter exists, passing on the install hint', () => {
    const d = decideBackend({ params: 2_000_000, batch: 256 }, undefined, 'install mesa-vulkan-drivers');
    assert.equal(d.backend, 'cpu');
    assert.match(d.reason, /no WebGPU adapter \(install mesa-vulkan-drivers\)/);
  });
});

describe('training on the webgpu backend', function () {
  this.timeout(180000);
  let adapterSoftware = false;
  before(async function () {
    const entry = backendsUnderTest.find((b) => b.name === 'webgpu');
    const b = await entry!.create();
    if (!b) this.skip();
    adapterSoftware = (b as unknown as { adapter: GpuAdapterReport }).adapter.software;
    b!.dispose();
  });

  it('XOR with ReLU reaches 100% accuracy on clean data, as on the CPU', async () => {
    const { result, events } = await trainExample('xor-relu.nn', 'webgpu', (d) => { (d.training.data as Record<string, unknown>).noise = 0; });
    assert.equal(result.backend, 'webgpu');
    const start = events.find((e) => e.type === 'start');
    assert.ok(start && start.type === 'start' && /webgpu requested/.test(start.reason), 'the start event says why webgpu runs');
    assert.equal(result.metrics.accuracy, 1, `accuracy ${result.metrics.accuracy}`);
  });

  it('follows the CPU run closely: same seed, same shuffles, same losses to float32 rounding', async () => {
    const short = (d: { training: Record<string, unknown> }): void => { d.training.epochs = 3; };
    const [cpu, gpu] = [await trainExample('spiral.nn', 'cpu', short), await trainExample('spiral.nn', 'webgpu', short)];
    assert.equal(gpu.result.history.length, 3);
    cpu.result.history.forEach((h, i) => {
      const g = gpu.result.history[i];
      assert.ok(Math.abs(g.loss - h.loss) <= 1e-3 * Math.abs(h.loss), `epoch ${h.epoch}: loss ${g.loss} on webgpu vs ${h.loss} on cpu`);
    });
    for (const [key, w] of cpu.result.weights) {
      const g = gpu.result.weights.get(key)!;
      for (let i = 0; i < w.data.length; i++) {
        assert.ok(Math.abs(g.data[i] - w.data[i]) <= 1e-3 * (1 + Math.abs(w.data[i])), `${key}[${i}]: ${g.data[i]} vs ${w.data[i]}`);
      }
    }
  });

  it('auto explains its pick for a network big enough to want a GPU', async () => {
    const picked = await webGpuPicker('auto', { params: 200_000, batch: 64 });
    assert.ok(picked);
    if (gpuDeviceNodes()?.length === 0) {
      // Decided without loading Dawn: no GPU device node can mean no hardware adapter.
      assert.equal(picked.backend.name, 'cpu');
      assert.match(picked.reason, /no GPU device \(no \/dev\/dri render node/);
    } else if (adapterSoftware) {
      assert.equal(picked.backend.name, 'cpu');
      assert.match(picked.reason, /software renderer/);
    } else {
      assert.equal(picked.backend.name, 'webgpu');
    }
    picked.backend.dispose();
  });
});
