/**
 * Registers the graph editor and everything around it (diagnostics, quick fixes, status bar,
 * commands); extension.ts calls this once.
 */
import * as vscode from 'vscode';
import { DiagnosticsController } from './diagnosticsController';
import { DEFAULT_MAX_FILE_SIZE_MB, DocumentChecks, MAX_FILE_SIZE_SETTING, maxFileBytes } from './documentChecks';
import { registerEditorCommands } from './editorCommands';
import { GRAPH_VIEW_TYPE, GraphEditorProvider } from './graphEditorProvider';
import { registerNodeReveal } from './nodeReveal';
import { ParamsStatusBar } from './statusBar';

/** Everything the graph editor needs; all of it goes into `context.subscriptions`. */
export function registerGraphEditor(context: vscode.ExtensionContext, log: vscode.OutputChannel): GraphEditorProvider {
  // One check per document version, shared by the Problems panel, the graph editors and the status bar.
  const checks = new DocumentChecks(() => maxFileBytes(vscode.workspace.getConfiguration().get<number>(MAX_FILE_SIZE_SETTING, DEFAULT_MAX_FILE_SIZE_MB)));
  const provider = new GraphEditorProvider(context.extensionUri, log, checks);
  const diagnostics = new DiagnosticsController(checks);
  const status = new ParamsStatusBar(provider, checks);
  context.subscriptions.push(
    provider,
    vscode.window.registerCustomEditorProvider(GRAPH_VIEW_TYPE, provider, {
      // Hidden graph tabs keep their state (zoom, selection) instead of being rebuilt.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
    diagnostics,
    status,
    vscode.workspace.onDidCloseTextDocument((d) => checks.forget(d.uri.toString())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(MAX_FILE_SIZE_SETTING)) return;
      diagnostics.updateAll();
      for (const s of provider.allSessions) s.sendSnapshot();
      status.refresh();
    }),
    ...registerEditorCommands(provider, context.extensionUri, context.workspaceState),
    ...registerNodeReveal(provider, checks),
  );
  return provider;
}
