/**
 * Opening a design in the graph editor of the VS Code under test, and waiting for its drawing:
 * the steps most integration tests begin with.
 */
import * as vscode from 'vscode';
import type { GraphEditorApi, GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { GRAPH_VIEW_TYPE, extensionUnderTest, waitFor } from './extensionUnderTest';

/** What the view reported for its last drawing. */
export type Rendered = NonNullable<GraphEditorSession['lastRendered']>;

/** Waits until the view has drawn `version` (by default the document's current one) or a later one. */
export async function drawnVersion(session: GraphEditorSession, version = session.document.version, timeoutMs = 30_000): Promise<Rendered> {
  return waitFor(`the graph to draw version ${version} of ${session.fileName}`, () => {
    const r = session.lastRendered;
    return r && r.version >= version ? r : undefined;
  }, timeoutMs);
}

/** Opens `uri` with the graph editor and returns its session once the view has drawn it. */
export async function openGraph(uri: vscode.Uri, drawTimeoutMs = 30_000): Promise<GraphEditorSession> {
  await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE);
  const { graphEditor } = (await extensionUnderTest().activate()) as GraphEditorApi;
  const session = await waitFor(`a graph editor for ${uri.path}`, () => graphEditor.allSessions.find((s) => s.document.uri.toString() === uri.toString()), 20_000);
  await drawnVersion(session, undefined, drawTimeoutMs);
  return session;
}
