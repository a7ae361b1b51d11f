/**
 * Readable by default in a real VS Code (1400×900 window, the side bar open): the graph editor
 * opens each design at a zoom where its smallest node text is at least 11 px on screen (the view
 * reports font size × zoom), a 200-layer chain too; the layout direction switches as one small
 * edit of `layout.direction` that Undo takes back.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { chainText } from '../webview/chainNetwork';
import { closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';
import { drawnVersion, openGraph } from './graphSession';

async function openDesign(name: string, text: string): Promise<GraphEditorSession> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return openGraph(uri, 60_000);
}

async function example(name: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples', name)));
}

describe('readable graph in VS Code', function () {
  this.timeout(180_000);
  afterEach(closeAllEditors);

  it('opens the spiral, LeNet-5, the MNIST convnet and a 200-layer chain with node text at least 11 px on screen', async () => {
    const designs: [string, string][] = [
      ['readable-spiral.nn', await example('spiral.nn')],
      ['readable-lenet5.nn', await example('lenet5.nn')],
      ['readable-mnist-convnet.nn', await example('mnist-convnet.nn')],
      ['readable-chain200.nn', chainText(200)],
    ];
    const small: string[] = [];
    for (const [name, text] of designs) {
      const session = await openDesign(name, text);
      const r = await drawnVersion(session, undefined, 60_000);
      assert.equal(r.errorState, false, name);
      assert.ok(r.textPx !== undefined, `${name}: the view reports its text size`);
      if (r.textPx < 11) small.push(`${name}: ${r.textPx} px`);
      await closeAllEditors();
    }
    assert.deepEqual(small, []);
  });

  it('switches the layout direction as one small edit that Undo takes back', async () => {
    const original = await example('spiral.nn');
    const session = await openDesign('readable-direction.nn', original);
    const before = session.document.version;
    session.receive({ type: 'setLayoutDirection', requestId: 1, direction: 'down' });
    await waitFor('the direction edit', () => (session.document.version > before ? true : undefined));
    const text = session.document.getText();
    assert.ok(text.includes('"layout": {\n    "direction": "down"\n  }'), text.slice(-120));
    assert.equal(text.replace(/,\n {2}"layout": \{\n {4}"direction": "down"\n {2}\}/, ''), original);
    await drawnVersion(session, undefined, 60_000);
    await vscode.commands.executeCommand('undo');
    await waitFor('the undo', () => (session.document.getText() === original ? true : undefined));
  });
});
