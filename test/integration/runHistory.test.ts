/**
 * The run history inside a real VS Code (the installed .vsix): two Train runs of a design leave
 * two lines in name.runs.jsonl beside it, each with the settings the run used, and the design's
 * open graph editor is sent both (the Chromium test covers how the view draws them); Steps on
 * the same weights add one entry, and Reset Weights makes the next Step start another.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, closeAllEditors, examplesRoot, extensionUnderTest } from './extensionUnderTest';

interface RunHistoryReport {
  runs: { line: number; started: string; ended: string; epochs: number; backend: string; training: Record<string, unknown> }[];
  editors: ({ file: string; started: string[]; warnings: number } | null)[];
}

async function report(uri: vscode.Uri): Promise<RunHistoryReport> {
  return (await vscode.commands.executeCommand('neuralCanvas.internal.runHistory', uri)) as RunHistoryReport;
}

async function until(uri: vscode.Uri, what: string, check: (r: RunHistoryReport) => boolean, timeoutMs = 60_000): Promise<RunHistoryReport> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await report(uri);
    if (check(r)) return r;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe('run history in VS Code', function () {
  this.timeout(180_000);
  const design = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'run-history.nn');
  const log = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'run-history.runs.jsonl');

  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
    const spiral = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(examplesRoot(), 'spiral.nn')));
    // The spiral example, smaller, so two runs take seconds.
    await vscode.workspace.fs.writeFile(design(), new TextEncoder().encode(spiral.replace('"samples": 2000', '"samples": 300').replace('"epochs": 500', '"epochs": 4')));
    try { await vscode.workspace.fs.delete(log()); } catch { /* not there */ }
  });
  after(async () => {
    await vscode.commands.executeCommand('neuralCanvas.stopTraining');
    await closeAllEditors();
  });

  it('two Train runs leave two lines beside the design, and its editor is sent both', async () => {
    await vscode.commands.executeCommand('vscode.openWith', design(), GRAPH_VIEW_TYPE);
    await until(design(), 'the editor to be greeted', (r) => r.editors.length === 1);
    assert.equal(typeof await vscode.commands.executeCommand('neuralCanvas.train', design(), { backend: 'cpu' }), 'number', 'the first run started');
    await until(design(), 'the first run to be recorded', (r) => r.runs.length === 1);
    assert.equal(typeof await vscode.commands.executeCommand('neuralCanvas.train', design(), { epochs: 3, learningRate: 0.001, backend: 'cpu' }), 'number', 'the second run started');
    const r = await until(design(), 'both runs listed in the editor', (x) => x.runs.length === 2 && x.editors[0]?.started.length === 2);

    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(log()));
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 2, 'one line per run');
    assert.ok(text.endsWith('\n'));
    const [first, second] = lines.map((l) => JSON.parse(l) as { format: string; design: string; ended: string; backend: string; seed: number; training: Record<string, unknown>; curves: { epoch: number[]; loss: number[]; valLoss: number[] }; final: { epochs: number } });
    assert.equal(first.format, 'nn-run/1');
    assert.equal(first.design, 'run-history.nn');
    assert.equal(first.ended, 'finished');
    assert.equal(first.backend, 'cpu');
    assert.equal(first.seed, 42);
    assert.equal(first.training.epochs, 4);
    assert.deepEqual(first.curves.epoch, [1, 2, 3, 4], 'every epoch');
    assert.equal(first.curves.valLoss.length, 4);
    assert.equal(second.training.epochs, 3, 'the override as used');
    assert.equal((second.training.optimizer as Record<string, unknown>).learningRate, 0.001);
    assert.equal(second.final.epochs, 3);
    assert.deepEqual(r.editors[0]?.started, r.runs.map((x) => x.started), 'the editor was sent both, oldest first');
    assert.equal(r.editors[0]?.file, 'run-history.runs.jsonl');
  });

  it('consecutive Steps are one entry that each Step extends; after Reset Weights, Steps start a new one', async () => {
    const before = (await report(design())).runs.length;
    const lines = async (): Promise<{ mode?: string; steps?: number; started: string; ended: string; curves: { epoch: number[]; loss: unknown[] } }[]> =>
      new TextDecoder().decode(await vscode.workspace.fs.readFile(log())).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as never);
    for (let i = 0; i < 3; i++) assert.ok(await vscode.commands.executeCommand('neuralCanvas.step', design()), `Step ${i + 1} answered`);
    await until(design(), 'the Steps to be recorded', (x) => x.runs.length === before + 1 && (x.editors[0]?.started.length ?? 0) === before + 1);
    const stepped = async (n: number) => {
      const end = Date.now() + 30_000;
      while ((await lines()).at(-1)?.steps !== n && Date.now() < end) await new Promise((res) => setTimeout(res, 200));
      return lines();
    };
    let all = await stepped(3);
    assert.equal(all.length, before + 1, 'three Steps, one line');
    const entry = all[before];
    assert.equal(entry.mode, 'step');
    assert.equal(entry.steps, 3);
    assert.equal(entry.ended, 'finished');
    assert.equal(entry.curves.loss.length, 3, 'a point per Step');
    assert.ok(entry.curves.epoch.every((e, i) => i === 0 || e > entry.curves.epoch[i - 1]), 'at increasing epochs');

    await vscode.commands.executeCommand('neuralCanvas.resetWeights', design(), { confirmed: true });
    assert.ok(await vscode.commands.executeCommand('neuralCanvas.step', design()), 'a Step after Reset Weights answered');
    await until(design(), 'the new entry to be recorded', (x) => x.runs.length === before + 2);
    all = await stepped(1);
    assert.equal(all.length, before + 2, 'Reset Weights: the next Step starts a new entry');
    assert.equal(all[before].steps, 3, 'the earlier entry is kept as it was');
    assert.notEqual(all[before + 1].started, entry.started);
  });
});
