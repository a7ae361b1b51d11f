/**
 * Export's notes reach the user in the notification (one short note in the message, several
 * behind "Show Notes"), not only in the Output channel. The notes are the exporter's own: a real
 * Keras export of the interview example without data.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportedMessage, OPEN_EXPORT, SHOW_NOTES } from '../../../src/extension/training/exportMessage';
import { checkDesign } from '../../../src/jobs';
import { exportDesign } from '../../../src/trainer/exportFiles';

const root = path.resolve(__dirname, '../../..');

describe('Export: the notes are shown, not only logged', () => {
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nc-export-notes-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('several notes: the notification counts them and offers Show Notes, which lists every one', async () => {
    const file = path.join(root, 'examples/interview.nn');
    const text = fs.readFileSync(file, 'utf8');
    const design = checkDesign({ text, file });
    const answer = await exportDesign({ ...design, shown: 'interview.nn', text }, 'keras', { out: path.join(dir, 'interview_keras.py'), noData: true, cwd: dir });
    assert.ok(answer.notes.length >= 2, JSON.stringify(answer.notes));
    const said = exportedMessage(file, 'keras', answer);
    assert.match(said.message, /^Exported interview\.nn: wrote interview_keras\.py(, [^.]+)*\. \d+ notes: read them before using the export \(Show Notes\)\.$/);
    assert.deepEqual(said.actions, [OPEN_EXPORT, SHOW_NOTES]);
    assert.equal(said.notes?.title, 'Notes on the keras export of interview.nn');
    for (const n of answer.notes) assert.ok(said.notes?.detail.includes(`• ${n}`), n);
    assert.doesNotMatch(said.message, /Output|output channel/i);
  });

  it('one short note is in the message itself; none: just what was written', () => {
    const one = exportedMessage('/w/xor.nn', 'onnx', { written: ['/w/xor.onnx'], notes: ['Dropout is kept as ONNX Dropout, which is the identity at inference.'] });
    assert.equal(one.message, 'Exported xor.nn: wrote xor.onnx. Note: Dropout is kept as ONNX Dropout, which is the identity at inference.');
    assert.deepEqual(one.actions, []);
    const none = exportedMessage('/w/xor.nn', 'pytorch', { written: ['/w/xor.py', '/w/xor_data.csv'], notes: [] });
    assert.deepEqual([none.message, none.actions, none.notes], ['Exported xor.nn: wrote xor.py, xor_data.csv.', [OPEN_EXPORT], undefined]);
  });
});
