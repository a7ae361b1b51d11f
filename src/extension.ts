/**
 * Entry point of the extension: wires the parts together and nothing else.
 * Every resource goes into `context.subscriptions` so VS Code disposes it on deactivation.
 */
import * as vscode from 'vscode';
import type { GraphEditorApi } from './extension/graphEditorProvider';
import { registerGraphEditor } from './extension/registerGraphEditor';
import { registerSummary, type SummaryApi } from './extension/summary/summaryView';
import { registerTraining } from './extension/training/registerTraining';
import { registerOpenExample } from './extension/walkthrough/openExample';

/** Called by VS Code on the first activation event (opening a .nn file or running a command). */
export function activate(context: vscode.ExtensionContext): GraphEditorApi & SummaryApi {
  const log = vscode.window.createOutputChannel('Neural Canvas');
  context.subscriptions.push(log);
  const editors = registerGraphEditor(context, log);
  registerTraining(context, editors, log);
  const summary = registerSummary(context, editors, log);
  registerOpenExample(context);
  return { graphEditor: editors, summary };
}

/** Nothing to do: everything was registered in context.subscriptions. */
export function deactivate(): void {}
