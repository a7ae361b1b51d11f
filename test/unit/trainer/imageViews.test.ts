/**
 * The views of an image network, from the training process: the grid of validation images
 * (mistakes first, bounded in size and rate, from the evaluation's own predictions), the first
 * conv layer's filters once an epoch, and a conv node's feature maps for one chosen image, during
 * and after a run. Drives the trainer's core in-process on a tiny digits convnet.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CompiledNetwork } from '../../../src/engine';
import type { Dataset } from '../../../src/engine/data';
import { readWeightsFile } from '../../../src/engine/weights';
import { checkDesign, loadJobData, settingsFor } from '../../../src/jobs';
import { MalformedMessage, TrainingUpdate, type FeatureMapsValue, type FromTrainer, type ResponseMessage } from '../../../src/protocol';
import { filtersUpdate, gridRows, imageGrid, imagePicture, ImageStream, type ImageSource } from '../../../src/trainer/imageViews';
import { TrainerCore } from '../../../src/trainer/trainerCore';

const root = path.resolve(__dirname, '../../..');
type Images = Extract<TrainingUpdate, { kind: 'images' }>;
type Filters = Extract<TrainingUpdate, { kind: 'filters' }>;

/** Four 2×2 one-channel images of two classes (one-hot targets). */
function tinySource(): ImageSource {
  const data: Dataset = {
    x: Float32Array.from([0, 1, 2, 3, 5, 5, 5, 5, -1, 0, 0, 1, 4, 3, 2, 1]), y: Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]),
    count: 4, inputSize: 4, outputSize: 2, featureNames: ['a', 'b', 'c', 'd'], labelNames: ['cat', 'dog'], task: 'multiclass',
  };
  return { shape: [2, 2, 1], set: 'validation', data };
}

