/**
 * What the Predict pane learns of a design from the training process: inputs named after the
 * data's columns (GPA, Experience), a generator's x1/x2 or "input i"; class names from the data;
 * the weights that predict, or why none do; and for two inputs a boundary over the data's points.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PredictInfo } from '../../../src/protocol';
import { classNamesFor, featureNamesFor, predictInfo, taskOfOutputs } from '../../../src/trainer/predictInfo';

const root = path.resolve(__dirname, '../../..');

function job(name: string, text: string): { text: string; file: string; allowedRoots: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nc-predict-info-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { text, file, allowedRoots: [dir] };
}

describe('the Predict pane\'s picture of a design (training process)', () => {
  it('names the interview network\'s inputs GPA and Experience and its classes from the data, with the inline weights and a boundary', async () => {
    const info = await predictInfo({ ...job('interview.nn', fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8')), inputs: [2.3, 10.2] });
    assert.equal(PredictInfo.check(info, 'info'), undefined, 'the answer passes its own message check');
    assert.deepEqual(info.features, ['GPA', 'Experience']);
    assert.equal(info.task, 'binary');
    assert.deepEqual(info.classes, ['not Interview', 'Interview']);
    assert.equal(info.source, 'inline weights');
    assert.equal(info.problem, undefined);
    assert.equal(info.scale, undefined, 'inline weights take raw GPA and years');
    const b = info.boundary!;
    assert.equal(b.size, 64);
    assert.equal(b.values.length, 64 * 64);
    // The boundary lies over the CSV's raw values (GPA about 3–4, experience 0–4.5 years) and takes in the lecture's point.
    assert.ok(b.extent[0] < 2.3 && b.extent[1] > 2.3 && b.extent[2] < 10.2 && b.extent[3] > 10.2, String(b.extent));
    assert.equal(info.points!.label.length, 21);
    const alone = await predictInfo(job('interview.nn', fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8')));
    assert.ok(alone.boundary!.extent[3] < 10.2, 'without a point, the plane is the data\'s');
  });

  it('names a generator\'s inputs x1 and x2, and says in words that there are no weights yet', async () => {
    const info = await predictInfo(job('spiral.nn', fs.readFileSync(path.join(root, 'test/unit/trainer/fixtures/spiral.nn'), 'utf8')));
    assert.deepEqual(info.features, ['x1', 'x2']);
    assert.deepEqual(info.classes, ['class 0', 'class 1']);
    assert.match(info.problem ?? '', /spiral\.nn has no trained weights yet: run Neural Canvas: Train first/);
    assert.equal(info.boundary, undefined, 'no weights, no boundary');
  });

  it('calls inputs "input i" when nothing names them, and reads classes off a softmax output', async () => {
    const text = JSON.stringify({
      format: 'nn/1',
      nodes: [
        { id: 'x', type: 'input', units: 3 },
        { id: 'y', type: 'dense', units: 2, activation: 'softmax', weights: [[1, 0, 0], [0, 1, 0]], bias: [0, 0] },
      ],
      edges: [{ from: 'x', to: 'y' }],
    });
    const info = await predictInfo(job('three.nn', text));
    assert.deepEqual(info.features, ['input 1', 'input 2', 'input 3']);
    assert.equal(info.task, 'multiclass');
    assert.deepEqual(info.classes, ['class 0', 'class 1']);
    assert.equal(info.boundary, undefined, 'three inputs: no boundary');
  });

  it('sends an image network to nn predict instead of 784 fields', async () => {
    const text = JSON.stringify({
      format: 'nn/1',
      nodes: [{ id: 'x', type: 'input', shape: [28, 28, 1] }, { id: 'f', type: 'flatten' }, { id: 'y', type: 'dense', units: 10, activation: 'softmax' }],
      edges: [{ from: 'x', to: 'f' }, { from: 'f', to: 'y' }],
    });
    const info = await predictInfo(job('mnist.nn', text));
    assert.deepEqual(info.features, []);
    assert.match(info.problem ?? '', /mnist\.nn takes 784 input values, too many to type in here: predict from a terminal with nn predict mnist\.nn/);
  });

  it('picks names and classes by the rules', () => {
    assert.deepEqual(classNamesFor('binary', ['Interview'], 1), ['not Interview', 'Interview']);
    assert.deepEqual(classNamesFor('binary', ['class 1'], 1), ['class 0', 'class 1']);
    assert.deepEqual(classNamesFor('multiclass', ['setosa', 'versicolor', 'virginica'], 3), ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(classNamesFor('regression', ['y'], 1), []);
    assert.equal(taskOfOutputs(['sigmoid'], 1), 'binary');
    assert.equal(taskOfOutputs(['softmax'], 3), 'multiclass');
    assert.equal(taskOfOutputs(['linear'], 1), 'regression');
    assert.deepEqual(featureNamesFor(2, [undefined, ['a'], ['GPA', 'Experience']]), ['GPA', 'Experience'], 'the first list of the right length');
    assert.deepEqual(featureNamesFor(2, [['a', ' ']]), ['input 1', 'input 2'], 'a blank name does not count');
  });
});
