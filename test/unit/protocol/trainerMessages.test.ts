import * as assert from 'node:assert/strict';
import { FromTrainerMessage, MalformedMessage, ToTrainerMessage } from '../../../src/protocol';

const validateToTrainer = (raw: unknown) => ToTrainerMessage.validate(raw);
const validateFromTrainer = (raw: unknown) => FromTrainerMessage.validate(raw);

const job = { text: '{ "format": "nn/1" }', file: '/ws/a.nn', allowedRoots: ['/ws'] };
const metrics = { accuracy: 0.5, confusion: [[1, 0], [0, 1]] };
const stats = { l2: 1, mean: 0, std: 1, histogram: { min: -1, max: 1, counts: [1, 2] } };

function problem(r: unknown): string {
  assert.ok(r instanceof MalformedMessage, `expected a rejection, got ${JSON.stringify(r)}`);
  return r.line;
}

describe('trainer messages (both directions of the training process IPC)', () => {
  it('accepts every well-formed host → process message', () => {
    const ok = [
      { type: 'train', runId: 1, overrides: {}, ...job },
      { type: 'train', runId: 2, overrides: { epochs: 5, learningRate: 0.1, backend: 'cpu' }, boundarySize: 64, eventEveryMs: 50, ...job },
      { type: 'stop', runId: 1 },
      { type: 'step', requestId: 3, runId: 4, ...job },
      { type: 'resetStep' },
      { type: 'predict', requestId: 5, inputs: [2.3, -10.2], ...job },
      { type: 'checkGradients', requestId: 6, ...job },
      { type: 'export', requestId: 7, format: 'onnx', out: '/ws/a.onnx', noData: true, ...job },
    ];
    for (const m of ok) assert.deepEqual(validateToTrainer(m), m);
  });

  it('rejects garbage, unknown types, missing and extra fields, wrong types and huge numbers, naming the type', () => {
    assert.match(problem(validateToTrainer(null)), /object with a string "type"/);
    assert.match(problem(validateToTrainer('stop')), /object with a string "type"/);
    assert.match(problem(validateToTrainer({ type: 'stop' })), /"stop" message: "runId" is missing/);
    assert.match(problem(validateToTrainer({ type: 'stop', runId: 1e308 })), /"runId" must be a whole number/);
    assert.match(problem(validateToTrainer({ type: 'stop', runId: 1.5 })), /"runId" must be a whole number/);
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      assert.match(problem(validateToTrainer({ type: name })), /unknown message type/, name);
      assert.match(problem(validateFromTrainer({ type: name })), /unknown message type/, name);
    }
    assert.match(problem(validateToTrainer({ type: 'resetStep', all: true })), /unexpected field "all"/);
    assert.match(problem(validateToTrainer({ type: 'train', runId: 1, overrides: { epochs: 2e6 }, ...job })), /"overrides\.epochs" must be a whole number from 1 to 1000000/);
    assert.match(problem(validateToTrainer({ type: 'train', runId: 1, overrides: { rm: '-rf' }, ...job })), /unexpected field "overrides\.rm"/);
    assert.match(problem(validateToTrainer({ type: 'train', runId: 1, overrides: {}, ...job, file: '' })), /"file" must be a file path/);
    assert.match(problem(validateToTrainer({ type: 'predict', requestId: 1, inputs: [Infinity], ...job })), /"inputs\[0\]" must be a number/);
    assert.match(problem(validateToTrainer({ type: 'export', requestId: 1, format: 'tflite', ...job })), /cannot export to 'tflite': choose one of pytorch, keras, onnx/);
    const withId = validateToTrainer({ type: 'checkGradients', requestId: 12, ...job, allowedRoots: 7 });
    assert.ok(withId instanceof MalformedMessage && withId.requestId === 12, 'a readable requestId is kept so the request can be answered');
    const line = problem(validateToTrainer({ type: 'stop', runId: 1, ['evil\n\u001b[31mkey']: 1 }));
    assert.ok(!/[\n\u001b]/.test(line), `one line without raw control characters: ${line}`);
  });

  it('accepts every kind of update the process sends, typed arrays included', () => {
    const updates = [
      {
        kind: 'start', runId: 1, file: 'a.nn', backend: 'cpu', reason: 'small', mode: 'train', paramCounts: [{ id: 'h', count: 9 }], totalParams: 9,
        trainCount: 8, validationCount: 2, epochs: 3, stepsPerEpoch: 1, batchSize: 8, notices: [],
        points: { x: new Float32Array(4), label: new Float32Array(2), validation: new Uint8Array(2) }, classes: 2,
      },
      { kind: 'progress', runId: 1, epoch: 1, step: 1, totalSteps: 1, globalStep: 1, loss: NaN, samplesPerSec: 1 },
      { kind: 'epoch', runId: 1, epoch: 1, epochs: 3, loss: 0.5, valLoss: undefined, metrics, samplesPerSec: 1 },
      { kind: 'layers', runId: 1, globalStep: 1, layers: [{ id: 'h', weight: stats, grad: stats, deadFraction: 0 }] },
      { kind: 'boundary', runId: 1, size: 2, extent: [0, 1, 0, 1], width: 1, values: new Float32Array(4) },
      { kind: 'weights', runId: 1, layers: { h: { shape: [2, 2], data: new Float32Array(4) } } },
      { kind: 'done', runId: 1, epochs: 3, loss: 0.1, metrics: {}, stopped: 'completed', reason: 'done', elapsedMs: 5, samplesPerSec: 1, weightsFile: '/ws/a.weights.safetensors' },
      { kind: 'error', runId: -1, message: 'the training process failed' },
      { kind: 'exited', runId: 1, message: 'killed' },
      { kind: 'reset', runId: 0, message: 'reset' },
      { kind: 'saved', runId: 0, weightsFile: 'a.weights.safetensors' },
    ];
    for (const update of updates) {
      const m = { type: 'update', update };
      assert.deepEqual(validateFromTrainer(m), m, update.kind);
    }
    assert.ok(!(validateFromTrainer({ type: 'ready', pid: 42 }) instanceof MalformedMessage));
    assert.ok(!(validateFromTrainer({ type: 'response', requestId: 1, ok: true, value: { outputs: new Float32Array(1), source: 'x' } }) instanceof MalformedMessage));
  });

  it('rejects malformed updates and answers', () => {
    assert.match(problem(validateFromTrainer({ type: 'update', update: { kind: 'progress', runId: 1 } })), /"update\.epoch" is missing/);
    assert.match(problem(validateFromTrainer({ type: 'update', update: { kind: 'boundary', runId: 1, size: 2, extent: [0, 1], width: 1, values: new Float32Array(4) } })), /"update\.extent" must be a list of 4 to 4 items/);
    assert.match(problem(validateFromTrainer({ type: 'update', update: { kind: 'weights', runId: 1, layers: { h: { shape: [2], data: [1, 2] } } } })), /"update\.layers\.h\.data" must be a Float32Array/);
    assert.match(problem(validateFromTrainer({ type: 'update', update: { kind: 'constructor', runId: 1 } })), /unknown update kind "constructor"/);
    assert.match(problem(validateFromTrainer({ type: 'response', requestId: 1, ok: true, value: () => 1 })), /"value" must be plain data/);
    assert.match(problem(validateFromTrainer({ type: 'response', requestId: -3, ok: true })), /"requestId" must be a whole number/);
  });
});
