/**
 * The walkthrough inside a real VS Code (the installed .vsix): it is contributed with its steps'
 * pages in the installed folder and opens; a step's button command copies its example (and the
 * data it reads) into the workspace, opens the copy in the graph editor and runs its action there,
 * never writing into the extension's folder nor over a copy the user changed.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorApi } from '../../src/extension/graphEditorProvider';
import type { SummaryApi } from '../../src/extension/summary/summaryView';
import { EXTENSION_ID, closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';

interface Step { id: string; media: { markdown: string }; description: string }

const decoder = new TextDecoder();
const read = async (uri: vscode.Uri): Promise<string> => decoder.decode(await vscode.workspace.fs.readFile(uri));

describe('walkthrough in VS Code', function () {
  this.timeout(120_000);
  after(closeAllEditors);

  it('is contributed with every step\'s page in the installed extension, and opens', async () => {
    const ext = extensionUnderTest();
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs?: { id: string; title: string; steps: Step[] }[] } }).contributes.walkthroughs ?? [];
    const learn = walkthroughs.find((w) => w.id === 'learn');
    assert.ok(learn, 'the walkthrough "learn" is contributed');
    assert.equal(learn.title, 'Learn neural networks with Neural Canvas');
    assert.equal(learn.steps.length, 7);
    for (const s of learn.steps) {
      const page = await read(vscode.Uri.joinPath(ext.extensionUri, s.media.markdown));
      assert.ok(page.startsWith('# '), `${s.id}: ${s.media.markdown} ships`);
    }
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#learn`, false);
    // The page is a tab of its own; wait for it so it cannot open later over what the next test shows.
    await waitFor('the walkthrough page\'s tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /^(Walkthrough|Welcome)/.test(t.label)));
  });

  it('a step\'s button copies its example and its data into the workspace, opens the copy in the graph and runs its command on it', async () => {
    const ext = extensionUnderTest();
    const api = (await ext.activate()) as GraphEditorApi & SummaryApi;
    const shipped = vscode.Uri.joinPath(ext.extensionUri, 'examples', 'regularization.nn');
    const shippedText = await read(shipped);
    // The regularisation step's button, as the walkthrough page runs it (with the user's OK given).
    const uri = await vscode.commands.executeCommand<vscode.Uri>('neuralCanvas.openExample', 'regularization.nn', { then: 'summary', confirmed: true });
    const copy = vscode.Uri.joinPath(workspaceRoot(), 'neural-canvas-examples', 'regularization.nn');
    assert.equal(uri?.toString(), copy.toString());
    assert.equal(await read(copy), shippedText, 'the copy is the shipped example');
    assert.equal(await read(vscode.Uri.joinPath(workspaceRoot(), 'neural-canvas-examples', 'data', 'regularization.csv')),
      await read(vscode.Uri.joinPath(ext.extensionUri, 'examples', 'data', 'regularization.csv')), 'the CSV it trains on is copied beside it');
    await waitFor('a graph editor on the copy', () => api.graphEditor.allSessions.find((s) => s.document.uri.toString() === copy.toString()), 20_000);
    const shown = await waitFor('the summary of the copy', () => (api.summary.rendered?.file === 'regularization.nn' ? api.summary.rendered : undefined), 30_000,
      () => `the Summary view follows ${api.summary.file?.toString() ?? 'nothing'}, its panel is ${api.summary.visible ? 'visible' : 'not visible'}, it last drew ${JSON.stringify(api.summary.rendered)}, ${api.summary.startState}`);
    assert.deepEqual(shown.layers, ['x', 'hidden', 'y']);
    assert.equal(api.summary.file?.toString(), copy.toString());
    assert.equal(await read(shipped), shippedText, 'the extension\'s own copy is unchanged');

    // A copy the user changed is theirs: opening the example again opens it as it is.
    const changed = shippedText.replace('"l2": 0.001', '"l2": 0.01');
    assert.notEqual(changed, shippedText);
    await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(changed));
    const again = await vscode.commands.executeCommand<vscode.Uri>('neuralCanvas.openExample', 'regularization.nn', { confirmed: true });
    assert.equal(again?.toString(), copy.toString());
    assert.equal(await read(copy), changed, 'never overwritten');

    // A name that is no shipped example opens nothing and writes nothing.
    assert.equal(await vscode.commands.executeCommand('neuralCanvas.openExample', '../package.json', { confirmed: true }), undefined);
  });
});
