/**
 * Convolutional networks inside a real VS Code (the installed .vsix): LeNet-5 opens without a
 * problem and counts 61,706 parameters (what the status bar shows); a dense layer fed an image is
 * a problem whose "Insert Flatten" quick fix is one undoable edit that clears it; Train on a tiny
 * digits convnet completes and saves its weights (a batch norm's moving statistics with them); and
 * Export… writes its PyTorch script. The training process is real (dist/trainer.js).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkNetwork } from '../../src/model';
import { closeAllEditors, examplesRoot, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';
import { openGraph } from './graphSession';

interface TrainingState {
  running: boolean;
  losses: number[];
  done?: { stopped: string; loss: number; weightsFile?: string };
  failure?: string;
}

/** A tiny digits convnet (8×8×1 images → conv 4 3×3 → flatten → dense 10), `bn` adds batch norm after the conv. */
function digitsConvnet(bn: boolean): string {
  const conv = bn ? '"activation": "linear"' : '"activation": "relu"';
  return `{
  "format": "nn/1",
  "nodes": [
    { "id": "image", "type": "input", "shape": [8, 8, 1] },
    { "id": "c1", "type": "conv2d", "filters": 4, "kernelSize": 3, ${conv} },${bn ? `
    { "id": "bn", "type": "batchnorm" },
    { "id": "act", "type": "activation", "activation": "relu" },` : ''}
    { "id": "flat", "type": "flatten" },
    { "id": "y", "type": "dense", "units": 10, "activation": "softmax" }
  ],
  "edges": [
    ${bn ? '{ "from": "image", "to": "c1" }, { "from": "c1", "to": "bn" }, { "from": "bn", "to": "act" }, { "from": "act", "to": "flat" },'
    : '{ "from": "image", "to": "c1" }, { "from": "c1", "to": "flat" },'}
    { "from": "flat", "to": "y" }
  ],
  "training": {
    "data": { "dataset": "digits" },
    "loss": "categorical_crossentropy",
    "optimizer": { "type": "adam", "learningRate": 0.01 },
    "batchSize": 32,
    "epochs": 2,
    "validationSplit": 0.2,
    "seed": 1
  }
}
`;
}

/** The tensors of a .safetensors file: name → shape and float32 values. */
function readSafetensors(file: string): Map<string, { shape: number[]; values: Float32Array }> {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(t.dtype, 'F32', `${name} is float32`);
    const start = 8 + headerLength + t.data_offsets[0];
    const data = bytes.subarray(start, 8 + headerLength + t.data_offsets[1]);
    const copy = new Uint8Array(data.length);
    copy.set(data);
    out.set(name, { shape: t.shape, values: new Float32Array(copy.buffer) });
  }
  return out;
}

async function trainingState(uri: vscode.Uri): Promise<TrainingState | undefined> {
  return (await vscode.commands.executeCommand('neuralCanvas.internal.trainingState', uri)) as TrainingState | undefined;
}

