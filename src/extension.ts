/**
 * Entry point of the extension: wires the parts together and nothing else.
 * Every resource goes into `context.subscriptions` so VS Code disposes it on deactivation.
 */
import * as vscode from 'vscode';

/** Called by VS Code on the first activation event (opening a .nn file or running a command). */
export function activate(context: vscode.ExtensionContext): void {
  void context;
}

/** Nothing to do: everything was registered in context.subscriptions. */
export function deactivate(): void {}
