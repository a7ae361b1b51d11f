/**
 * Shared helpers for the integration tests: the extension under test (the installed .vsix),
 * its manifest, and a scratch workspace folder holding the fixtures.
 */
import * as vscode from 'vscode';

/** The extension's identifier: `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'neural-canvas.neural-canvas';

/** The custom editor's view type, as contributed in package.json. */
export const GRAPH_VIEW_TYPE = 'neuralCanvas.graph';

/** Returns the extension under test, failing with a clear message when it is not installed. */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} is not loaded (non-builtin extensions: ${ids.join(', ') || 'none'})`);
  }
  return ext;
}

/** The workspace folder the runner opened (a scratch copy holding the fixtures). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration runner must open a workspace folder');
  return folder.uri;
}

/** The shipped examples' folder inside the workspace (a scratch copy of the repo's examples/). */
export function examplesRoot(): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), 'examples');
}

/** The active tab's input when it is a custom editor, else undefined. */
export function activeCustomEditor(): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input : undefined;
}

/** Every tab of the window by group ("[1] interview.nn*, Summary: interview.nn | [2] …", * = active): for failure messages. */
export function describeTabs(): string {
  return vscode.window.tabGroups.all
    .map((g) => `[${g.viewColumn}] ${g.tabs.map((t) => `${t.label}${t.isActive ? '*' : ''}`).join(', ') || '(empty)'}`)
    .join(' | ');
}

/**
 * Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; on a timeout the
 * error says what was awaited, the window's tabs and `detail()` (the state that should have changed).
 */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000, detail?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; tabs: ${describeTabs()}${detail ? `; ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Closes every editor so each test starts from an empty window. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
