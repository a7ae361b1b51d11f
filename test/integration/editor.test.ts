/**
 * The graph editor inside a real VS Code: every example renders; intents from the webview (fed
 * through the same host entry point the webview's messages take) change the text minimally and
 * as one undo step each; undo/redo restore the exact text; an external edit re-renders; an
 * unparsable file shows the error state and is never written; Problems and quick fixes work.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { minimalReplacement } from '../../src/extension/intentEdits';
import type { GraphEditorSession } from '../../src/extension/graphEditorProvider';
import { checkNetwork } from '../../src/model';
import { closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';
import { drawnVersion, openGraph } from './graphSession';

const decoder = new TextDecoder();

/** Copies a shipped example into the workspace (tests never touch the installed copy). */
async function workspaceCopy(example: string, as = example): Promise<vscode.Uri> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples', example));
  const target = vscode.Uri.joinPath(workspaceRoot(), as);
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

/** Sends one intent as the webview would and waits for the document to change. */
async function intent(session: GraphEditorSession, message: Record<string, unknown>): Promise<string> {
  const before = session.document.version;
  session.receive({ requestId: Math.floor(Math.random() * 1e9), ...message });
  await waitFor(`the edit of ${String(message.type)}`, () => (session.document.version > before ? true : undefined));
  return session.document.getText();
}

async function undo(session: GraphEditorSession, command: 'undo' | 'redo'): Promise<string> {
  const before = session.document.getText();
  await vscode.commands.executeCommand(command);
  await waitFor(`${command} to change the text`, () => (session.document.getText() !== before ? true : undefined), 5_000);
  return session.document.getText();
}

/** Asserts `after` differs from `before` in one small span, returning that span's new text. */
function changedSpan(before: string, after: string, maxChanged: number): string {
  const r = minimalReplacement(before, after);
  assert.ok(r, 'the text changed');
  assert.ok(r.length <= maxChanged && r.content.length <= maxChanged, `a minimal edit (replaced ${r.length} chars by ${JSON.stringify(r.content)})`);
  return r.content;
}

