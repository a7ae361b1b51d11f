/**
 * The progress notification of a Train run: how far the run is, counted and worded as the
 * status bar and the training view's header count it (the file's RunStatus), with Cancel to stop.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStatus, TrainingUpdate } from '../../protocol';
import { progressFraction, progressMessage } from './trainingStatusText';

/** One run's notification; `finish` closes it. */
export class TrainingProgress {
  private reporter?: vscode.Progress<{ message?: string; increment?: number }>;
  private resolve?: () => void;
  private done = 0;
  private closed = false;
  private pending?: RunStatus;

  constructor(file: string, private readonly runId: number, stop: () => void) {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Training ${path.basename(file)}`, cancellable: true }, (progress, token) => new Promise<void>((resolve) => {
      token.onCancellationRequested(stop);
      this.reporter = progress;
      this.resolve = resolve;
      if (this.closed) resolve();
      else if (this.pending) this.show(this.pending);
    }));
  }

  /** Follows the run's state after update `u`; the run's end closes the notification. */
  report(u: TrainingUpdate, s: RunStatus): void {
    if (u.runId !== this.runId && u.runId !== -1) return;
    if (u.kind === 'done' || u.kind === 'error' || u.kind === 'exited') this.finish();
    else if ((u.kind === 'progress' || u.kind === 'epoch') && s.runId === this.runId && s.epoch > 0) this.show(s);
  }

  private show(s: RunStatus): void {
    if (!this.reporter) { this.pending = s; return; }
    const inc = Math.max(0, progressFraction(s) * 100 - this.done);
    this.done += inc;
    this.reporter.report({ increment: inc, message: progressMessage(s) });
  }

  /** Closes the notification. */
  finish(): void {
    this.closed = true;
    this.resolve?.();
  }
}
