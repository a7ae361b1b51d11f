/**
 * Keeps the Problems panel in step with every open `.nn` document (graph or text view): the
 * model core's diagnostics with their exact ranges, plus quick fixes in the text view.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../model/types';
import type { CheckableDocument, DocumentChecks } from './documentChecks';
import { quickFixesFor } from './quickFixes';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** True for documents this extension checks. */
export function isNetworkDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.nn');
}

/** A TextDocument as DocumentChecks keys it: by uri and version. */
export function checkable(doc: vscode.TextDocument): CheckableDocument {
  return { key: doc.uri.toString(), version: doc.version, fileName: path.basename(doc.uri.path), getText: () => doc.getText() };
}

/** Converts one model diagnostic to VS Code's. */
export function toVscodeDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const out = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  out.code = d.code;
  out.source = 'Neural Canvas';
  return out;
}

/** The DiagnosticCollection and the code action provider, with their listeners. */
export class DiagnosticsController implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('neural-canvas');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Node ids of the diagnostics last published, keyed by uri + code + range (VS Code drops unknown fields). */
  private readonly nodeIds = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly checks: DocumentChecks) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.languages.registerCodeActionsProvider({ pattern: '**/*.nn' }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isNetworkDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.update(doc), 150));
  }

  /** Publishes one document's diagnostics now (from the shared check of its current version). */
  update(doc: vscode.TextDocument): void {
    if (!isNetworkDocument(doc)) return;
    const { diagnostics } = this.checks.get(checkable(doc)).snapshot;
    const uri = doc.uri.toString();
    for (const k of [...this.nodeIds.keys()]) if (k.startsWith(uri + '#')) this.nodeIds.delete(k);
    const out = diagnostics.map((d) => {
      const v = toVscodeDiagnostic(d);
      if (d.nodeId) this.nodeIds.set(this.key(uri, v), d.nodeId);
      return v;
    });
    this.collection.set(doc.uri, out);
  }

  private key(uri: string, d: vscode.Diagnostic): string {
    return `${uri}#${String(d.code)}@${d.range.start.line}:${d.range.start.character}`;
  }

  /** Re-publishes every open document (the size limit changed). */
  updateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  /** Quick fixes for the diagnostics under the cursor. */
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const text = doc.getText();
    for (const d of context.diagnostics) {
      if (d.source !== 'Neural Canvas' || typeof d.code !== 'string') continue;
      const nodeId = this.nodeIds.get(this.key(doc.uri.toString(), d));
      for (const fix of quickFixesFor(text, { code: d.code, nodeId })) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.preferred;
        action.edit = new vscode.WorkspaceEdit();
        const r = fix.replacement;
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length)), r.content);
        actions.push(action);
      }
    }
    return actions;
  }

  /** Clears the Problems panel entries and listeners. */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
