/**
 * The extension as a user installs it (the packaged .vsix) inside a real VS Code: it activates
 * lazily and cheaply, `.nn` files open in the graph editor, `.nn` text is JSON with comments, and every
 * contributed command is registered under the "Neural Canvas" category.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, activeCustomEditor, closeAllEditors, extensionUnderTest, waitFor, workspaceRoot } from './extensionUnderTest';

interface CommandContribution { command: string; title: string; category?: string }

describe('extension activation', () => {
  it('is installed but not active before a .nn file is opened or a command runs', () => {
    // Activation is lazy (onCustomEditor / onCommand): a window without .nn files pays nothing.
    assert.equal(extensionUnderTest().isActive, false);
  });

  it('activates without error and reports how long activation took', async () => {
    const ext = extensionUnderTest();
    const t0 = performance.now();
    await ext.activate();
    const ms = performance.now() - t0;
    assert.equal(ext.isActive, true);
    // A figure for the report, not a timed assertion (speed targets live in bench/).
    console.log(`    activation time: ${ms.toFixed(1)} ms`);
  });

  it('declares no eager activation event', () => {
    const events: string[] = (extensionUnderTest().packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.deepEqual(events.filter((e) => e === '*' || e === 'onStartupFinished'), []);
  });
});

describe('contributions', () => {
  const manifest = () => extensionUnderTest().packageJSON as {
    contributes?: { commands?: CommandContribution[]; customEditors?: { viewType: string; priority?: string; selector: { filenamePattern: string }[] }[] };
  };

  it('contributes the graph editor for *.nn with default priority', () => {
    const editors = manifest().contributes?.customEditors ?? [];
    const graph = editors.find((e) => e.viewType === GRAPH_VIEW_TYPE);
    assert.ok(graph, `no custom editor ${GRAPH_VIEW_TYPE} in package.json`);
    assert.equal(graph.priority, 'default');
    assert.deepEqual(graph.selector.map((s) => s.filenamePattern), ['*.nn']);
  });

  it('registers every contributed command, each under the "Neural Canvas" category', async () => {
    await extensionUnderTest().activate();
    const contributed = manifest().contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(missing, [], 'contributed in package.json but not registered on activation');
    const uncategorised = contributed.filter((c) => c.category !== 'Neural Canvas').map((c) => c.command);
    assert.deepEqual(uncategorised, [], 'commands without the "Neural Canvas" category');
  });
});

describe('opening .nn files', function () {
  // Opening waits for the provider; a missing registration would otherwise hang for the
  // suite's whole minute.
  this.timeout(20_000);
  const fixture = () => vscode.Uri.joinPath(workspaceRoot(), 'xor.nn');

  afterEach(closeAllEditors);

  it('opens a .nn file in the graph editor with vscode.openWith', async () => {
    await vscode.commands.executeCommand('vscode.openWith', fixture(), GRAPH_VIEW_TYPE);
    const input = await waitFor('the graph editor tab', activeCustomEditor);
    assert.equal(input.viewType, GRAPH_VIEW_TYPE);
    assert.equal(input.uri.toString(), fixture().toString());
  });

  it('opens a .nn file in the graph editor by default (plain vscode.open)', async () => {
    await vscode.commands.executeCommand('vscode.open', fixture());
    const input = await waitFor('the graph editor tab', activeCustomEditor);
    assert.equal(input.viewType, GRAPH_VIEW_TYPE);
  });

  it('treats .nn text as its own language, JSON with comments, in the text editor', async () => {
    const doc = await vscode.workspace.openTextDocument(fixture());
    // Not 'json': VS Code's JSON language server would call every comment a problem and report
    // each syntax error a second time (comments.test.ts checks both).
    assert.equal(doc.languageId, 'nn');
  });
});
