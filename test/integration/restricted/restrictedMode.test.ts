/**
 * Restricted Mode inside a real VS Code: Workspace Trust is on and the folder is not trusted.
 * The graph editor still opens, but Train, Train with Options, Step, Predict, Check Gradients,
 * Export and Reset Weights each refuse, change nothing on disk and start no training process.
 * Each refusal is a warning naming the command and Restricted Mode; the code-server runner reads
 * those notifications from the workbench after this suite (restricted/commands.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, activeCustomEditor, closeAllEditors, examplesRoot, extensionUnderTest, waitFor } from '../extensionUnderTest';

describe('Restricted Mode (untrusted workspace)', function () {
  this.timeout(60_000);
  const interview = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'interview.nn');
  const weights = (): string => path.join(examplesRoot().fsPath, 'interview.weights.safetensors');
  const savedBytes = Buffer.from('weights the user trained: Reset Weights must not delete them');
  let out: string;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite must run in an untrusted folder (Workspace Trust on)');
    await extensionUnderTest().activate();
    await closeAllEditors();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-restricted-'));
    fs.writeFileSync(weights(), savedBytes);
  });
  after(async () => {
    // Shows every notification so the runner can read the warnings.
    await vscode.commands.executeCommand('notifications.showList');
    fs.rmSync(out, { recursive: true, force: true });
  });

  /** No command may have started the training process. */
  async function noTrainingProcess(): Promise<void> {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.internal.trainerPid'), undefined, 'no training process was started');
  }

  it('the graph editor still opens (limited support)', async () => {
    await vscode.commands.executeCommand('vscode.openWith', interview(), GRAPH_VIEW_TYPE);
    const tab = await waitFor('the graph editor', () => activeCustomEditor());
    assert.equal(tab.viewType, GRAPH_VIEW_TYPE);
  });

  it('Train and Train with Options refuse and start nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.train', interview(), { epochs: 1, backend: 'cpu' }), undefined);
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.trainWithOptions', interview()), undefined);
    await noTrainingProcess();
  });

  it('Step refuses and starts nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.step', interview()), undefined);
    await noTrainingProcess();
  });

  it('Predict refuses (even with the inputs given) and starts nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.predict', interview(), [2.3, 10.2]), undefined);
    await noTrainingProcess();
  });

  it('Check Gradients refuses and starts nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.checkGradients', interview()), undefined);
    await noTrainingProcess();
  });

  it('Export refuses and writes nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.export', interview(), { format: 'onnx', out }), undefined);
    assert.deepEqual(fs.readdirSync(out), [], 'no file was written');
    await noTrainingProcess();
  });

  it('Reset Weights refuses and keeps the weights file', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.resetWeights', interview(), { confirmed: true }), false);
    assert.deepEqual(fs.readFileSync(weights()), savedBytes, 'the weights file is untouched');
    await noTrainingProcess();
  });
});
