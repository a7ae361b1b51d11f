/**
 * Neural Canvas: Show Summary inside a real VS Code (the installed .vsix): the Summary view shows
 * the design's layers beside the graph, a row picked in it selects that node in the graph editor
 * (and the graph's selection comes back highlighted), and an edit of the text updates it live.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorApi } from '../../src/extension/graphEditorProvider';
import type { SummaryApi } from '../../src/extension/summary/summaryView';
import { GRAPH_VIEW_TYPE, closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';

describe('Summary view in VS Code', function () {
  this.timeout(120_000);
  after(closeAllEditors);

  it('shows the layers, selects the node of a picked row in the graph, and follows edits of the text', async () => {
    const ext = extensionUnderTest();
    const api = (await ext.activate()) as GraphEditorApi & SummaryApi;
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'summary-interview.nn');
    await vscode.workspace.fs.writeFile(uri, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'examples', 'interview.nn')));
    await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE);
    const session = await waitFor('the graph editor', () => api.graphEditor.allSessions.find((s) => s.document.uri.toString() === uri.toString()), 20_000);
    await waitFor('the graph to draw', () => session.lastRendered, 30_000);

    // The command as the editor's toolbar runs it: no argument, the active graph editor.
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.showSummary'), true);
    const first = await waitFor('the summary to draw', () => (api.summary.rendered?.file === 'summary-interview.nn' ? api.summary.rendered : undefined), 20_000);
    assert.deepEqual(first.layers, ['x', 'hidden', 'y']);
    assert.equal(first.problem, false);

    // A row picked in the view (fed through the host's entry point, as the webview posts it).
    const selected: string[][] = [];
    session.channel.on('selectionChanged', (m) => selected.push(m.ids));
    api.summary.receive({ type: 'select', id: 'hidden' });
    await waitFor('the graph to select hidden', () => (selected.some((ids) => ids.join() === 'hidden') ? true : undefined), 10_000);
    await waitFor('the summary to highlight hidden', () => (api.summary.rendered?.selected.join() === 'hidden' ? true : undefined), 10_000);

    // An edit of the text (unsaved) updates the view.
    const doc = session.document;
    const text = doc.getText();
    const anchor = '{ "from": "hidden", "to": "y" }';
    const at = text.indexOf(anchor);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + anchor.length)), '{ "from": "hidden", "to": "y" }, { "from": "y", "to": "hidden" }');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the summary to report the cycle', () => (api.summary.rendered?.problem ? true : undefined), 10_000);
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(back));
    await waitFor('the summary to be whole again', () => (api.summary.rendered && !api.summary.rendered.problem ? true : undefined), 10_000);
    await doc.save();
  });
});
