/**
 * The CLI (`nn train`) and the editor's training process run the same jobs layer: the same
 * design, weights and settings give the same weights file, byte for byte — first from fresh
 * weights, then continuing from the saved ones.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/runCli';
import { TrainerClient } from '../../../src/extension/training/trainerClient';
import type { TrainingUpdate } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** A temp folder holding a copy of examples/xor-relu.nn. */
function sandbox(): { dir: string; file: string; text: string; weights: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-both-doors-'));
  const file = path.join(dir, 'xor-relu.nn');
  fs.copyFileSync(path.join(root, 'examples/xor-relu.nn'), file);
  return { dir, file, text: fs.readFileSync(file, 'utf8'), weights: path.join(dir, 'xor-relu.weights.safetensors') };
}

/** One editor run through the real training process, to its 'done' update. */
function editorRun(client: TrainerClient, ws: { dir: string; file: string; text: string }, epochs: number): Promise<TrainingUpdate> {
  return new Promise((resolve, reject) => {
    const runId = client.newRunId();
    const timer = setTimeout(() => { sub.dispose(); reject(new Error('the editor run did not finish')); }, 30000);
    const sub = client.onUpdate((u) => {
      if (u.runId !== runId || (u.kind !== 'done' && u.kind !== 'error')) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(u);
    });
    client.train({ runId, text: ws.text, file: ws.file, allowedRoots: [ws.dir], overrides: { backend: 'cpu', epochs } });
  });
}

describe('the CLI and the editor train alike', function () {
  this.timeout(60000);
  let client: TrainerClient;
  beforeEach(() => { client = new TrainerClient({ script: path.join(root, 'src/trainer/main.ts'), execArgv: ['--import', 'tsx'] }); });
  afterEach(() => client.dispose());

  it('same design, weights and settings → the same weights file from nn train and from the training process', async () => {
    const cli = sandbox();
    const editor = sandbox();
    // From fresh weights.
    const a = await nn(cli.dir, 'train', 'xor-relu.nn', '--epochs', '3', '--backend', 'cpu');
    assert.equal(a.code, 0, a.err);
    const done = await editorRun(client, editor, 3);
    assert.equal(done.kind, 'done', JSON.stringify(done));
    assert.ok(fs.readFileSync(cli.weights).equals(fs.readFileSync(editor.weights)), 'the first runs wrote different weights files');
    // Both continue from the weights they saved.
    const b = await nn(cli.dir, 'train', 'xor-relu.nn', '--epochs', '2', '--backend', 'cpu');
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /continuing from xor-relu\.weights\.safetensors/);
    const again = await editorRun(client, editor, 2);
    assert.equal(again.kind, 'done', JSON.stringify(again));
    assert.ok(fs.readFileSync(cli.weights).equals(fs.readFileSync(editor.weights)), 'the continued runs wrote different weights files');
  });
});
