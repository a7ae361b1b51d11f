import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { trainSettingsFrom } from '../../../src/engine';
import { applyTextEdits, checkNetwork, ModelEditError, parseNetwork, setTrainingField, TRAINING_DEFAULTS, trainingFieldProblem } from '../../../src/model';

const interview = readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8');
const spiral = readFileSync(join(__dirname, '../../../examples/spiral.nn'), 'utf8');

function apply(text: string, path: string[], value: unknown, spans = 1): string {
  const edits = setTrainingField(text, path, value);
  // Minimal edits: a single span (the host applies several as one undo step), the rest of the file byte for byte.
  assert.ok(edits.length <= spans, `expected ${spans} edit(s), got ${edits.length}`);
  return applyTextEdits(text, edits);
}

/** The one changed span: [removed, added] text. */
function changed(before: string, after: string): [string, string] {
  let a = 0;
  while (a < before.length && before[a] === after[a]) a++;
  let b = 0;
  while (b < before.length - a && before[before.length - 1 - b] === after[after.length - 1 - b]) b++;
  return [before.slice(a, before.length - b), after.slice(a, after.length - b)];
}

const bare = '{\n  // my design\n  "format": "nn/1",\n  "nodes": [ { "id": "x", "type": "input", "units": 2 }, { "id": "y", "type": "dense", "units": 1, "activation": "sigmoid" } ],\n  "edges": [ { "from": "x", "to": "y" } ]\n}\n';

