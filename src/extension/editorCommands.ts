/**
 * The graph editor's commands: New Network (templates), Export Diagram as SVG / PNG, Fit View,
 * zoom, and switching between the graph and the text view.
 */
import * as vscode from 'vscode';
import type { EditorAction } from '../protocol';
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

async function exportDiagram(provider: GraphEditorProvider, format: 'svg' | 'png'): Promise<void> {
  const session = activeOrWarn(provider);
  if (!session) return;
  let data: string;
  try {
    data = await session.channel.request({ type: 'exportDiagram', format });
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not export ${session.fileName}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const base = session.document.uri.path.replace(/\.nn$/, '');
  const target = await vscode.window.showSaveDialog({
    title: `Export diagram as ${format.toUpperCase()}`,
    defaultUri: session.document.uri.with({ path: `${base}.${format}` }),
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
  });
  if (!target) return;
  const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Exported the diagram to ${vscode.workspace.asRelativePath(target)}.`);
}

function action(provider: GraphEditorProvider, a: EditorAction): void {
  activeOrWarn(provider)?.channel.post({ type: 'action', action: a });
}

/** Registers every editor command. */
export function registerEditorCommands(provider: GraphEditorProvider, extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.newNetwork, () => newNetwork(extensionUri)),
    vscode.commands.registerCommand(COMMANDS.exportSvg, () => exportDiagram(provider, 'svg')),
    vscode.commands.registerCommand(COMMANDS.exportPng, () => exportDiagram(provider, 'png')),
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
