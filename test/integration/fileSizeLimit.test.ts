/**
 * The size limit inside a real VS Code: a .nn file above neuralCanvas.maxFileSizeMB opens with a
 * message instead of a graph and one warning in the Problems panel; raising the setting draws it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorApi, GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { GRAPH_VIEW_TYPE, closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';

describe('the size limit (neuralCanvas.maxFileSizeMB)', function () {
  this.timeout(60_000);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('neuralCanvas');

  after(async () => {
    await config().update('maxFileSizeMB', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  it('shows a message instead of the graph, warns once, and draws the file once the limit is raised', async () => {
    const { graphEditor } = (await extensionUnderTest().activate()) as GraphEditorApi;
    await config().update('maxFileSizeMB', 0.1, vscode.ConfigurationTarget.Global);
    const interview = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples', 'interview.nn'));
    const text = new TextDecoder().decode(interview) + ' '.repeat(200 * 1024);
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'large.nn');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

    await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE);
    const session: GraphEditorSession = await waitFor('the graph editor of large.nn', () => graphEditor.allSessions.find((s) => s.document.uri.toString() === uri.toString()), 20_000);
    const refused = await waitFor('the view to draw its message', () => session.lastRendered, 30_000);
    assert.equal(refused.errorState, true, 'no graph is drawn above the limit');
    const problems = await waitFor('the size warning in Problems', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(problems.length, 1, 'said once');
    assert.equal(problems[0].code, 'file-too-large');
    assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(problems[0].message, /large\.nn is 0\.2 MB, above the 0\.1 MB limit.*"neuralCanvas\.maxFileSizeMB"/);

    await config().update('maxFileSizeMB', 1, vscode.ConfigurationTarget.Global);
    const drawn = await waitFor('the graph once the limit is raised', () => (session.lastRendered && !session.lastRendered.errorState ? session.lastRendered : undefined), 30_000);
    assert.equal(drawn.nodes, 3);
    await waitFor('the size warning to go', () => (vscode.languages.getDiagnostics(uri).some((d) => d.code === 'file-too-large') ? undefined : true));
  });
});
