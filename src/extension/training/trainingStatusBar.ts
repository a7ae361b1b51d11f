/**
 * The training status bar item. It shows the state of the run in progress, or else of the active
 * `.nn` file's last run, Step or Reset (trainingStatusText words it as the training view's header
 * does); hidden for a file that has not trained in this session. A click stops a run, or shows the
 * file's graph editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRunning, type RunStatus } from '../../protocol';
import { trainingStatusText } from './trainingStatusText';

/** What the item shows now (tests read it through an internal command). */
export interface TrainingStatusShown {
  file?: string;
  text: string;
  tooltip: string;
  visible: boolean;
}

/** Owns the item. */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralCanvas.training', vscode.StatusBarAlignment.Left, 50);
  private file?: string;
  /** What the item shows now. */
  shown: TrainingStatusShown = { text: '', tooltip: '', visible: false };

  constructor(private readonly stopCommand: string, private readonly graphViewType: string) {
    this.item.name = 'Neural Canvas: training';
  }

  /**
   * Shows `file`'s state. A file that is not training does not replace a run in progress of
   * another file (`shownRunning`: whether the file now shown is training).
   */
  show(file: string, s: RunStatus, shownRunning = false): void {
    if (file !== this.file && shownRunning && !isRunning(s)) return;
    this.file = file;
    const said = trainingStatusText(path.basename(file), s);
    if (!said) {
      this.item.hide();
      this.shown = { file, text: '', tooltip: '', visible: false };
      return;
    }
    this.item.text = said.text;
    this.item.tooltip = said.tooltip;
    this.item.command = isRunning(s)
      ? this.stopCommand
      : { title: 'Show the graph editor', command: 'vscode.openWith', arguments: [vscode.Uri.file(file), this.graphViewType] };
    this.item.show();
    this.shown = { file, text: said.text, tooltip: said.tooltip, visible: true };
  }

  /** The file whose state the item shows. */
  get shownFile(): string | undefined {
    return this.file;
  }

  dispose(): void {
    this.item.dispose();
  }
}
