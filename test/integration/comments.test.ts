/**
 * `.nn` text is JSON with comments, as docs/format.md promises: in the text editor a file with
 * `//` and `/* *\/` comments has no problem about them, and a syntax error is reported once (by
 * Neural Canvas, which also reports it when only the graph editor is open), not a second time
 * by VS Code's JSON language server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, waitFor, workspaceRoot } from './extensionUnderTest';

/** How long the JSON language server gets to publish (it starts on the first JSON-like document). */
const SETTLE_MS = 5_000;

const WITH_COMMENTS = `// The XOR network, hand-set weights.
{
  "format": "nn/1",
  /* a block comment
     over two lines */
  "name": "XOR with comments",
  "nodes": [
    { "id": "x", "type": "input", "units": 2 }, // two inputs
    { "id": "y", "type": "dense", "units": 1, "activation": "sigmoid" }
  ],
  "edges": [{ "from": "x", "to": "y" }]
}
`;

/** One missing comma after "nn/1" on line 3. */
const ONE_SYNTAX_ERROR = `{
  "format": "nn/1"
  "name": "one syntax error",
  "nodes": [{ "id": "x", "type": "input", "units": 2 }]
}
`;

async function openInTextEditor(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

function describeAll(list: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(list.map((d) => `${d.source ?? '?'} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('.nn text is JSON with comments', () => {
  const created: string[] = [];

  afterEach(async () => {
    await closeAllEditors();
    for (const name of created.splice(0)) await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), name)).then(undefined, () => undefined);
  });

  it('has its own language (JSON with comments), so comments are no problem in the text editor', async function () {
    this.timeout(30_000);
    created.push('with-comments.nn');
    const doc = await openInTextEditor('with-comments.nn', WITH_COMMENTS);
    await sleep(SETTLE_MS);
    const problems = vscode.languages.getDiagnostics(doc.uri);
    assert.deepEqual(problems.filter((d) => /comment/i.test(d.message)), [], `comment problems: ${describeAll(problems)}`);
    assert.deepEqual(problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Error), [], `errors: ${describeAll(problems)}`);
    assert.equal(doc.languageId, 'nn');
  });

  it('reports a syntax error exactly once', async function () {
    this.timeout(30_000);
    created.push('one-syntax-error.nn');
    const doc = await openInTextEditor('one-syntax-error.nn', ONE_SYNTAX_ERROR);
    await waitFor('Neural Canvas to report the syntax error', () => vscode.languages.getDiagnostics(doc.uri).length > 0 || undefined);
    await sleep(SETTLE_MS);
    const problems = vscode.languages.getDiagnostics(doc.uri);
    assert.equal(problems.length, 1, `expected one diagnostic, got ${describeAll(problems)}`);
    assert.equal(problems[0].source, 'Neural Canvas');
    assert.equal(problems[0].range.start.line, 2, `the error is on line 3: ${describeAll(problems)}`);
  });
});
