/**
 * The status bar item with the active network's total parameters: shown while a graph editor
 * (or a `.nn` text editor) is active; hidden otherwise, and "errors" while the file has them.
 */
import * as vscode from 'vscode';
import type { DocumentChecks } from './documentChecks';
import type { GraphEditorProvider } from './graphEditorProvider';
import { checkable, isNetworkDocument } from './diagnosticsController';

/** Owns the item and follows the active editor. */
export class ParamsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralCanvas.params', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly provider: GraphEditorProvider, private readonly checks: DocumentChecks) {
    this.item.name = 'Neural Canvas: parameters';
    this.disposables.push(
      provider.onDidChangeActive(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // While typing, count once the text rests (the check of that version is shared with the Problems panel).
        if (e.document !== vscode.window.activeTextEditor?.document) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refresh(), 150);
      }),
    );
    this.refresh();
  }

  /** Recomputes the text from the active graph or text editor. */
  refresh(): void {
    const doc = this.provider.activeSession?.document ?? vscode.window.activeTextEditor?.document;
    if (!doc || !isNetworkDocument(doc)) {
      this.item.hide();
      return;
    }
    // The same check of this version that the Problems panel and the graph use.
    const check = this.checks.get(checkable(doc));
    const total = check.analysis?.totalParams;
    const name = check.snapshot.fileName;
    if (check.tooLarge) {
      this.item.text = '$(symbol-namespace) params: —';
      this.item.tooltip = `${name} is above the size limit (setting neuralCanvas.maxFileSizeMB), so its parameters are not counted`;
      this.item.command = 'workbench.actions.view.problems';
    } else if (total === undefined) {
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
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
