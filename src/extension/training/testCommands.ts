/**
 * Commands only tests call (not contributed in package.json, so not in the palette): the training
 * process's id, a file's latest training state as JSON, what the gradients panel last reported
 * drawing (its test probe), and what the status bar and a file's training view show now. Kept
 * here so the product's commands and the tests' hooks do not mix.
 */
import * as vscode from 'vscode';
import type { GradientsViewProvider } from './gradientsView';
import type { RunHistory } from './runHistory';
import type { TrainingController } from './trainingController';

/** Registers the test commands; the caller disposes them with the extension. */
export function registerTestCommands(controller: TrainingController, panel: GradientsViewProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('neuralCanvas.internal.trainerPid', () => controller.trainerPid),
    vscode.commands.registerCommand('neuralCanvas.internal.trainingState', (uri?: unknown) => {
      const target = controller.targetFile(uri);
      return target ? summarize(controller.history(target.fsPath)) : undefined;
    }),
    vscode.commands.registerCommand('neuralCanvas.internal.panelRendered', () => panel.rendered),
    vscode.commands.registerCommand('neuralCanvas.internal.trainingSurfaces', (uri?: unknown) => {
      const target = controller.targetFile(uri);
      if (!target) return undefined;
      // What the status bar item and the file's graph editor's training view show now.
      const session = controller.editors.allSessions.find((s) => s.document.uri.fsPath === target.fsPath);
      return { statusBar: controller.statusBar.shown, view: session?.lastTraining, run: controller.runStatus(target.fsPath), panel: panel.rendered };
    }),
    // What the Predict pane of the file's graph editor last reported showing.
    vscode.commands.registerCommand('neuralCanvas.internal.predictRendered', (uri?: unknown) => {
      const target = controller.targetFile(uri);
      return target ? controller.editors.allSessions.find((s) => s.document.uri.fsPath === target.fsPath)?.lastPredict : undefined;
    }),
  ];
}

/** A JSON summary of a file's latest run, for tests. */
export function summarize(h: RunHistory): Record<string, unknown> {
  const replay = h.replay();
  const losses = replay.filter((u) => u.kind === 'progress').map((u) => (u.kind === 'progress' ? u.loss : NaN));
  const layers = h.last('layers');
  const done = h.last('done');
  const failure = h.last('error') ?? h.last('exited');
  return {
    running: h.hasRun && !done && !failure,
    losses,
    layers: layers?.layers.map((l) => ({ id: l.id, gradNorm: l.grad?.l2, weightNorm: l.weight.l2 })) ?? [],
    boundaries: h.last('boundary') ? 1 : 0,
    neurons: h.last('neurons') ? 1 : 0,
    layerPoints: replay.filter((u) => u.kind === 'layers').length,
    done: done ? { stopped: done.stopped, loss: done.loss, weightsFile: done.weightsFile } : undefined,
    failure: failure?.message,
    check: h.check,
  };
}
