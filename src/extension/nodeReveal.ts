/**
 * Following a problem or the text cursor to its node in the graph. A custom editor is told nothing
 * when the Problems panel opens it, so two ways that VS Code really delivers are used:
 *  - each Neural Canvas problem about a node offers the code action "Show 'id' in the graph"
 *    (in the Problems panel's light bulb and Ctrl+. in the text view), which runs the command
 *    `neuralCanvas.revealNode`;
 *  - when the cursor of a text editor on a `.nn` file moves into a node (clicking a problem with
 *    the text open beside the graph puts it there), the graphs of that file select and show it.
 * The graph answers `selectNode` by selecting the node and scrolling it into view.
 */
import * as vscode from 'vscode';
import { checkable, isNetworkDocument } from './diagnosticsController';
import type { DocumentChecks } from './documentChecks';
import { GRAPH_VIEW_TYPE } from './graphEditorProvider';
import type { GraphEditorProvider } from './graphEditorProvider';
import { nodeAtOffset } from './nodeAtOffset';

/** The command a code action runs: (document uri as text, node id). */
export const REVEAL_NODE_COMMAND = 'neuralCanvas.revealNode';

/** Larger files are not parsed on every cursor move. */
const MAX_FOLLOW_BYTES = 2_000_000;

/** Selects and shows node `id` in every graph editor of `uri`; `focus`: bring the first one forward. */
function reveal(provider: GraphEditorProvider, uri: string, id: string, focus: boolean): boolean {
  const sessions = provider.allSessions.filter((s) => s.document.uri.toString() === uri);
  for (const s of sessions) s.channel.post({ type: 'selectNode', id });
  if (focus && sessions.length) sessions[0].panel.reveal(sessions[0].panel.viewColumn, false);
  return sessions.length > 0;
}

/** The command, the code actions and the cursor following. */
export function registerNodeReveal(provider: GraphEditorProvider, checks: DocumentChecks): vscode.Disposable[] {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const actions: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, context) {
      if (!isNetworkDocument(doc)) return [];
      const model = checks.get(checkable(doc)).snapshot.diagnostics;
      const out: vscode.CodeAction[] = [];
      const seen = new Set<string>();
      for (const d of context.diagnostics) {
        if (d.source !== 'Neural Canvas') continue;
        // The model's diagnostic at the same place with the same code carries the node id.
        const m = model.find((x) => x.code === d.code && x.range.start.line === d.range.start.line && x.range.start.character === d.range.start.character);
        if (!m?.nodeId || seen.has(m.nodeId)) continue;
        seen.add(m.nodeId);
        const action = new vscode.CodeAction(`Show '${m.nodeId}' in the graph`, vscode.CodeActionKind.Empty);
        action.diagnostics = [d];
        action.command = { command: REVEAL_NODE_COMMAND, title: action.title, arguments: [doc.uri.toString(), m.nodeId] };
        out.push(action);
      }
      return out;
    },
  };
  return [
    vscode.commands.registerCommand(REVEAL_NODE_COMMAND, async (uri?: string | vscode.Uri, id?: string) => {
      const key = uri === undefined ? provider.activeSession?.document.uri.toString() : uri.toString();
      if (!key || typeof id !== 'string') return false;
      if (reveal(provider, key, id, true)) return true;
      // No graph open for it yet: open one, then show the node once it has drawn.
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(key), GRAPH_VIEW_TYPE);
      const session = provider.allSessions.find((s) => s.document.uri.toString() === key);
      if (!session) return false;
      await new Promise<void>((resolve) => {
        if (session.lastRendered) return resolve();
        const sub = session.onDidRender(() => { sub.dispose(); resolve(); });
      });
      return reveal(provider, key, id, false);
    }),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.nn' }, actions, { providedCodeActionKinds: [vscode.CodeActionKind.Empty] }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const doc = e.textEditor.document;
      if (!isNetworkDocument(doc) || e.selections.length !== 1) return;
      const uri = doc.uri.toString();
      if (!provider.allSessions.some((s) => s.document.uri.toString() === uri)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const text = doc.getText();
        if (text.length > MAX_FOLLOW_BYTES) return;
        const id = nodeAtOffset(text, doc.offsetAt(e.selections[0].active));
        if (id) reveal(provider, uri, id, false);
      }, 120);
    }),
    { dispose: () => clearTimeout(timer) },
  ];
}
