/**
 * The graph editor's commands: New Network (templates), Export Diagram as SVG / PNG, Fit View,
 * zoom, and switching between the graph and the text view.
 */
import * as vscode from 'vscode';
import type { EditorAction } from '../protocol';
import { exportDiagram } from './diagramExport';
import { GRAPH_VIEW_TYPE } from './graphEditorProvider';
import type { GraphEditorProvider, GraphEditorSession } from './graphEditorProvider';
import { TEMPLATES, templateText } from './templates';

/** Command ids, as contributed in package.json. */
export const COMMANDS = {
  newNetwork: 'neuralCanvas.newNetwork',
  exportSvg: 'neuralCanvas.exportDiagramSvg',
  exportPng: 'neuralCanvas.exportDiagramPng',
  fitView: 'neuralCanvas.fitView',
  zoomIn: 'neuralCanvas.zoomIn',
  zoomOut: 'neuralCanvas.zoomOut',
  openText: 'neuralCanvas.openTextEditor',
  openGraph: 'neuralCanvas.openGraphEditor',
} as const;

function activeOrWarn(provider: GraphEditorProvider): GraphEditorSession | undefined {
  const s = provider.activeSession ?? (provider.allSessions.length === 1 ? provider.allSessions[0] : undefined);
  if (!s) void vscode.window.showWarningMessage('Open a .nn file in the Neural Canvas graph editor first.');
  return s;
}

async function newNetwork(extensionUri: vscode.Uri): Promise<void> {
  const pick = await vscode.window.showQuickPick(TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })), {
    title: 'New Network', placeHolder: 'Start from a template',
  });
  if (!pick) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Save the new network',
    defaultUri: folder ? vscode.Uri.joinPath(folder, pick.template.fileName) : undefined,
    filters: { 'Neural Canvas network': ['nn'] },
  });
  if (!target) return;
  // The examples ship in the .vsix; a template writes its example's text unchanged.
  const text = await templateText(pick.template, async (file) => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', file))));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.commands.executeCommand('vscode.openWith', target, GRAPH_VIEW_TYPE);
}

function action(provider: GraphEditorProvider, a: EditorAction): void {
  activeOrWarn(provider)?.channel.post({ type: 'action', action: a });
}

/** Registers every editor command. */
export function registerEditorCommands(provider: GraphEditorProvider, extensionUri: vscode.Uri, workspaceState: vscode.Memento): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.newNetwork, () => newNetwork(extensionUri)),
    // Arguments (uri, { theme, out, force }) skip the prompts: tests, scripts and the walkthrough.
    vscode.commands.registerCommand(COMMANDS.exportSvg, (uri?: unknown, options?: unknown) => exportDiagram(provider, workspaceState, 'svg', uri, options)),
    vscode.commands.registerCommand(COMMANDS.exportPng, (uri?: unknown, options?: unknown) => exportDiagram(provider, workspaceState, 'png', uri, options)),
    vscode.commands.registerCommand(COMMANDS.fitView, () => action(provider, 'fitView')),
    vscode.commands.registerCommand(COMMANDS.zoomIn, () => action(provider, 'zoomIn')),
    vscode.commands.registerCommand(COMMANDS.zoomOut, () => action(provider, 'zoomOut')),
    vscode.commands.registerCommand(COMMANDS.openText, (uri?: vscode.Uri) => {
      const target = uri ?? provider.activeSession?.document.uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target) return vscode.commands.executeCommand('vscode.openWith', target, 'default');
    }),
    vscode.commands.registerCommand(COMMANDS.openGraph, (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target) return vscode.commands.executeCommand('vscode.openWith', target, GRAPH_VIEW_TYPE);
    }),
  ];
}
