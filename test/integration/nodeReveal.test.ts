/**
 * Following problems and the text cursor to their node in a real VS Code: a Neural Canvas problem
 * about a node offers "Show 'id' in the graph", which selects the node in the graph editor; and
 * with the text open beside the graph, moving the cursor into a node selects it in the graph (the
 * graph reports its selection with `selectionChanged`, which the webview sends on every change).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { checkNetwork } from '../../src/model';
import { closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';
import { openGraph } from './graphSession';

async function openCopy(example: string, as: string): Promise<GraphEditorSession> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples', example));
  const uri = vscode.Uri.joinPath(workspaceRoot(), as);
  await vscode.workspace.fs.writeFile(uri, bytes);
  return openGraph(uri);
}

/** The ids the graph reports as selected after `act`. */
async function selectionAfter(session: GraphEditorSession, want: string, act: () => Thenable<unknown> | void): Promise<string[]> {
  let last: string[] = [];
  const sub = session.channel.on('selectionChanged', (m) => { last = [...m.ids]; });
  try {
    await act();
    return await waitFor(`the graph to select ${want}`, () => (last.join() === want ? last : undefined), 10_000);
  } finally {
    sub.dispose();
  }
}

describe('problems and the text cursor reveal their node in the graph', function () {
  this.timeout(90_000);
  afterEach(closeAllEditors);

  it("a problem's code action \"Show 'id' in the graph\" selects that node", async () => {
    const session = await openCopy('xor-linear.nn', 'reveal-problem.nn');
    const uri = session.document.uri;
    const expected = checkNetwork(session.document.getText()).diagnostics.find((d) => d.code === 'linear-collapse');
    assert.ok(expected?.nodeId);
    const diag = await waitFor('the linear-collapse problem', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'linear-collapse'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range);
    const show = actions.find((a) => a.title === `Show '${expected.nodeId}' in the graph`);
    assert.ok(show?.command, `actions offered: ${actions.map((a) => a.title).join('; ')}`);
    const ids = await selectionAfter(session, expected.nodeId, () => vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? [])));
    assert.deepEqual(ids, [expected.nodeId]);
  });

  it('moving the cursor of the text beside the graph into a node selects it in the graph', async () => {
    const session = await openCopy('interview.nn', 'reveal-cursor.nn');
    const editor = await vscode.window.showTextDocument(session.document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
    const text = session.document.getText();
    const at = session.document.positionAt(text.indexOf('"units"', text.indexOf('"id": "y"')));
    const ids = await selectionAfter(session, 'y', () => { editor.selection = new vscode.Selection(at, at); });
    assert.deepEqual(ids, ['y']);
  });
});
