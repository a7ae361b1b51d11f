import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  checkNetwork, formatRunLine, parseRunLog, restoreTrainingText, RUN_LOG_FORMAT, runLabel, runLogPathFor, trainingDifferences, trainingSectionOf, type RunRecord,
} from '../../../src/model';

const spiral = readFileSync(join(__dirname, '../../../examples/spiral.nn'), 'utf8');

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    format: RUN_LOG_FORMAT, design: 'spiral.nn', started: '2026-11-30T17:20:00.000Z', source: 'editor',
    training: { data: { generator: 'spiral' }, optimizer: { type: 'adam', learningRate: 0.05 }, epochs: 3 },
    backend: 'cpu', seed: 42, ended: 'finished', reason: 'completed 3 epoch(s)', elapsedMs: 120,
    curves: { epoch: [1, 2, 3], loss: [0.7, 0.5, 0.4], valLoss: [0.72, 0.55, NaN], accuracy: [0.5, 0.7, 0.8] },
    final: { epochs: 3, loss: 0.4, valLoss: 0.45, accuracy: 0.8 },
    ...over,
  };
}

/** The one changed span: [removed, added] text. */
function changed(before: string, after: string): [string, string] {
  let a = 0;
  while (a < before.length && before[a] === after[a]) a++;
  let b = 0;
  while (b < before.length - a && before[before.length - 1 - b] === after[after.length - 1 - b]) b++;
  return [before.slice(a, before.length - b), after.slice(a, after.length - b)];
}

