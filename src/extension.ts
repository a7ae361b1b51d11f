/**
 * Entry point of the extension: wires the parts together and nothing else.
 * Every resource goes into `context.subscriptions` so VS Code disposes it on deactivation.
 */
import * as vscode from 'vscode';
import { registerGraphEditor } from './extension/registerGraphEditor';

/** Called by VS Code on the first activation event (opening a .nn file or running a command). */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Neural Canvas');
  context.subscriptions.push(log);
  registerGraphEditor(context, log);
}

/** Nothing to do: everything was registered in context.subscriptions. */
export function deactivate(): void {}