async function writeDesign(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Trains `uri` from its graph editor (2 epochs on the CPU) and returns the finished run's state. */
async function train(uri: vscode.Uri): Promise<TrainingState> {
  await openGraph(uri);
  const runId = await vscode.commands.executeCommand('neuralCanvas.train', uri, { epochs: 2, backend: 'cpu' });
  assert.equal(typeof runId, 'number', 'Train started a run (see the error notification otherwise)');
  const end = Date.now() + 90_000;
  for (;;) {
    const s = await trainingState(uri);
    if (s && (s.done || s.failure)) return s;
    if (Date.now() > end) throw new Error(`the run on ${path.basename(uri.fsPath)} did not finish within 90 s: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('convolutional networks in VS Code', function () {
  this.timeout(180_000);
  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
  });
  after(async () => {
    await vscode.commands.executeCommand('neuralCanvas.stopTraining');
    await closeAllEditors();
  });

  it('LeNet-5 opens in the graph editor with no problems and 61,706 parameters', async () => {
    const uri = vscode.Uri.joinPath(examplesRoot(), 'lenet5.nn');
    const session = await openGraph(uri);
    assert.equal(session.lastRendered?.errorState, false);
    assert.equal(session.lastRendered?.nodes, 9, 'every layer drawn');
    // The count the status bar shows ("61,706 params") is this analysis' total.
    assert.equal(session.analysis?.totalParams, 61_706);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => `${d.code}: ${d.message}`), []);
  });

  it('a dense layer fed an image: the problem, and "Insert Flatten" as one undoable edit that clears it', async () => {
    const text = `{
  "format": "nn/1",
  "nodes": [
    { "id": "image", "type": "input", "shape": [8, 8, 1] },
    { "id": "y", "type": "dense", "units": 10, "activation": "softmax" }
  ],
  "edges": [{ "from": "image", "to": "y" }]
}
`;
    const uri = await writeDesign('needs-flatten.nn', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor('the dense-needs-flatten problem', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'dense-needs-flatten'));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    const expected = checkNetwork(text).diagnostics.find((d) => d.code === 'dense-needs-flatten');
    assert.ok(expected && expected.nodeId === 'y', 'the model core blames the dense layer');
    assert.deepEqual([diag.range.start.line, diag.range.start.character, diag.range.end.line, diag.range.end.character],
      [expected.range.start.line, expected.range.start.character, expected.range.end.line, expected.range.end.character]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Insert Flatten');
    assert.ok(fix?.edit, `quick fixes offered: ${actions.map((a) => a.title).join('; ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const fixed = doc.getText();
    assert.match(fixed, /"id": "flatten", "type": "flatten"/);
    await waitFor('the problem to go', () => (vscode.languages.getDiagnostics(uri).some((d) => d.code === 'dense-needs-flatten') ? undefined : true));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);
    // One undo step takes the whole fix back, one redo brings it again.
    await vscode.commands.executeCommand('undo');
    await waitFor('undo', () => (doc.getText() === text ? true : undefined), 5_000);
    await waitFor('the problem to come back', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'dense-needs-flatten'));
    await vscode.commands.executeCommand('redo');
    await waitFor('redo', () => (doc.getText() === fixed ? true : undefined), 5_000);
    await doc.save();
  });

  it('Train on a tiny digits convnet completes and saves the conv and dense weights', async () => {
    const uri = await writeDesign('tiny-digits-conv.nn', digitsConvnet(false));
    const s = await train(uri);
    assert.equal(s.failure, undefined);
    assert.equal(s.done?.stopped, 'completed');
    assert.ok(s.losses.length > 0 && Number.isFinite(s.done?.loss), JSON.stringify(s.done));
    const file = path.join(workspaceRoot().fsPath, 'tiny-digits-conv.weights.safetensors');
    assert.match(s.done?.weightsFile ?? '', /tiny-digits-conv\.weights\.safetensors$/);
    const w = readSafetensors(file);
    assert.deepEqual([...w.keys()].sort(), ['c1.bias', 'c1.weight', 'y.bias', 'y.weight']);
    assert.deepEqual(w.get('c1.weight')?.shape, [4, 3, 3, 1]);
    assert.deepEqual(w.get('y.weight')?.shape, [10, 6 * 6 * 4]);
  });

  it('Train on its batch-norm variant saves the moving statistics beside gamma and beta', async () => {
    const uri = await writeDesign('tiny-digits-bn.nn', digitsConvnet(true));
    const s = await train(uri);
    assert.equal(s.failure, undefined);
    assert.equal(s.done?.stopped, 'completed');
    const w = readSafetensors(path.join(workspaceRoot().fsPath, 'tiny-digits-bn.weights.safetensors'));
    for (const k of ['bn.gamma', 'bn.beta', 'bn.moving_mean', 'bn.moving_variance']) assert.deepEqual(w.get(k)?.shape, [4], k);
    // Trained, so the running statistics left their initial 0 and 1.
    const mean = [...(w.get('bn.moving_mean')?.values ?? [])];
    const variance = [...(w.get('bn.moving_variance')?.values ?? [])];
    assert.ok(mean.some((m) => Math.abs(m) > 1e-3), `moving mean ${mean}`);
    assert.ok(variance.some((v) => Math.abs(v - 1) > 1e-3) && variance.every((v) => v > 0), `moving variance ${variance}`);
  });

  it('Export… to PyTorch writes the trained convnet\'s script and weights', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'tiny-digits-bn.nn');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-export-conv-'));
    try {
      const written = (await vscode.commands.executeCommand('neuralCanvas.export', uri, { format: 'pytorch', out })) as string[] | undefined;
      assert.ok(written && written.length > 0, 'the export wrote files (see the error notification otherwise)');
      assert.equal(written[0], path.join(out, 'tiny-digits-bn.py'));
      for (const f of written) assert.ok(fs.statSync(f).size > 0, `${path.basename(f)} is not empty`);
      const script = fs.readFileSync(written[0], 'utf8');
      assert.match(script, /nn\.Conv2d\(/);
      assert.match(script, /self\.bn = KerasBatchNorm\(4, momentum=0\.99, epsilon=0\.001/);
      assert.ok(written.includes(path.join(out, 'tiny-digits-bn.weights.safetensors')), `the trained weights go with the script: ${written.join(', ')}`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
