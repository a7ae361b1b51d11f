/**
 * One training state in a real VS Code (the installed .vsix, the real training process): after
 * a run, after Step, after a second Step and after Reset Weights, the status bar item and the
 * graph editor's training view say the same thing — the same epoch and step in the same words —
 * and neither says "starting on cpu" or "0 samples/s" after a Step; Reset leaves no chart, no
 * boundary and no "continuing from" note. A design without training data is offered "Add
 * training data…" by Train, Train with Options and Step before anything else is asked or run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, closeAllEditors, examplesRoot, extensionUnderTest, workspaceRoot } from './extensionUnderTest';

interface Surfaces {
  statusBar: { file?: string; text: string; tooltip: string; visible: boolean };
  view?: { header: string; outcome: string; notices: string; chart: boolean; boundary: boolean };
  run: { phase: string; epoch: number; step: number };
}

async function surfaces(uri: vscode.Uri): Promise<Surfaces> {
  return (await vscode.commands.executeCommand('neuralCanvas.internal.trainingSurfaces', uri)) as Surfaces;
}

/** Polls until `check` accepts what the surfaces show. */
async function until(uri: vscode.Uri, what: string, check: (s: Surfaces) => boolean, timeoutMs = 30_000): Promise<Surfaces> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await surfaces(uri);
    if (check(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the surfaces show ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The status bar's words after "$(icon) spiral.nn: ", less the loss it adds. */
function statusWords(s: Surfaces): string {
  return s.statusBar.text.replace(/^\$\([^)]*\) spiral\.nn: /, '').replace(/ · loss \S+$/, '');
}

describe('training state on every surface in VS Code', function () {
  this.timeout(120_000);
  const spiral = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'spiral.nn');

  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
    await vscode.commands.executeCommand('neuralCanvas.resetWeights', spiral(), { confirmed: true });
    await vscode.commands.executeCommand('vscode.openWith', spiral(), GRAPH_VIEW_TYPE);
  });
  after(async () => {
    await vscode.commands.executeCommand('neuralCanvas.stopTraining');
    await vscode.commands.executeCommand('neuralCanvas.resetWeights', spiral(), { confirmed: true });
    await closeAllEditors();
  });

  it('after a run both say where it ended', async () => {
    await vscode.commands.executeCommand('neuralCanvas.train', spiral(), { epochs: 2, backend: 'cpu' });
    // The editor may still be loading when the run starts: it is brought up to date (replayed) once ready.
    const s = await until(spiral(), 'the run to end on both surfaces', (x) => x.run.phase === 'completed' && /^completed · epoch 2\/2 .* params$/.test(x.view?.header ?? ''));
    assert.match(s.view?.header ?? '', /^completed · epoch 2\/2 · step (\d+)\/\1 · [\d,]+ samples\/s · cpu · [\d,]+ params$/);
    assert.equal(statusWords(s), (s.view?.header ?? '').split(' · ').slice(0, 3).join(' · '));
    assert.doesNotMatch(s.statusBar.text, /sync~spin/);
  });

  it('after Step and a second Step: "stepped" at the same epoch and step, never "starting on cpu" or "0 samples/s"', async () => {
    for (const n of [1, 2]) {
      await vscode.commands.executeCommand('neuralCanvas.step', spiral());
      const s = await until(spiral(), `Step ${n} on both surfaces`, (x) => new RegExp(`^stepped · epoch 1/\\d+ · step ${n}/`).test(x.view?.header ?? '') && /stepped/.test(x.statusBar.text));
      const header = s.view?.header ?? '';
      assert.match(header, new RegExp(`^stepped · epoch 1/(\\d+) · step ${n}/(\\d+) · cpu · [\\d,]+ params$`));
      assert.ok(s.statusBar.visible);
      assert.equal(statusWords(s), header.split(' · ').slice(0, 3).join(' · '), `status bar "${s.statusBar.text}" vs header "${header}"`);
      for (const text of [s.statusBar.text, header]) assert.doesNotMatch(text, /starting|samples\/s|\b0 params/);
    }
  });

  it('after Reset Weights both say so, and the view keeps nothing of the old weights', async () => {
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.resetWeights', spiral(), { confirmed: true }), true, 'the stepped weights were deleted');
    const s = await until(spiral(), 'the reset on both surfaces', (x) => x.view?.header === 'weights reset' && /weights reset/.test(x.statusBar.text));
    assert.equal(s.statusBar.text, '$(discard) spiral.nn: weights reset');
    assert.match(s.view?.outcome ?? '', /^Weights reset: spiral\.weights\.safetensors was deleted/);
    assert.deepEqual([s.view?.chart, s.view?.boundary, s.view?.notices], [false, false, ''], 'no chart, boundary or "continuing from" note');
  });

  it('a design without training data: Train, Train with Options and Step offer data instead of asking or running', async () => {
    // Three inputs, no training section: nothing to train on.
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'no-data-three-inputs.nn');
    const design = { format: 'nn/1', nodes: [{ id: 'x', type: 'input', units: 3 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }], edges: [{ from: 'x', to: 'y' }] };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(design, null, 2)));
    try {
      for (const command of ['neuralCanvas.train', 'neuralCanvas.trainWithOptions', 'neuralCanvas.step']) {
        // The offer is a notification with an "Add training data…" button; dismissing it ends the command.
        // (Train with Options used to open its options first, and stayed open through the dismissal.)
        let settled = false;
        const result = Promise.resolve(vscode.commands.executeCommand(command, uri)).finally(() => { settled = true; });
        const end = Date.now() + 10_000;
        while (!settled && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 300));
          await vscode.commands.executeCommand('notifications.clearAll');
        }
        assert.ok(settled, `${command} ended when its notification was dismissed (no options were asked first)`);
        assert.equal(await result, undefined, `${command} started nothing`);
        const s = await surfaces(uri);
        assert.equal(s.run.phase, 'none', `${command}: no run, no Step, no failure`);
      }
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