describe('image views (training process)', function () {
  this.timeout(120000);

  it('puts every mistake first, then correct rows, in row order, at most the limit', () => {
    assert.deepEqual(gridRows([0, 1, 2, 3, 4], [0, 0, 2, 1, 4], 5, 10), [1, 3, 0, 2, 4]);
    assert.deepEqual(gridRows([0, 1, 2, 3, 4], [0, 0, 2, 1, 4], 5, 3), [1, 3, 0]);
  });

  it('draws an image with the data\'s standardisation undone, scaled 0–255 on its own; a flat image is black', () => {
    const src = tinySource();
    assert.deepEqual(Array.from(imagePicture(src, 0).pixels), [0, 85, 170, 255]);
    assert.deepEqual(Array.from(imagePicture(src, 1).pixels), [255, 255, 255, 255]);
    // Standardised rows (x − mean) / std come back as the raw pixels' picture.
    const std = { ...src, standardizer: { mean: Float64Array.from([10, 10, 10, 10]), std: Float64Array.from([2, 2, 2, 2]) } } as unknown as ImageSource;
    const z = Float32Array.from([0, 1, 2, 3].map((v) => (v - 10) / 2));
    std.data = { ...src.data, x: z, count: 1, y: src.data.y.slice(0, 2) };
    assert.deepEqual(Array.from(imagePicture(std, 0).pixels), [0, 85, 170, 255]);
  });

  it('builds a grid from the evaluation\'s outputs: true and predicted classes, confidence, names, counts', () => {
    const outputs = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.3, 0.7, 0.4, 0.6]);
    const g = imageGrid(1, 2, tinySource(), outputs) as Images;
    assert.ok(!(TrainingUpdate.validate(g) instanceof MalformedMessage), 'a valid update');
    assert.deepEqual(g.rows, [1, 2, 0, 3], 'rows 1 (dog → cat) and 2 (cat → dog) are the mistakes');
    assert.deepEqual(g.actual, [1, 0, 0, 1]);
    assert.deepEqual(g.predicted, [0, 1, 0, 1]);
    assert.deepEqual(g.confidence.map((c) => Math.round(c * 10) / 10), [0.8, 0.7, 0.9, 0.6]);
    assert.deepEqual(g.classNames, ['cat', 'dog']);
    assert.equal(g.total, 4);
    assert.equal(g.wrong, 2);
    assert.equal(g.pixels.length, 16);
    assert.equal(imageGrid(1, 2, tinySource(), outputs, 3)?.kind === 'images' && (imageGrid(1, 2, tinySource(), outputs, 3) as Images).rows.length, 3);
  });

  it('streams the first filters that fit, saying how many the layer has', () => {
    const w = new Map([['c.weight', { shape: [5000, 3, 3, 1], data: new Float32Array(45000) }]]);
    const f = filtersUpdate(1, 1, 10, 'c', w) as Filters;
    assert.deepEqual(f.shape, [3640, 3, 3, 1]);
    assert.equal(f.of, 5000);
    assert.ok(!(TrainingUpdate.validate(f) instanceof MalformedMessage));
  });

  it('sends a grid at most once per interval and the filters once per epoch', () => {
    const net = { layers: [{ id: 'c', kind: 'conv2d', inputs: [], units: 4 }] } as unknown as CompiledNetwork;
    const s = new ImageStream(1, net, tinySource(), 60_000);
    const w = new Map([['c.weight', { shape: [1, 2, 2, 1], data: new Float32Array(4) }]]);
    const out = Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.3, 0.7, 0.4, 0.6]);
    const kinds = [s.live(1, 1, w, out), s.live(1, 2, w, out), s.live(2, 3, w, out), s.final(2, 4, w, out)].map((us) => us.map((u) => u.kind).join('+'));
    assert.deepEqual(kinds, ['images+filters', '', 'filters', 'images+filters']);
  });

  it('Step on an image network sends the grid and the filters, not a boundary', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-images-step-'));
    const file = path.join(dir, 'digits-conv.nn');
    fs.copyFileSync(path.join(root, 'test/unit/trainer/fixtures/digits-conv.nn'), file);
    const updates: TrainingUpdate[] = [];
    const answers: ResponseMessage[] = [];
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      if (m.type === 'update') updates.push(m.update);
      else if (m.type === 'response') answers.push(m);
    });
    core.receive({ type: 'step', requestId: 1, runId: 5, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] });
    for (let i = 0; i < 500 && answers.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(answers[0]?.ok, answers[0]?.error);
    const kinds = updates.map((u) => u.kind);
    assert.ok(kinds.includes('images') && kinds.includes('filters') && !kinds.includes('boundary'), kinds.join(','));
    for (const u of updates) assert.ok(!(TrainingUpdate.validate(u) instanceof MalformedMessage), u.kind);
  });

  it('trains a digits convnet: image grids and filters instead of the boundary, and feature maps during and after the run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-images-'));
    const file = path.join(dir, 'digits-conv.nn');
    fs.copyFileSync(path.join(root, 'test/unit/trainer/fixtures/digits-conv.nn'), file);
    const text = fs.readFileSync(file, 'utf8');
    const job = { text, file, allowedRoots: [dir] };
    const updates: TrainingUpdate[] = [];
    const answers = new Map<number, ResponseMessage>();
    const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
      if (m.type === 'update') updates.push(m.update);
      if (m.type === 'response') answers.set(m.requestId, m);
    });
    let nextId = 1;
    const ask = async (node: string, row: number): Promise<ResponseMessage> => {
      const requestId = nextId++;
      core.receive({ type: 'featureMaps', requestId, node, row, ...job });
      for (let i = 0; i < 600 && !answers.has(requestId); i++) await new Promise((r) => setTimeout(r, 20));
      return answers.get(requestId) as ResponseMessage;
    };
    const t0 = Date.now();
    core.receive({ type: 'train', runId: 1, overrides: { backend: 'cpu', epochs: 4 }, eventEveryMs: 20, ...job });
    // While it trains: the live weights' maps, once the run has read them.
    let during: ResponseMessage | undefined;
    for (let i = 0; i < 500 && core.busy && !during; i++) {
      await new Promise((r) => setTimeout(r, 20));
      if (updates.some((u) => u.kind === 'images')) during = await ask('c1', 0);
    }
    await core.idle();
    const seconds = (Date.now() - t0) / 1000;
    for (const u of updates) assert.ok(!(TrainingUpdate.validate(u) instanceof MalformedMessage), `${u.kind} is a valid update`);
    assert.equal(updates.at(-1)?.kind, 'done', JSON.stringify(updates.filter((u) => u.kind === 'error')));
    assert.equal(updates.filter((u) => u.kind === 'boundary').length, 0, 'no decision boundary for an image network');
    const grids = updates.filter((u): u is Images => u.kind === 'images');
    assert.ok(grids.length >= 1 && grids.length <= Math.ceil(seconds) + 2, `${grids.length} grids in ${seconds.toFixed(1)} s (at most about one a second)`);
    const last = grids.at(-1) as Images;
    assert.equal(last.set, 'validation');
    assert.equal(last.total, 359);
    assert.deepEqual(last.shape, [8, 8, 1]);
    assert.equal(last.rows.length, 32);
    assert.deepEqual(last.classNames.length, 10);
    const mistakes = last.rows.filter((_, i) => last.actual[i] !== last.predicted[i]).length;
    assert.equal(mistakes, Math.min(32, last.wrong), 'every mistake shown comes first');
    assert.ok(last.rows.slice(0, mistakes).every((_, i) => last.actual[i] !== last.predicted[i]));
    const done = updates.at(-1) as Extract<TrainingUpdate, { kind: 'done' }>;
    assert.ok(Math.abs(1 - last.wrong / last.total - (done.metrics.accuracy ?? -1)) < 1e-9, 'the final grid counts the same mistakes as the final accuracy');
    const filters = updates.filter((u): u is Filters => u.kind === 'filters');
    assert.ok(filters.length >= 2 && filters.length <= 4 + 1, `${filters.length} filter snapshots for 4 epochs`);
    assert.deepEqual(filters.at(-1)?.shape, [4, 3, 3, 1]);
    assert.equal(filters.at(-1)?.node, 'c1');
    assert.ok(filters.every((f, i) => i === 0 || f.epoch >= filters[i - 1].epoch));

    assert.ok(during?.ok, `feature maps during the run: ${during?.error}`);
    assert.equal((during?.value as FeatureMapsValue).source, 'the weights of the run in progress');

    // After the run: the saved weights; check one map value by hand (relu of the 3×3 window).
    const row = last.rows[0];
    const after = await ask('c1', row);
    assert.ok(after.ok, after.error);
    const maps = after.value as FeatureMapsValue;
    assert.deepEqual(maps.shape, [6, 6, 4]);
    assert.equal(maps.data.length, 144);
    assert.deepEqual(maps.image.shape, [8, 8, 1]);
    assert.equal(maps.actual, last.actual[0]);
    assert.equal(maps.predicted, last.predicted[0]);
    assert.match(maps.source, /digits-conv\.weights\.safetensors/);
    const design = checkDesign(job);
    const split = await loadJobData(design, settingsFor(design.doc), [dir]);
    const x = (split.validation as Dataset).x.subarray(row * 64, (row + 1) * 64);
    const saved = await readWeightsFile(path.join(dir, 'digits-conv.weights.safetensors'));
    const w = saved.tensors.get('c1.weight')?.data as Float32Array, b = saved.tensors.get('c1.bias')?.data as Float32Array;
    for (const [r, c, f] of [[0, 0, 0], [2, 3, 1], [5, 5, 3]]) {
      let z = b[f];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) z += w[f * 9 + i * 3 + j] * x[(r + i) * 8 + (c + j)];
      assert.ok(Math.abs(maps.data[(r * 6 + c) * 4 + f] - Math.max(0, z)) < 1e-4, `map (${r}, ${c}, ${f})`);
    }
    const flat = await ask('flat', row);
    assert.equal(flat.ok, false);
    assert.match(flat.error ?? '', /'flat' outputs a vector of 144 values, not images: select a conv or pooling node/);
    const missing = await ask('c1', 100000);
    assert.match(missing.error ?? '', /the validation set has 359 images; image 100000 does not exist/);
  });
});
