/**
 * Neuron heatmaps inside a real VS Code (the installed .vsix, the real training process): Train
 * on the spiral example from the command draws, in the graph editor's webview, one heatmap tile
 * per neuron of the input, both hidden layers and the output, each a picture rather than a flat
 * colour once training has run (the view's own report of its canvases). The extension host
 * cannot move the pointer inside a webview, so hovering is the Chromium test's
 * (test/webview/neuronHeatmaps.test.ts); here the view reports that no neuron is shown large and
 * the boundary is drawn. With `neuralCanvas.training.neuronHeatmaps` off a run draws no tiles.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { closeAllEditors, examplesRoot, extensionUnderTest, waitFor } from './extensionUnderTest';
import { openGraph } from './graphSession';

interface Surfaces { run: { runId: number; phase: string; message?: string } }

/** Trains `uri` from the command with `overrides` and waits until that run has ended; returns its last phase. */
async function trainToEnd(uri: vscode.Uri, overrides: Record<string, unknown>): Promise<Surfaces['run']> {
  const runId = await vscode.commands.executeCommand('neuralCanvas.train', uri, overrides);
  assert.equal(typeof runId, 'number', 'Train started a run');
  const end = Date.now() + 60_000;
  for (;;) {
    const { run } = (await vscode.commands.executeCommand('neuralCanvas.internal.trainingSurfaces', uri)) as Surfaces;
    if (run.runId === runId && ['completed', 'stopped', 'failed'].includes(run.phase)) return run;
    if (Date.now() > end) throw new Error(`timed out waiting for run ${String(runId)} to end; it stands at ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The tiles the view reports drawing, by node. */
function tilesByNode(session: GraphEditorSession): Record<string, number> {
  return Object.fromEntries((session.lastNeurons?.nodes ?? []).map((n) => [n.id, n.tiles]));
}

describe('neuron heatmaps in VS Code', function () {
  this.timeout(180_000);
  const spiral = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'spiral.nn');
  const setting = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('neuralCanvas.training');

  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
    await vscode.commands.executeCommand('neuralCanvas.resetWeights', spiral(), { confirmed: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('neuralCanvas.stopTraining');
    await setting().update('neuronHeatmaps', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('neuralCanvas.resetWeights', spiral(), { confirmed: true });
    await closeAllEditors();
  });

  it('Train on the spiral draws a heatmap per neuron of x, h1, h2 and y in the graph, each a picture', async () => {
    const session = await openGraph(spiral());
    assert.deepEqual(tilesByNode(session), {}, 'no tiles before training');
    const run = await trainToEnd(spiral(), { epochs: 3, backend: 'cpu' });
    assert.equal(run.phase, 'completed', run.message);
    // Reported once the run has ended (a streaming view does not read its canvases back).
    const trained = (await vscode.commands.executeCommand('neuralCanvas.internal.trainingState', spiral())) as { neurons: number };
    assert.equal(trained.neurons, 1, 'the run sent heatmaps');
    const drawn = await waitFor('the view to report tiles in all four layers', () => (session.lastNeurons?.nodes.length === 4 ? session.lastNeurons : undefined), 20_000,
      () => `last report: ${JSON.stringify(session.lastNeurons)}`);
    // One tile per neuron: 2 inputs, 16 + 16 hidden, 1 output (≤ 16 a layer, so all of them).
    assert.deepEqual(tilesByNode(session), { x: 2, h1: 16, h2: 16, y: 1 });
    const varied = Object.fromEntries(drawn.nodes.map((n) => [n.id, n.varied]));
    // Each input is a ramp along its axis and the output is the boundary: pictures, never flat.
    assert.equal(varied.x, 2, JSON.stringify(drawn.nodes));
    assert.equal(varied.y, 1, JSON.stringify(drawn.nodes));
    // A ReLU neuron may be off over the whole plane (flat), but a trained layer is mostly pictures.
    assert.ok(varied.h1 >= 12 && varied.h2 >= 4, `hidden tiles with more than one colour: ${JSON.stringify(drawn.nodes)}`);
    // Nothing hovered: the training view shows the boundary, not a neuron.
    assert.equal(drawn.focus, '');
    await waitFor('the training view to report its boundary', () => (session.lastTraining?.boundary ? true : undefined), 10_000, () => JSON.stringify(session.lastTraining));
  });

  it('with neuralCanvas.training.neuronHeatmaps off, the tiles go and a run draws none', async () => {
    const session = await openGraph(spiral());
    await waitFor('the tiles of the last run', () => (Object.keys(tilesByNode(session)).length === 4 ? true : undefined), 20_000, () => JSON.stringify(session.lastNeurons));
    await setting().update('neuronHeatmaps', false, vscode.ConfigurationTarget.Global);
    await waitFor('the tiles to go when the setting is turned off', () => (Object.keys(tilesByNode(session)).length === 0 ? true : undefined), 10_000, () => JSON.stringify(session.lastNeurons));
    const run = await trainToEnd(spiral(), { epochs: 2, backend: 'cpu' });
    assert.equal(run.phase, 'completed', run.message);
    await waitFor('the training view to report the run', () => (/^completed/.test(session.lastTraining?.header ?? '') ? true : undefined), 10_000, () => JSON.stringify(session.lastTraining));
    assert.deepEqual(tilesByNode(session), {}, 'no tiles after a run with heatmaps off');
    // Not just hidden: the training process computed none (the host's record of the run has no heatmaps).
    const state = (await vscode.commands.executeCommand('neuralCanvas.internal.trainingState', spiral())) as { neurons: number; boundaries: number };
    assert.deepEqual([state.neurons, state.boundaries], [0, 1], 'the run streamed its boundary but no heatmaps');
  });
});