/** Lines of `after` not in `before` and the reverse (both files are small). */
function lineChanges(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('graph editor in VS Code', function () {
  this.timeout(120_000);
  afterEach(closeAllEditors);

  it('opens every shipped example and draws all of its nodes', async () => {
    const dir = vscode.Uri.joinPath(extensionUnderTest().extensionUri, 'examples');
    const examples = (await vscode.workspace.fs.readDirectory(dir)).map(([name]) => name).filter((n) => n.endsWith('.nn')).sort();
    assert.ok(examples.length >= 3, `examples found: ${examples.join(', ')}`);
    for (const name of examples) {
      const session = await openGraph(await workspaceCopy(name));
      const report = await drawnVersion(session);
      const doc = checkNetwork(session.document.getText()).parsed.doc;
      assert.equal(report.errorState, false, name);
      assert.equal(report.nodes, doc?.nodes.length, `${name}: every node drawn`);
      console.log(`    ${name}: ${report.nodes} nodes drawn in ${report.ms} ms`);
      await closeAllEditors();
    }
  });

  it('turns add, connect, property edit, rename and delete intents into minimal edits that undo and redo exactly', async () => {
    const session = await openGraph(await workspaceCopy('interview.nn', 'edit-me.nn'));
    const original = session.document.getText();
    const steps: string[] = [original];

    let text = await intent(session, { type: 'addNode', node: { id: 'drop1', type: 'dropout', rate: 0.5 }, after: 'hidden' });
    // Two insertions (the node's line, the edge's line) and one comma; every other line as it was.
    const lines = lineChanges(steps.at(-1)!, text);
    assert.deepEqual(lines.added.map((l) => l.trim()), ['{ "id": "drop1", "type": "dropout", "rate": 0.5 },', '{ "from": "hidden", "to": "y" },', '{ "from": "hidden", "to": "drop1" }']);
    assert.deepEqual(lines.removed.map((l) => l.trim()), ['{ "from": "hidden", "to": "y" }']);
    assert.ok(checkNetwork(text).parsed.doc?.edges.some((e) => e.from === 'hidden' && e.to === 'drop1'));
    steps.push(text);

    text = await intent(session, { type: 'setProperty', id: 'hidden', key: 'activation', value: 'tanh' });
    assert.equal(changedSpan(steps.at(-1)!, text, 10), 'tanh');
    assert.equal(text, steps.at(-1)!.replace('"activation": "relu"', '"activation": "tanh"'));
    steps.push(text);

    text = await intent(session, { type: 'disconnect', from: 'hidden', to: 'y' });
    changedSpan(steps.at(-1)!, text, 60);
    assert.ok(!checkNetwork(text).parsed.doc?.edges.some((e) => e.from === 'hidden' && e.to === 'y'));
    steps.push(text);

    text = await intent(session, { type: 'connect', from: 'drop1', to: 'y' });
    changedSpan(steps.at(-1)!, text, 60);
    assert.ok(checkNetwork(text).parsed.doc?.edges.some((e) => e.from === 'drop1' && e.to === 'y'));
    assert.deepEqual(checkNetwork(text).diagnostics.filter((d) => d.severity === 'error'), []);
    steps.push(text);

    text = await intent(session, { type: 'rename', oldId: 'drop1', newId: 'dropout' });
    assert.ok(!text.includes('drop1'));
    steps.push(text);

    text = await intent(session, { type: 'removeNodes', ids: ['dropout'] });
    assert.ok(!checkNetwork(text).parsed.doc?.nodes.some((n) => n.id === 'dropout'));
    steps.push(text);

    // The view drew the last version.
    await drawnVersion(session);

    // Each intent was one undo step: walking back restores every earlier text exactly.
    for (let i = steps.length - 2; i >= 0; i--) assert.equal(await undo(session, 'undo'), steps[i], `undo to step ${i}`);
    assert.equal(session.document.getText(), original);
    for (let i = 1; i < steps.length; i++) assert.equal(await undo(session, 'redo'), steps[i], `redo to step ${i}`);
  });

  it('re-renders when the text is edited outside the graph', async () => {
    const session = await openGraph(await workspaceCopy('interview.nn', 'external.nn'));
    const doc = session.document;
    const at = doc.getText().indexOf('"relu"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + '"relu"'.length)), '"tanh"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const report = await drawnVersion(session, doc.version);
    assert.equal(report.version, doc.version);
    assert.equal(report.nodes, 3);
  });

  it('shows the error state for an unparsable file, refuses intents, and leaves its text untouched', async () => {
    const broken = '{ "format": "nn/1", "nodes": [ { "id": "x", "type": "input", "units": 2 }\n';
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'broken.nn');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(broken));
    const session = await openGraph(uri);
    const report = await drawnVersion(session);
    assert.equal(report.errorState, true);
    session.receive({ type: 'setProperty', requestId: 7, id: 'x', key: 'units', value: 3 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(session.document.getText(), broken);
    assert.equal(session.document.isDirty, false);
    await closeAllEditors();
    assert.equal(decoder.decode(await vscode.workspace.fs.readFile(uri)), broken);
  });

  it('ignores messages that fail validation', async () => {
    const session = await openGraph(await workspaceCopy('interview.nn', 'hostile.nn'));
    const text = session.document.getText();
    session.receive({ type: 'setProperty', requestId: 1, id: 'hidden', key: 'weights', value: [[9]] });
    session.receive({ type: 'addNode', requestId: 2, node: { id: 'x"; rm -rf', type: 'input', units: 1 } });
    session.receive('not even an object');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(session.document.getText(), text);
  });

  it('puts diagnostics in the Problems panel with exact ranges and offers the softmax quick fix', async () => {
    const text = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 4 },
    { "id": "out", "type": "dense", "units": 3, "activation": "softmax" }
  ],
  "edges": [{ "from": "x", "to": "out" }],
  "training": { "loss": "binary_crossentropy" }
}
`;
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'quickfix.nn');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const expected = checkNetwork(text).diagnostics.find((d) => d.code === 'softmax-binary-crossentropy');
    assert.ok(expected);
    const diag = await waitFor('the softmax diagnostic in Problems', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'softmax-binary-crossentropy'));
    assert.deepEqual([diag.range.start.line, diag.range.start.character, diag.range.end.line, diag.range.end.character],
      [expected.range.start.line, expected.range.start.character, expected.range.end.line, expected.range.end.character]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Use categorical cross-entropy (several classes)');
    assert.ok(fix?.edit, `quick fixes offered: ${actions.map((a) => a.title).join('; ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.getText(), text.replace('"binary_crossentropy"', '"categorical_crossentropy"'));
  });
});
