/**
 * Export… in the training process: the 'export' request through the real IPC (TrainerClient
 * forks src/trainer/main.ts through tsx) writes the same files as `nn export`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainerClient } from '../../../src/extension/training/trainerClient';
import type { ExportAnswer } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');

function launch(): TrainerClient {
  return new TrainerClient({ script: path.join(root, 'src/trainer/main.ts'), execArgv: ['--import', 'tsx'] });
}

/** A copy of a design in a fresh temp folder (exports write beside it). */
function workspace(from: string): { dir: string; file: string; text: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-export-'));
  const file = path.join(dir, path.basename(from));
  fs.copyFileSync(from, file);
  return { dir, file, text: fs.readFileSync(file, 'utf8') };
}

describe('training process: export request', function () {
  this.timeout(30000);
  let client: TrainerClient;
  beforeEach(() => { client = launch(); });
  afterEach(() => client.dispose());

  it('writes the ONNX model of a design with inline weights beside it', async () => {
    const ws = workspace(path.join(root, 'examples/interview.nn'));
    const answer = (await client.request({ type: 'export', format: 'onnx', text: ws.text, file: ws.file, allowedRoots: [ws.dir] })) as unknown as ExportAnswer;
    assert.deepEqual(answer.written, [path.join(ws.dir, 'interview.onnx')]);
    assert.ok(fs.statSync(answer.written[0]).size > 0);
  });

  it('writes a PyTorch script and its data CSV into a chosen main file path', async () => {
    const ws = workspace(path.join(__dirname, 'fixtures/spiral.nn'));
    const out = path.join(ws.dir, 'out', 'model.py');
    const answer = (await client.request({ type: 'export', format: 'pytorch', out, text: ws.text, file: ws.file, allowedRoots: [ws.dir] })) as unknown as ExportAnswer;
    assert.equal(answer.written[0], out);
    assert.ok(answer.written.includes(path.join(ws.dir, 'out', 'model_data.csv')), answer.written.join(', '));
    const script = fs.readFileSync(out, 'utf8');
    assert.match(script, /class \w+\(nn\.Module\)/);
  });

  it('answers with the files in the way and writes nothing; replaces them only when asked to (force)', async () => {
    const ws = workspace(path.join(root, 'examples/interview.nn'));
    const mine = path.join(ws.dir, 'interview.onnx');
    fs.writeFileSync(mine, 'my own model');
    const job = { type: 'export' as const, format: 'onnx' as const, text: ws.text, file: ws.file, allowedRoots: [ws.dir] };
    const asked = (await client.request(job)) as unknown as ExportAnswer;
    assert.deepEqual(asked, { written: [], notes: [], conflicts: [mine] });
    assert.equal(fs.readFileSync(mine, 'utf8'), 'my own model');
    assert.ok(!fs.existsSync(path.join(ws.dir, '.nn-export.json')), 'nothing was written');
    const replaced = (await client.request({ ...job, force: true })) as unknown as ExportAnswer;
    assert.deepEqual(replaced.written, [mine]);
    assert.notEqual(fs.readFileSync(mine, 'utf8'), 'my own model');
    // Now the export's own file: exporting again replaces it without asking.
    const again = (await client.request(job)) as unknown as ExportAnswer;
    assert.deepEqual(again.written, [mine]);
    assert.equal(again.conflicts, undefined);
  });

  it('explains that an ONNX export needs weights, naming the node and the Train command', async () => {
    const ws = workspace(path.join(__dirname, 'fixtures/spiral.nn'));
    await assert.rejects(
      client.request({ type: 'export', format: 'onnx', text: ws.text, file: ws.file, allowedRoots: [ws.dir] }),
      (e: Error) => /^spiral\.nn:\d+:\d+: error: .*no weights.*Neural Canvas: Train.*\[export-onnx\]/s.test(e.message) || assert.fail(e.message),
    );
    assert.ok(!fs.existsSync(path.join(ws.dir, 'spiral.onnx')));
  });

  it('refuses an unknown format and a design with errors', async () => {
    const ws = workspace(path.join(__dirname, 'fixtures/spiral.nn'));
    await assert.rejects(client.request({ type: 'export', format: 'tflite' as 'onnx', text: ws.text, file: ws.file, allowedRoots: [ws.dir] }), /cannot export to 'tflite'/);
    await assert.rejects(client.request({ type: 'export', format: 'pytorch', text: '{', file: ws.file, allowedRoots: [ws.dir] }), /spiral\.nn has \d+ error/);
  });
});
