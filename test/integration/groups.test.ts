/**
 * Groups in the graph editor inside a real VS Code: group, collapse, expand, relabel and ungroup
 * intents (fed through the host's entry point for the webview's messages) each change the text
 * by one small edit and one undo step; the view draws a collapsed group as one box; a group that
 * names a node that does not exist is a warning in Problems, never an error.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { minimalReplacement } from '../../src/extension/intentEdits';
import { closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';
import { drawnVersion, openGraph } from './graphSession';

async function copyExample(example: string, as: string, change: (text: string) => string = (t) => t): Promise<vscode.Uri> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples', example));
  const uri = vscode.Uri.joinPath(workspaceRoot(), as);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(change(new TextDecoder().decode(bytes))));
  return uri;
}

async function intent(session: GraphEditorSession, message: Record<string, unknown>): Promise<string> {
  const before = session.document.version;
  session.receive({ requestId: Math.floor(Math.random() * 1e9), ...message });
  await waitFor(`the edit of ${String(message.type)}`, () => (session.document.version > before ? true : undefined));
  return session.document.getText();
}

describe('groups in VS Code', function () {
  this.timeout(120_000);
  afterEach(closeAllEditors);

  it('group, expand, relabel and ungroup are one small edit and one undo step each; a collapsed group is drawn as one box', async () => {
    const session = await openGraph(await copyExample('mnist-convnet.nn', 'groups-intents.nn'));
    const original = session.document.getText();
    assert.equal((await drawnVersion(session)).nodes, 9);
    const steps = [original];
    steps.push(await intent(session, { type: 'group', ids: ['conv1', 'conv2', 'pool'], id: 'features', label: 'Features', collapsed: true }));
    assert.equal((await drawnVersion(session)).nodes, 7, 'three members drawn as one box');
    steps.push(await intent(session, { type: 'setGroupCollapsed', id: 'features', collapsed: false }));
    assert.equal((await drawnVersion(session)).nodes, 9);
    steps.push(await intent(session, { type: 'setGroupLabel', id: 'features', label: 'Convolutions' }));
    steps.push(await intent(session, { type: 'ungroup', id: 'features' }));
    assert.equal(steps[4], original);
    for (let i = 1; i < 4; i++) {
      const r = minimalReplacement(steps[i - 1], steps[i]);
      assert.ok(r && r.length <= 20 && r.content.length <= 140, `step ${i} is a small edit: ${JSON.stringify(r)}`);
    }
    for (let i = steps.length - 2; i >= 0; i--) {
      const before = session.document.getText();
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to change the text', () => (session.document.getText() !== before ? true : undefined), 5_000);
      assert.equal(session.document.getText(), steps[i], `undo to step ${i}`);
    }
  });

  it('a group naming a node that does not exist is a warning in Problems, and nothing else is', async () => {
    const uri = await copyExample('interview.nn', 'groups-warning.nn', (t) => t.replace(/\}\s*$/, ',\n  "groups": [ { "id": "g", "nodes": ["hidden", "ghost"] } ]\n}\n'));
    await openGraph(uri);
    const diag = await waitFor('the unknown-group-member warning', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'unknown-group-member'));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diag.message, /group 'g' names 'ghost', which is not a node/);
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
  });
});