describe('model/runLog (name.runs.jsonl)', () => {
  it('lives beside the design: spiral.nn → spiral.runs.jsonl, either slash', () => {
    assert.equal(runLogPathFor('/w/examples/spiral.nn'), '/w/examples/spiral.runs.jsonl');
    assert.equal(runLogPathFor('C:\\w\\my.net.nn'), 'C:\\w\\my.net.runs.jsonl');
    assert.equal(runLogPathFor('/w/.hidden/noext'), '/w/.hidden/noext.runs.jsonl');
  });

  it('writes one line per run, NaN as null, and reads it back with its line number', () => {
    const line = formatRunLine(record());
    assert.ok(line.endsWith('\n'));
    assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one line');
    assert.match(line, /"valLoss":\[0\.72,0\.55,null\]/);
    const text = line + formatRunLine(record({ started: '2026-11-30T17:25:00.000Z', ended: 'stopped' }));
    const log = parseRunLog(text, 'spiral.runs.jsonl');
    assert.deepEqual(log.warnings, []);
    assert.equal(log.runs.length, 2);
    assert.deepEqual(log.runs.map((r) => [r.line, r.ended]), [[1, 'finished'], [2, 'stopped']]);
    assert.deepEqual(log.runs[0].curves.loss, [0.7, 0.5, 0.4]);
    assert.equal(log.runs[0].training.epochs, 3);
  });

  it('skips a malformed line with a warning naming the file and line, and keeps the others', () => {
    const good = formatRunLine(record());
    const text = `${good}{"format":"nn-run/1","started":\n\n${JSON.stringify({ format: 'nn-run/1' })}\n[1,2]\r\n${good}`;
    const log = parseRunLog(text, 'spiral.runs.jsonl');
    assert.deepEqual(log.runs.map((r) => r.line), [1, 6], 'the blank line 3 is neither a run nor a warning');
    assert.equal(log.warnings.length, 3);
    assert.match(log.warnings[0], /^spiral\.runs\.jsonl:2: skipped: the line is not valid JSON/);
    assert.match(log.warnings[1], /^spiral\.runs\.jsonl:4: skipped: "started" must be a date/);
    assert.match(log.warnings[2], /^spiral\.runs\.jsonl:5: skipped: the line is not a JSON object/);
    for (const w of log.warnings) assert.doesNotMatch(w, /Unexpected|undefined|SyntaxError/, 'no raw JavaScript error text');
  });

  it('refuses curves whose columns do not match the epochs, and lines of another format', () => {
    const bad = { ...record(), curves: { epoch: [1, 2], loss: [0.5] } };
    const other = { ...record(), format: 'nn-run/9' };
    const log = parseRunLog(`${JSON.stringify(bad)}\n${JSON.stringify(other)}\n`, 'a.runs.jsonl');
    assert.equal(log.runs.length, 0);
    assert.match(log.warnings[0], /a\.runs\.jsonl:1: skipped: "curves\.loss" must be a list of 2 numbers/);
    assert.match(log.warnings[1], /a\.runs\.jsonl:2: skipped: "format" is "nn-run\/9"/);
  });

  it('labels a run by its number, time, optimizer, epochs, final loss and how it ended', () => {
    const [run] = parseRunLog(formatRunLine(record({ ended: 'stopped' })), 'x').runs;
    assert.match(runLabel(run, 0), /^#1 · \d\d:\d\d · adam lr 0\.05 · 3 ep · loss 0\.4 · stopped$/);
  });
});

describe('model/restoreTraining (a past run as the current settings)', () => {
  it('reads the training section, comments dropped', () => {
    const t = trainingSectionOf(spiral);
    assert.equal(t?.epochs, 500);
    assert.equal(trainingSectionOf('{ "format": "nn/1" }'), undefined);
  });

  it('changes only the settings that differ: one span, the rest of the file byte for byte', () => {
    const used = { ...trainingSectionOf(spiral), epochs: 50, optimizer: { type: 'adam', learningRate: 0.01 } };
    const out = restoreTrainingText(spiral, used);
    assert.deepEqual(trainingSectionOf(out), used);
    const lines = (s: string) => s.split('\n');
    const diff = lines(out).filter((l, i) => l !== lines(spiral)[i]);
    assert.deepEqual(diff, ['    "optimizer": { "type": "adam", "learningRate": 0.01 },', '    "epochs": 50,']);
    assert.equal(checkNetwork(out).diagnostics.filter((d) => d.severity === 'error').length, 0);
  });

  it('removes settings the run did not have and adds the ones it had', () => {
    const text = spiral.replace('"l2": 0.0001,', '"l2": 0.0001,\n    // keep me\n    "l1": 0.001,');
    const t = trainingSectionOf(text)!;
    const { l1: _l1, ...rest } = t;
    const used = { ...rest, shuffle: false };
    const out = restoreTrainingText(text, used);
    assert.deepEqual(trainingSectionOf(out), used);
    assert.ok(out.includes('// keep me'), 'a comment stays');
    assert.equal(restoreTrainingText(out, used), out, 'restoring the same settings again changes nothing');
  });

  it('switches the kind of data whole', () => {
    const used = { ...trainingSectionOf(spiral), data: { dataset: 'interview' } };
    const out = restoreTrainingText(spiral, used);
    assert.deepEqual(trainingSectionOf(out)?.data, { dataset: 'interview' });
    const [removed, added] = changed(spiral, out);
    assert.ok(!removed.includes('"epochs"') && !added.includes('"epochs"'), `only the data changed: ${removed} → ${added}`);
  });

  it('refuses, changing nothing, settings the design would not accept now', () => {
    const bad = { ...trainingSectionOf(spiral), epochs: -3, optimizer: { type: 'nadam' } };
    assert.throws(() => restoreTrainingText(spiral, bad), (e: Error) => e.name === 'ModelEditError' && /do not fit the design as it is now: .*Nothing was changed\.$/.test(e.message));
  });

  it('lists the differences in words', () => {
    const now = trainingSectionOf(spiral)!;
    assert.deepEqual(trainingDifferences(now, { ...now, epochs: 50, optimizer: { type: 'adam', learningRate: 0.05 }, l2: undefined } as Record<string, unknown>), ['epochs: 500 → 50', 'l2: 0.0001 → (not set)']);
  });
});