describe('model/setTrainingField (the settings inspector)', () => {
  it('changes only the number of the learning rate', () => {
    const out = apply(interview, ['optimizer', 'learningRate'], 0.05);
    assert.deepEqual(changed(interview, out), ['1', '5']);
    assert.equal(checkNetwork(out).parsed.doc?.training?.optimizer?.learningRate, 0.05);
  });

  it('creates the training section and nested objects when absent, keeping comments and formatting', () => {
    const a = apply(bare, ['epochs'], 50);
    assert.equal(a, bare.replace('"x", "to": "y" } ]\n}', '"x", "to": "y" } ],\n  "training": {\n    "epochs": 50\n  }\n}'));
    assert.ok(a.startsWith('{\n  // my design\n'));
    // An optimizer cannot be without its type: the engine's default is written with it.
    const b = apply(bare, ['optimizer', 'learningRate'], 0.1);
    assert.match(b, /"training": \{\n {4}"optimizer": \{ "type": "adam", "learningRate": 0\.1 \}\n {2}\}/);
    const c = apply(bare, ['earlyStopping', 'monitor'], 'loss');
    assert.equal(parseNetwork(c).doc?.training?.earlyStopping?.patience, TRAINING_DEFAULTS.patience);
    const d = apply(bare, ['data'], { generator: 'xor', samples: 200 });
    assert.deepEqual(parseNetwork(d).doc?.training?.data, { generator: 'xor', samples: 200 });
    assert.equal(checkNetwork(d).diagnostics.filter((x) => x.severity === 'error').length, 0);
  });

  it('removes a field set back to empty, and the objects that leaves empty', () => {
    const withL1 = apply(spiral, ['l1'], 0.001);
    assert.equal(apply(withL1, ['l1'], undefined), spiral);
    const once = apply(bare, ['earlyStopping', 'monitor'], 'loss');
    const twice = apply(once, ['earlyStopping', 'minDelta'], 0.01);
    assert.equal(apply(apply(twice, ['earlyStopping', 'minDelta'], undefined), ['earlyStopping'], undefined), bare);
    assert.equal(apply(apply(bare, ['seed'], 3), ['seed'], undefined), bare);
  });

  it('switching the optimizer drops the parameters only the old one reads', () => {
    const sgd = apply(apply(interview, ['optimizer', 'type'], 'sgd'), ['optimizer', 'momentum'], 0.9);
    assert.match(sgd, /"optimizer": \{ "type": "sgd", "learningRate": 0\.01, "momentum": 0\.9 \}/);
    const back = apply(sgd, ['optimizer', 'type'], 'adam', 2);
    assert.match(back, /"optimizer": \{ "type": "adam", "learningRate": 0\.01 \}/);
  });

  it('a whole data object of the same kind changes only the settings that differ', () => {
    const pass = readFileSync(join(__dirname, '../../../examples/pass-class.nn'), 'utf8');
    const out = apply(pass, ['data'], { csv: 'data/pass-class.csv', features: ['lectures'], labels: ['pass'] });
    assert.equal(out, pass.replace('.csv", "features": ["lectures", "project_hours"]', '.csv", "features": ["lectures"]'));
    const ds = apply(interview, ['data'], { dataset: 'iris' });
    assert.deepEqual(changed(interview, ds), ['nterview', 'ris']);
    // Another kind replaces the object.
    const gen = apply(interview, ['data'], { generator: 'xor' });
    assert.match(gen, /"data": \{ "generator": "xor" \},/);
  });

  it('rejects out-of-range values with the parser\'s words', () => {
    assert.throws(() => setTrainingField(interview, ['optimizer', 'learningRate'], 20), (e: Error) =>
      e instanceof ModelEditError && e.message === 'Training.optimizer: learningRate must be a number > 0 and ≤ 10, not 20.');
    // The same rule the parser reports for the same value written by hand.
    const typed = interview.replace('"learningRate": 0.01', '"learningRate": 20');
    assert.ok(parseNetwork(typed).diagnostics.some((d) => d.message === 'training.optimizer: learningRate must be a number > 0 and ≤ 10, not 20'));
    assert.throws(() => setTrainingField(interview, ['validationSplit'], 1), /validationSplit must be a number ≥ 0 and < 1, not 1/);
    assert.throws(() => setTrainingField(interview, ['epochs'], 2.5), /epochs must be a whole number ≥ 1/);
    assert.throws(() => setTrainingField(interview, ['loss'], 'hinge'), /loss must be one of binary_crossentropy/);
    assert.throws(() => setTrainingField(interview, ['optimizer', 'type'], undefined), /type cannot be removed/);
    assert.throws(() => setTrainingField(interview, ['data', 'csv'], 'a.csv'), /dataset data, which has no "csv"/);
    assert.throws(() => setTrainingField(interview, ['data'], { dataset: 'iris', noise: 1 }), /dataset data has no "noise"/);
    assert.throws(() => setTrainingField(bare, ['data', 'noise'], 0.1), /kind of training data first/);
    assert.throws(() => setTrainingField(interview, ['data'], { csv: 'a.csv' }), /needs "labels"/);
    assert.throws(() => setTrainingField(interview, ['colour'], 'red'), /cannot be set from the editor/);
    assert.equal(trainingFieldProblem(['data'], { csv: 'd.csv', labels: ['y'], features: ['a', 'b'] }), undefined);
  });

  it('its placeholders are the engine\'s defaults', () => {
    const s = trainSettingsFrom(undefined);
    assert.equal(s.optimizer.type, TRAINING_DEFAULTS.optimizer);
    assert.equal(s.optimizer.learningRate, TRAINING_DEFAULTS.learningRate.adam);
    for (const type of ['sgd', 'rmsprop'] as const) assert.equal(trainSettingsFrom({ optimizer: { type } }).optimizer.learningRate, TRAINING_DEFAULTS.learningRate[type]);
    assert.deepEqual([s.batchSize, s.epochs, s.validationSplit, s.seed, s.l1, s.l2], [TRAINING_DEFAULTS.batchSize, TRAINING_DEFAULTS.epochs, TRAINING_DEFAULTS.validationSplit, TRAINING_DEFAULTS.seed, 0, 0]);
    assert.deepEqual([s.optimizer.beta1, s.optimizer.beta2, s.optimizer.rho, s.optimizer.epsilon, s.optimizer.momentum], [TRAINING_DEFAULTS.beta1, TRAINING_DEFAULTS.beta2, TRAINING_DEFAULTS.rho, TRAINING_DEFAULTS.epsilon, TRAINING_DEFAULTS.momentum]);
  });
});
