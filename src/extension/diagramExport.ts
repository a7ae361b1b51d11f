/**
 * "Export Diagram as SVG / PNG": asks for the colour theme (remembered per workspace) and the file,
 * has the graph editor draw the diagram, and writes it. An existing file is replaced only when the
 * user said so: the save dialog asks itself, and a path given as an argument gets a modal unless
 * the caller passed `force`.
 */
import * as vscode from 'vscode';
import type { DiagramTheme } from '../protocol';
import { DIAGRAM_THEME_KEY, defaultDiagramName, diagramTarget, readDiagramOptions, rememberedTheme, resolveOut, themePickItems } from './diagramExportOptions';
import type { DiagramFormat } from './diagramExportOptions';
import { GRAPH_VIEW_TYPE } from './graphEditorProvider';
import type { GraphEditorProvider, GraphEditorSession } from './graphEditorProvider';
import { uriExists as exists } from './uriExists';

/** The graph editor of `uri` (opened when there is none), else the active one. */
async function sessionFor(provider: GraphEditorProvider, uri: unknown): Promise<GraphEditorSession | undefined> {
  if (uri instanceof vscode.Uri) {
    const key = uri.toString();
    const open = provider.allSessions.find((s) => s.document.uri.toString() === key);
    if (open) return open;
    await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE);
    const session = provider.allSessions.find((s) => s.document.uri.toString() === key);
    if (session && !session.lastRendered) {
      await new Promise<void>((resolve) => {
        const sub = session.onDidRender(() => { sub.dispose(); resolve(); });
      });
    }
    return session;
  }
  const s = provider.activeSession ?? (provider.allSessions.length === 1 ? provider.allSessions[0] : undefined);
  if (!s) void vscode.window.showWarningMessage('Open a .nn file in the Neural Canvas graph editor first.');
  return s;
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
  } catch {
    return false;
  }
}

/**
 * Exports the diagram of `uriArg`'s graph editor (or the active one) as `format`; `optionsArg`
 * ({ theme, out, force }) skips the prompts it answers. Returns the path written, or undefined
 * when cancelled or refused (the user was told why).
 */
export async function exportDiagram(provider: GraphEditorProvider, state: vscode.Memento, format: DiagramFormat, uriArg?: unknown, optionsArg?: unknown): Promise<string | undefined> {
  const read = readDiagramOptions(optionsArg);
  if ('problem' in read) {
    void vscode.window.showErrorMessage(`Export Diagram: ${read.problem}`);
    return undefined;
  }
  const { options } = read;
  const session = await sessionFor(provider, uriArg);
  if (!session) return undefined;
  const upper = format.toUpperCase();
  let theme: DiagramTheme | undefined = options.theme;
  if (!theme) {
    const remembered = rememberedTheme(state.get(DIAGRAM_THEME_KEY));
    if (options.out !== undefined) theme = remembered;
    else {
      const picked = await vscode.window.showQuickPick(themePickItems(remembered), { title: `Export ${session.fileName} as ${upper}`, placeHolder: 'Colours of the diagram' });
      if (!picked) return undefined;
      theme = picked.theme;
      await state.update(DIAGRAM_THEME_KEY, theme);
    }
  }
  let target: vscode.Uri;
  if (options.out !== undefined) {
    const nnFile = session.document.uri.fsPath;
    const where = diagramTarget(nnFile, format, options.out, await isFolder(vscode.Uri.file(resolveOut(nnFile, options.out))));
    if ('problem' in where) {
      void vscode.window.showErrorMessage(`Export Diagram of ${session.fileName}: ${where.problem}`);
      return undefined;
    }
    target = vscode.Uri.file(where.file);
    if (!options.force && await exists(target)) {
      const replace = 'Replace';
      const answer = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(target)} already exists. Replace it with the diagram of ${session.fileName}?`, { modal: true, detail: 'Nothing has been written yet.' }, replace);
      if (answer !== replace) return undefined;
    }
  } else {
    // The save dialog asks before it replaces a file that exists.
    const picked = await vscode.window.showSaveDialog({
      title: `Export the diagram of ${session.fileName} as ${upper}`,
      defaultUri: session.document.uri.with({ path: session.document.uri.path.replace(/[^/]*$/, defaultDiagramName(session.document.uri.path, format)) }),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      saveLabel: 'Export',
    });
    if (!picked) return undefined;
    target = picked;
  }
  let data: string;
  try {
    data = await session.channel.request({ type: 'exportDiagram', format, theme });
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not export the diagram of ${session.fileName}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not write ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}. Choose another place to export the diagram to.`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Exported the diagram of ${session.fileName} (${theme}) to ${vscode.workspace.asRelativePath(target)}.`);
  return target.fsPath;
}
