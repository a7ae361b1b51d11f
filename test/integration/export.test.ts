/**
 * "Neural Canvas: Export…" inside a real VS Code (the installed .vsix): the command, given a
 * format and a folder (so no prompts), has the training process write the ONNX model and the
 * PyTorch script of the interview example, which carries inline weights.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, closeAllEditors, examplesRoot, extensionUnderTest } from './extensionUnderTest';

describe('Export… in VS Code', function () {
  this.timeout(60_000);
  const interview = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'interview.nn');
  let out: string;

  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-export-it-'));
  });
  after(async () => {
    await closeAllEditors();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('exports the active graph editor\'s network as an ONNX model', async () => {
    await vscode.commands.executeCommand('vscode.openWith', interview(), GRAPH_VIEW_TYPE);
    const written = (await vscode.commands.executeCommand('neuralCanvas.export', undefined, { format: 'onnx', out })) as string[] | undefined;
    assert.ok(written, 'the export wrote files (see the error notification otherwise)');
    assert.deepEqual(written, [path.join(out, 'interview.onnx')]);
    assert.ok(fs.statSync(written[0]).size > 0, 'the ONNX model is not empty');
  });

  it('exports a .nn file given as a uri as a PyTorch script', async () => {
    const written = (await vscode.commands.executeCommand('neuralCanvas.export', interview(), { format: 'pytorch', out })) as string[] | undefined;
    assert.ok(written && written.length > 0, 'the export wrote files');
    const script = path.join(out, 'interview.py');
    assert.equal(written[0], script);
    for (const f of written) assert.ok(fs.statSync(f).size > 0, `${path.basename(f)} is not empty`);
    const text = fs.readFileSync(script, 'utf8');
    assert.match(text, /class /);
    assert.match(text, /nn\.Module/);
  });
});
