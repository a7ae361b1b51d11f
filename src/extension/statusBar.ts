/**
 * The status bar item with the active network's total parameters: shown while a graph editor
 * (or a `.nn` text editor) is active; hidden otherwise, and "errors" while the file has them.
 */
import * as vscode from 'vscode';
import { checkNetwork } from '../model';
import type { GraphEditorProvider } from './graphEditorProvider';
import { isNetworkDocument } from './diagnosticsController';

/** Owns the item and follows the active editor. */
export class ParamsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralCanvas.params', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly provider: GraphEditorProvider) {
    this.item.name = 'Neural Canvas: parameters';
    this.disposables.push(
      provider.onDidChangeActive(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.refresh();
      }),
    );
    this.refresh();
  }

  /** Recomputes the text from the active graph or text editor. */
  refresh(): void {
    const session = this.provider.activeSession;
    let total: number | undefined;
    let name: string | undefined;
    let hasDoc = false;
    if (session) {
      hasDoc = true;
      total = session.analysis?.totalParams;
      name = session.fileName;
    } else {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc && isNetworkDocument(doc)) {
        hasDoc = true;
        total = checkNetwork(doc.getText()).analysis?.totalParams;
        name = doc.uri.path.split('/').pop();
      }
    }
    if (!hasDoc) {
      this.item.hide();
      return;
    }
    if (total === undefined) {
      this.item.text = '$(symbol-namespace) params: —';
      this.item.tooltip = `${name}: fix the errors in the Problems panel to count parameters`;
      this.item.command = 'workbench.actions.view.problems';
    } else {
      this.item.text = `$(symbol-namespace) ${total.toLocaleString('en-US')} params`;
      this.item.tooltip = `${name}: ${total.toLocaleString('en-US')} trainable parameters (weights and biases)`;
      this.item.command = undefined;
    }
    this.item.show();
  }

  /** Removes the item. */
  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
