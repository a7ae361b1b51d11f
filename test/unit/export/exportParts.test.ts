import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { datasetCsv, datasetCsvContent } from '../../../src/export/dataCsv';
import { buildExportPlan } from '../../../src/export/exportPlan';
import { exportOnnx } from '../../../src/export/onnx/onnxExport';
import { pyFloat, pythonNames } from '../../../src/export/pythonNames';
import { resolveTraining } from '../../../src/export/trainingPlan';
import type { NetworkDoc } from '../../../src/model/types';
import { fixtureAnalysis, interviewDoc } from './exportFixtures';

describe('export parts', () => {
  it('turns node ids into distinct Python names that shadow nothing the scripts use', () => {
    const names = pythonNames(['h-1', 'h_1', '2nd', 'forward', 'class', 'step', 'x', 'self', 'torch']);
    assert.deepEqual([...names.values()], ['h_1', 'h_1_2', 'n_2nd', 'forward_', 'class_', 'step', 'x', 'self_', 'torch_']);
    assert.equal(new Set(names.values()).size, names.size);
  });

  it('writes float literals Python reads back exactly', () => {
    assert.equal(pyFloat(1), '1.0');
    assert.equal(pyFloat(-0.25), '-0.25');
    assert.equal(pyFloat(1e-7), '1e-7');
    assert.equal(pyFloat(Math.fround(0.1)), String(Math.fround(0.1)));
  });

  it('writes the data rows so float32 values survive the round trip, train rows first', () => {
    const x = Float32Array.of(0.1, -1 / 3, 1e-8, 12345.678);
    const csv = datasetCsv({
      train: { x: x.subarray(0, 2), y: Float32Array.of(1), count: 1, inputSize: 2, outputSize: 1, featureNames: ['a', 'b,c'], labelNames: ['y'] },
      validation: { x: x.subarray(2), y: Float32Array.of(0), count: 1, inputSize: 2, outputSize: 1, featureNames: ['a', 'b,c'], labelNames: ['y'] },
    });
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'split,x:a,"x:b,c",y:y');
    assert.match(lines[1], /^train,/);
    assert.match(lines[2], /^validation,/);
    const back = [...lines[1].split(',').slice(1, 3), ...lines[2].split(',').slice(1, 3)].map((s) => Math.fround(Number(s)));
    assert.deepEqual(back, Array.from(x));
  });

  it('writes a CSV too large for one string (MNIST-sized) as UTF-8 bytes, chunk by chunk, with the same text', () => {
    const count = 50;
    const ds = {
      x: Float32Array.from({ length: count * 3 }, (_, i) => i / 7), y: Float32Array.from({ length: count }, (_, i) => i % 2),
      count, inputSize: 3, outputSize: 1, featureNames: ['a', 'b', 'c'], labelNames: ['y'],
    };
    const small = datasetCsvContent({ train: ds });
    assert.equal(typeof small, 'string');
    const chunked = datasetCsvContent({ train: ds }, 100);
    assert.ok(chunked instanceof Uint8Array, 'bytes once the text passes the chunk size');
    assert.equal(new TextDecoder().decode(chunked), small);
  });

  it('folds a three-way multiply into binary ONNX Mul nodes in edge order', async () => {
    const doc: NetworkDoc = {
      format: 'nn/1', name: 'mul3',
      nodes: [
        { id: 'in', type: 'input', units: 2 },
        { id: 'a', type: 'dense', units: 2, weights: [[1, 0], [0, 1]], bias: [1, 2] },
        { id: 'b', type: 'dense', units: 2, weights: [[2, 0], [0, 2]], bias: [0, 0] },
        { id: 'c', type: 'dense', units: 2, weights: [[0, 1], [1, 0]], bias: [0, 1] },
        { id: 'm', type: 'multiply' },
      ],
      edges: [{ from: 'in', to: 'a' }, { from: 'in', to: 'b' }, { from: 'in', to: 'c' }, { from: 'a', to: 'm' }, { from: 'b', to: 'm' }, { from: 'c', to: 'm' }],
    };
    const session = await ort.InferenceSession.create(exportOnnx(buildExportPlan(doc, fixtureAnalysis(doc))));
    const out = await session.run({ in: new ort.Tensor('float32', Float32Array.of(3, 5), [1, 2]) });
    // a = (4, 7), b = (6, 10), c = (5, 4): product (120, 280).
    assert.deepEqual(Array.from(out.m.data as Float32Array), [120, 280]);
  });

  it('resolves training defaults the way the engine does and folds sigmoid into the loss', () => {
    const doc: NetworkDoc = { ...interviewDoc, training: { loss: 'binary_crossentropy', optimizer: { type: 'sgd' } } };
    const t = resolveTraining(doc, buildExportPlan(doc, fixtureAnalysis(doc)));
    assert.equal(t.fromLogits, true);
    assert.equal(t.optimizer.learningRate, 0.01);
    assert.equal(t.batchSize, 32);
    assert.equal(t.seed, 42);
    const mse = resolveTraining({ ...doc, training: { loss: 'mse' } }, buildExportPlan(doc, fixtureAnalysis(doc)));
    assert.equal(mse.fromLogits, false);
    assert.equal(mse.optimizer.type, 'adam');
  });
});
