/**
 * Registers the graph editor and everything around it (diagnostics, quick fixes, status bar,
 * commands); extension.ts calls this once.
 */
import * as vscode from 'vscode';
import { DiagnosticsController } from './diagnosticsController';
import { registerEditorCommands } from './editorCommands';
import { GRAPH_VIEW_TYPE, GraphEditorProvider } from './graphEditorProvider';
import { ParamsStatusBar } from './statusBar';

/** Everything the graph editor needs; all of it goes into `context.subscriptions`. */
export function registerGraphEditor(context: vscode.ExtensionContext, log: vscode.OutputChannel): GraphEditorProvider {
  const provider = new GraphEditorProvider(context.extensionUri, log);
  context.subscriptions.push(
    provider,
    vscode.window.registerCustomEditorProvider(GRAPH_VIEW_TYPE, provider, {
      // Hidden graph tabs keep their state (zoom, selection) instead of being rebuilt.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
    new DiagnosticsController(),
    new ParamsStatusBar(provider),
    ...registerEditorCommands(provider),
  );
  return provider;
}
