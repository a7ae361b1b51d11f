/**
 * Registers training: the controller (commands, status bar, progress, trainer process) and the
 * gradients panel; extension.ts calls this once with the graph editor provider.
 */
import * as vscode from 'vscode';
import type { GraphEditorProvider } from '../graphEditorProvider';
import { GRADIENTS_VIEW_ID, GradientsViewProvider } from './gradientsView';
import { registerTestCommands } from './testCommands';
import { TRAINING_COMMANDS, TrainingController } from './trainingController';

/** Everything training needs; all of it goes into `context.subscriptions`. */
export function registerTraining(context: vscode.ExtensionContext, editors: GraphEditorProvider, log: vscode.OutputChannel): TrainingController {
  const controller = new TrainingController(context.extensionUri, editors, log);
  const panel = new GradientsViewProvider(context.extensionUri, controller, log);
  context.subscriptions.push(
    controller,
    panel,
    ...controller.registerCommands(),
    vscode.window.registerWebviewViewProvider(GRADIENTS_VIEW_ID, panel),
    vscode.commands.registerCommand(TRAINING_COMMANDS.showGradients, () => panel.reveal()),
    ...registerTestCommands(controller, panel),
  );
  return controller;
}
