/**
 * Every message of every channel, from its one definition: the tables below must name one
 * well-formed example per message type (a missing or unknown type fails the type check and this
 * test), each example passes its channel's check unchanged, and from each example the test derives
 * malformed ones (each required field missing, each field holding a value no schema accepts, an
 * unknown field), which must be refused with a reason naming the field.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import {
  FromEditorMessage, FromPanelMessage, FromSummaryMessage, FromTrainerMessage, type Infer, MalformedMessage, ProbeMessage, SavedWeightsState, SummaryProbeMessage,
  ToEditorMessage, ToPanelMessage, ToSummaryMessage, ToTrainerMessage, TrainingUpdate,
} from '../../../src/protocol';

/** One example per member of a union tagged by `Tag`. */
type Examples<U, Tag extends string> = { [K in U extends Record<Tag, infer V> ? V & string : never]: Extract<U, Record<Tag, K>> };

interface Checked {
  readonly variants: Readonly<Record<string, { readonly fields: Readonly<Record<string, { optional?: boolean }>> }>>;
  readonly check: (v: unknown, at: string) => string | undefined;
}

const job = { text: '{ "format": "nn/1" }', file: '/ws/a.nn', allowedRoots: ['/ws'] };
const stats = { l2: 1, mean: 0, std: 1, histogram: { min: -1, max: 1, counts: [1, 2] } };
const snapshot = documentSnapshot(readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8'), 3, 'interview.nn').snapshot;
const check = { file: 'a.nn', what: '∂output/∂parameter', rows: [{ tensor: 'h.weight', checked: 6, analyticNorm: 1, numericNorm: 1, relativeError: 1e-7, samples: [{ index: 0, analytic: 0.5, numeric: 0.5 }] }] };

const updates: Examples<Infer<typeof TrainingUpdate>, 'kind'> = {
  start: {
    kind: 'start', runId: 1, file: 'a.nn', backend: 'cpu', reason: 'small', mode: 'train', paramCounts: [{ id: 'h', count: 9 }], totalParams: 9,
    trainCount: 8, validationCount: 2, epochs: 3, stepsPerEpoch: 1, batchSize: 8, notices: [],
    points: { x: new Float32Array(4), label: new Float32Array(2), validation: new Uint8Array(2) }, classes: 2,
  },
  progress: { kind: 'progress', runId: 1, epoch: 1, step: 1, totalSteps: 1, globalStep: 1, loss: 0.5, samplesPerSec: 1 },
  epoch: { kind: 'epoch', runId: 1, epoch: 1, epochs: 3, loss: 0.5, valLoss: 0.6, metrics: { accuracy: 0.5, confusion: [[1, 0], [0, 1]] }, samplesPerSec: 1 },
  layers: { kind: 'layers', runId: 1, globalStep: 1, layers: [{ id: 'h', weight: stats, grad: stats, deadFraction: 0 }] },
  boundary: { kind: 'boundary', runId: 1, size: 2, extent: [0, 1, 0, 1], width: 1, values: new Float32Array(4) },
  weights: { kind: 'weights', runId: 1, layers: { h: { shape: [2, 2], data: new Float32Array(4) } } },
  neurons: { kind: 'neurons', runId: 1, size: 2, extent: [0, 1, 0, 1], layers: [{ id: 'h', units: 3, range: 'signed', scale: [1, 1.5, 2], levels: new Uint8Array(12) }] },
  done: { kind: 'done', runId: 1, epochs: 3, loss: 0.1, metrics: {}, stopped: 'completed', reason: 'done', elapsedMs: 5, samplesPerSec: 1, weightsFile: '/ws/a.weights.safetensors' },
  error: { kind: 'error', runId: -1, message: 'the training process failed', layer: 'h' },
  exited: { kind: 'exited', runId: 1, message: 'killed' },
  reset: { kind: 'reset', runId: 0, message: 'reset' },
  saved: { kind: 'saved', runId: 0, weightsFile: '/ws/a.weights.safetensors' },
  images: {
    kind: 'images', runId: 1, epoch: 2, set: 'validation', shape: [2, 2, 1], pixels: new Uint8Array(8), rows: [7, 3], actual: [1, 0], predicted: [0, 0], confidence: [0.9, 0.6],
    classNames: ['zero', 'one'], total: 10, wrong: 1,
  },
  filters: { kind: 'filters', runId: 1, epoch: 2, globalStep: 40, node: 'c1', shape: [2, 3, 3, 1], of: 4, data: new Float32Array(18) },
};
const predictInfo = {
  file: 'interview.nn', features: ['GPA', 'Experience'], classes: ['not Interview', 'Interview'], outputs: ['y'], task: 'binary' as const,
  scale: { mean: [3, 5], std: [0.5, 3] }, boundary: { size: 2, extent: [0, 4, 0, 15] as [number, number, number, number], width: 1, values: new Float32Array(4) },
  points: { x: new Float32Array(4), label: new Float32Array(2), validation: new Uint8Array(2) }, source: 'inline weights', problem: 'interview.nn has no trained weights yet',
};
const maps = { node: 'c1', row: 7, set: 'validation' as const, shape: [2, 2, 2] as [number, number, number], data: new Float32Array(8), image: { shape: [2, 2, 1] as [number, number, number], pixels: new Uint8Array(4) }, actual: 1, predicted: 0, source: 'the live weights of the run' };

const channels: Array<{ name: string; union: Checked; tag: string; examples: Record<string, Record<string, unknown>> }> = [
  {
    name: 'host → editor', union: ToEditorMessage, tag: 'type', examples: {
      document: { type: 'document', snapshot },
      action: { type: 'action', action: 'fitView' },
      exportDiagram: { type: 'exportDiagram', requestId: 1, format: 'svg', theme: 'dark' },
      notice: { type: 'notice', level: 'error', message: 'There is no node h9 in this file.' },
      training: { type: 'training', update: updates.progress },
      selectNode: { type: 'selectNode', id: 'h' },
      csvPreview: { type: 'csvPreview', preview: { path: 'data/pass.csv', header: ['hours', 'passed'], rows: [['4', '1']], error: 'outside the workspace' } },
      runs: { type: 'runs', file: 'a.runs.jsonl', runs: [{ line: 2, format: 'nn-run/1', design: 'a.nn', started: '2026-11-30T17:20:00.000Z', source: 'editor', training: { epochs: 3 }, backend: 'cpu', seed: 42, ended: 'finished', reason: 'completed 3 epoch(s)', curves: { epoch: [1, 2, 3], loss: [0.7, 0.5, null] }, final: { epochs: 3, loss: 0.4 } }], warnings: ['a.runs.jsonl:1: skipped: the line is not valid JSON'] },
      predictPane: { type: 'predictPane', info: predictInfo, open: true, inputs: [2.3, 10.2], outputs: [0.226], source: 'inline weights', error: 'takes 2 input values' },
      viewOptions: { type: 'viewOptions', neuronHeatmaps: true },
      response: { type: 'response', requestId: 2, ok: true, value: { changed: true } },
    } satisfies Examples<Infer<typeof ToEditorMessage>, 'type'>,
  },
  {
    name: 'editor → host', union: FromEditorMessage, tag: 'type', examples: {
      ready: { type: 'ready' },
      addNode: { type: 'addNode', requestId: 1, node: { id: 'h2', type: 'dense', units: 4 }, after: 'h', position: { x: 1, y: 2 } },
      removeNodes: { type: 'removeNodes', requestId: 2, ids: ['h'] },
      connect: { type: 'connect', requestId: 3, from: 'x', to: 'h' },
      disconnect: { type: 'disconnect', requestId: 4, from: 'x', to: 'h' },
      setProperty: { type: 'setProperty', requestId: 5, id: 'h', key: 'units', value: 8 },
      setTrainingField: { type: 'setTrainingField', requestId: 11, path: ['optimizer', 'learningRate'], value: 0.05 },
      rename: { type: 'rename', requestId: 6, oldId: 'h', newId: 'hidden' },
      pin: { type: 'pin', requestId: 7, positions: { h: { x: 1, y: 2 } } },
      unpin: { type: 'unpin', requestId: 8, ids: ['h'] },
      restoreTraining: { type: 'restoreTraining', requestId: 18, training: { epochs: 3, optimizer: { type: 'adam', learningRate: 0.01 } } },
      setLayoutDirection: { type: 'setLayoutDirection', requestId: 17, direction: 'down' },
      paste: { type: 'paste', requestId: 9, nodes: [{ id: 'd', type: 'dropout', rate: 0.2 }], edges: [{ from: 'h', to: 'd' }] },
      group: { type: 'group', requestId: 13, ids: ['h', 'y'], id: 'block1', label: 'Hidden', collapsed: true },
      ungroup: { type: 'ungroup', requestId: 14, id: 'block1' },
      setGroupCollapsed: { type: 'setGroupCollapsed', requestId: 15, id: 'block1', collapsed: false },
      setGroupLabel: { type: 'setGroupLabel', requestId: 16, id: 'block1', label: 'Hidden layers' },
      groupChains: { type: 'groupChains', requestId: 17 },
      openTextEditor: { type: 'openTextEditor' },
      selectionChanged: { type: 'selectionChanged', ids: ['h'] },
      pickImage: { type: 'pickImage', row: 7 },
      previewCsv: { type: 'previewCsv', path: 'data/pass.csv' },
      addTrainingData: { type: 'addTrainingData' },
      refreshPredict: { type: 'refreshPredict', inputs: [2.3, 10.2] },
      predictRow: { type: 'predictRow', requestId: 12, inputs: [2.3, 10.2] },
      setNeuronHeatmaps: { type: 'setNeuronHeatmaps', on: false },
      response: { type: 'response', requestId: 10, ok: false, error: 'the diagram could not be drawn' },
    } satisfies Examples<Infer<typeof FromEditorMessage>, 'type'>,
  },
  {
    name: 'host → panel', union: ToPanelMessage, tag: 'type', examples: {
      follow: { type: 'follow', file: 'a.nn', layers: ['h'], updates: [updates.start, updates.layers], check, selected: 'h' },
      update: { type: 'update', file: 'a.nn', update: updates.boundary },
      gradientCheck: { type: 'gradientCheck', result: check },
      select: { type: 'select', id: 'h' },
      featureMaps: { type: 'featureMaps', node: 'c1', row: 7, maps, error: 'c1 is not image-shaped' },
      pickImage: { type: 'pickImage', row: 7 },
    } satisfies Examples<Infer<typeof ToPanelMessage>, 'type'>,
  },
  {
    name: 'panel → host', union: FromPanelMessage, tag: 'type', examples: {
      ready: { type: 'ready' },
      select: { type: 'select', id: 'h' },
      checkGradients: { type: 'checkGradients' },
      featureMaps: { type: 'featureMaps', node: 'c1', row: 7 },
    } satisfies Examples<Infer<typeof FromPanelMessage>, 'type'>,
  },
  {
    name: 'host → summary', union: ToSummaryMessage, tag: 'type', examples: {
      show: {
        type: 'show', file: 'a.nn', name: 'A', problem: 'a.nn has 1 error',
        rows: [{ layer: 'h', type: 'dense (relu)', outputShape: [3], params: 9, nonTrainable: 0, formula: '2×3 + 3', inputs: ['x'], flops: 15 }],
        totals: { total: 9, trainable: 9, nonTrainable: 0, flops: 15 },
      },
      select: { type: 'select', ids: ['h'] },
    } satisfies Examples<Infer<typeof ToSummaryMessage>, 'type'>,
  },
  {
    name: 'summary → host', union: FromSummaryMessage, tag: 'type', examples: {
      ready: { type: 'ready' },
      select: { type: 'select', id: 'h' },
    } satisfies Examples<Infer<typeof FromSummaryMessage>, 'type'>,
  },
  {
    name: 'host → training process', union: ToTrainerMessage, tag: 'type', examples: {
      train: { type: 'train', runId: 1, overrides: { epochs: 5, learningRate: 0.1, backend: 'cpu' }, boundarySize: 64, eventEveryMs: 50, replaceWeights: true, neuronHeatmaps: false, ...job },
      stop: { type: 'stop', runId: 1 },
      neuronHeatmaps: { type: 'neuronHeatmaps', on: false },
      step: { type: 'step', requestId: 1, runId: 2, replaceWeights: false, neuronHeatmaps: true, ...job },
      savedWeights: { type: 'savedWeights', requestId: 2, ...job },
      resetStep: { type: 'resetStep' },
      predict: { type: 'predict', requestId: 3, inputs: [2.3, -10.2], ...job },
      predictInfo: { type: 'predictInfo', requestId: 7, inputs: [2.3, 10.2], ...job },
      checkGradients: { type: 'checkGradients', requestId: 4, ...job },
      export: { type: 'export', requestId: 5, format: 'onnx', out: '/ws/a.onnx', noData: true, force: false, ...job },
      featureMaps: { type: 'featureMaps', requestId: 6, node: 'c1', row: 7, ...job },
    } satisfies Examples<Infer<typeof ToTrainerMessage>, 'type'>,
  },
  {
    name: 'training process → host', union: FromTrainerMessage, tag: 'type', examples: {
      ready: { type: 'ready', pid: 42 },
      update: { type: 'update', update: updates.done },
      response: { type: 'response', requestId: 1, ok: true, value: { outputs: [0.2], source: 'a.weights.safetensors' } },
    } satisfies Examples<Infer<typeof FromTrainerMessage>, 'type'>,
  },
  {
    name: 'training updates', union: TrainingUpdate, tag: 'kind', examples: updates,
  },
  {
    name: 'saved weights states', union: SavedWeightsState, tag: 'status', examples: {
      none: { status: 'none', file: '/ws/a.weights.safetensors' },
      fits: { status: 'fits', file: '/ws/a.weights.safetensors' },
      mismatch: { status: 'mismatch', file: '/ws/a.weights.safetensors', problem: 'h.weight is [3, 2], the design needs [4, 2]' },
      damaged: { status: 'damaged', file: '/ws/a.weights.safetensors', problem: 'h.weight holds NaN' },
    } satisfies Examples<Infer<typeof SavedWeightsState>, 'status'>,
  },
  {
    name: 'test probes', union: ProbeMessage, tag: 'type', examples: {
      editorRendered: { type: 'editorRendered', version: 3, nodes: 5, errorState: false, ms: 12.5 },
      panelRendered: { type: 'panelRendered', layers: ['h'], points: 200, warnings: [], checkRows: 0 },
      predictRendered: { type: 'predictRendered', open: true, fields: ['GPA', 'Experience'], values: ['2.3', '10.2'], bars: ['not Interview: 77.4%', 'Interview: 22.6%'], predicted: 'not Interview', error: '', point: true },
      neuronsRendered: { type: 'neuronsRendered', nodes: [{ id: 'x', tiles: 2, varied: 2 }, { id: 'h1', tiles: 16, varied: 15 }], focus: 'h1[5]' },
      trainingRendered: { type: 'trainingRendered', header: 'stepped · epoch 1/500 · step 1/45 · cpu · 337 params', outcome: '', notices: '', chart: true, boundary: true },
    } satisfies Examples<Infer<typeof ProbeMessage>, 'type'>,
  },
  {
    name: 'summary test probes', union: SummaryProbeMessage, tag: 'type', examples: {
      summaryRendered: { type: 'summaryRendered', file: 'a.nn', layers: ['x', 'h'], sort: 'order ascending', selected: ['h'], problem: false },
    } satisfies Examples<Infer<typeof SummaryProbeMessage>, 'type'>,
  },
];

/** The check's verdict on a whole value (`at` '' names fields by themselves, as a received message does). */
const problemOf = (u: Checked, v: unknown): string | undefined => u.check(v, '');

describe('every message of every channel has its check, from its one definition', () => {
  for (const { name, union, tag, examples } of channels) {
    describe(name, () => {
      it('has one example per defined message, and each passes unchanged', () => {
        assert.deepEqual(Object.keys(examples).sort(), Object.keys(union.variants).sort());
        for (const [kind, example] of Object.entries(examples)) {
          assert.equal(problemOf(union, example), undefined, `${kind}: ${problemOf(union, example)}`);
          assert.equal(example[tag], kind);
        }
      });

      it('refuses each malformed variant of each message with a reason naming the field', () => {
        const never = Symbol('no schema accepts this');
        for (const [kind, example] of Object.entries(examples)) {
          const fields = union.variants[kind].fields;
          for (const [field, schema] of Object.entries(fields)) {
            if (!schema.optional) {
              const { [field]: _dropped, ...missing } = example;
              assert.match(problemOf(union, missing) ?? 'accepted', new RegExp(`"${field}" is missing`), `${kind} without ${field}`);
            }
            const wrong = problemOf(union, { ...example, [field]: never });
            assert.ok(wrong?.includes(`"${field}`), `${kind}.${field} = a symbol: ${wrong ?? 'accepted'}`);
          }
          assert.match(problemOf(union, { ...example, zz: 1 }) ?? 'accepted', /unexpected field "zz"/, `${kind} with an unknown field`);
          assert.match(problemOf(union, { ...example, [tag]: `${kind}X` }) ?? 'accepted', new RegExp(`unknown .* ${tag} "${kind}X"`), `${kind} misspelt`);
        }
      });
    });
  }

  it('a whole message that is refused names its type and keeps a readable requestId', () => {
    const r = ToTrainerMessage.validate({ type: 'predict', requestId: 7, inputs: ['x'], ...job });
    assert.ok(r instanceof MalformedMessage);
    assert.equal(r.type, 'predict');
    assert.equal(r.requestId, 7);
    assert.match(r.line, /^ignored a malformed "predict" message: "inputs\[0\]" must be a number/);
  });

  it('a test probe is no product message, and no product message is a probe', () => {
    for (const union of [FromEditorMessage, FromPanelMessage, FromSummaryMessage]) {
      for (const type of [...Object.keys(ProbeMessage.variants), ...Object.keys(SummaryProbeMessage.variants)]) assert.ok(!Object.hasOwn(union.variants, type), type);
    }
    assert.ok(FromEditorMessage.validate({ type: 'editorRendered', version: 1, nodes: 0, errorState: true, ms: 1 }) instanceof MalformedMessage);
    assert.ok(ProbeMessage.validate({ type: 'ready' }) instanceof MalformedMessage);
  });
});
