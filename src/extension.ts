/**
 * Entry point of the extension: wires the parts together and nothing else.
 * Every resource goes into `context.subscriptions` so VS Code disposes it on deactivation.
 */
import * as vscode from 'vscode';
import type { GraphEditorApi } from './extension/graphEditorProvider';
import { registerGraphEditor } from './extension/registerGraphEditor';
import { registerTraining } from './extension/training/registerTraining';

/** Called by VS Code on the first activation event (opening a .nn file or running a command). */
export function activate(context: vscode.ExtensionContext): GraphEditorApi {
  const log = vscode.window.createOutputChannel('Neural Canvas');
  context.subscriptions.push(log);
  const editors = registerGraphEditor(context, log);
  registerTraining(context, editors, log);
  return { graphEditor: editors };
}

/** Nothing to do: everything was registered in context.subscriptions. */
export function deactivate(): void {}
