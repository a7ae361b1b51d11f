/**
 * The host side of training: the commands (Train, Train with Options, Stop, Step, Reset Weights,
 * Predict, Check Gradients, Export…), the status bar item and progress notification, Workspace Trust, and
 * routing the trainer's updates to the graph editors and the gradients panel of their file. The
 * extension host itself never computes a training step: everything runs in TrainerClient's process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { weightsPathFor } from '../../engine/weights';
import { offerTrainingData } from '../trainingDataPrompts';
import { isRunning, NO_RUN, nextRunStatus, type GradientCheckResult, type RunStatus, type TrainerJob, type TrainingUpdate, type TrainOverrides } from '../../protocol';
import { GRAPH_VIEW_TYPE, type GraphEditorProvider, type GraphEditorSession } from '../graphEditorProvider';
import { askAboutConflicts, askExport, isExportFormat, showExported, type ExportChoice } from './exportPrompts';
import { askOverrides } from './trainOptions';
import { followNeuronHeatmaps, NEURON_HEATMAPS_SETTING, neuronHeatmapsOn, setNeuronHeatmaps } from './neuronHeatmapsSetting';
import { PredictPanes } from './predictPanes';
import { RunHistory } from './runHistory';
import { RunLogHost } from './runLogHost';
import { TrainerClient } from './trainerClient';
import { TrainingProgress } from './trainingProgress';
import { TrainingStatusBar } from './trainingStatusBar';
import { askWeightsConsent } from './weightsPrompts';

/** Command ids, as contributed in package.json. */
export const TRAINING_COMMANDS = {
  train: 'neuralCanvas.train',
  trainWithOptions: 'neuralCanvas.trainWithOptions',
  stop: 'neuralCanvas.stopTraining',
  step: 'neuralCanvas.step',
  resetWeights: 'neuralCanvas.resetWeights',
  predict: 'neuralCanvas.predict',
  checkGradients: 'neuralCanvas.checkGradients',
  export: 'neuralCanvas.export',
  showGradients: 'neuralCanvas.showGradientsPanel',
} as const;

/** Shown when Restricted Mode blocks a command: which one, why, and what to do. */
export function restrictedMessage(command: string): string {
  return `Neural Canvas: ${command} is disabled in Restricted Mode. Training, Step, Reset Weights, Predict, Check Gradients and Export read, write or delete data and weights files and run the training process, so they need a trusted workspace. Trust this workspace (Manage Workspace Trust) to use them.`;
}

/** Routes updates and owns the commands' state. */
export class TrainingController implements vscode.Disposable {
  readonly client: TrainerClient;
  /** The graph editors' Predict panes. */
  readonly predictPanes: PredictPanes;
  private readonly histories = new Map<string, RunHistory>();
  /** Each Train run's line in name.runs.jsonl, and the runs shown in the design's editors. */
  readonly runLog: RunLogHost;
  private readonly runFiles = new Map<number, string>();
  /** Where each file's training stands: the one state the status bar, notification and views agree on. */
  private readonly runs = new Map<string, RunStatus>();
  readonly statusBar = new TrainingStatusBar(TRAINING_COMMANDS.stop, GRAPH_VIEW_TYPE);
  private readonly disposables: vscode.Disposable[] = [this.statusBar];
  private readonly updated = new vscode.EventEmitter<{ file: string; update: TrainingUpdate }>();
  private readonly greeted = new WeakSet<GraphEditorSession>();
  private progress?: TrainingProgress;
  /** Fires for every update, with the file it belongs to (the gradients panel listens). */
  readonly onDidUpdate = this.updated.event;
  private readonly checked = new vscode.EventEmitter<GradientCheckResult & { path: string }>();
  /** Fires when Check Gradients has a result. */
  readonly onDidCheck = this.checked.event;
  private readonly selected = new vscode.EventEmitter<{ file: string; id: string }>();
  /** Fires when a graph editor selects one node (the gradients panel follows). */
  readonly onDidSelectNode = this.selected.event;

  constructor(private readonly extensionUri: vscode.Uri, readonly editors: GraphEditorProvider, private readonly log: vscode.OutputChannel) {
    this.client = new TrainerClient({ script: vscode.Uri.joinPath(extensionUri, 'dist', 'trainer.js').fsPath }, (l) => log.appendLine(l));
    this.predictPanes = new PredictPanes({ client: this.client, editors, job: (uri) => this.job(uri), refusal: () => (vscode.workspace.isTrusted ? undefined : restrictedMessage('Predict')) });
    this.runLog = new RunLogHost(editors, log);
    this.disposables.push(this.updated, this.checked, this.selected, this.runLog, this.client.onUpdate((u) => this.route(u)));
    this.disposables.push(editors.onDidChangeActive((active) => {
      this.greetSessions();
      // The status bar follows the active editor's file, unless another file is training.
      if (active) this.showStatus(active.document.uri.fsPath);
    }));
    this.disposables.push(followNeuronHeatmaps(this.client, editors));
    this.greetSessions();
  }

  /** The history of a file (created on first use). */
  history(file: string): RunHistory {
    let h = this.histories.get(file);
    if (!h) this.histories.set(file, (h = new RunHistory()));
    return h;
  }

  /** Where a file's training stands (NO_RUN before its first run or Step in this session). */
  runStatus(file: string): RunStatus {
    return this.runs.get(file) ?? NO_RUN;
  }

  /** The .nn file a command applies to: its argument, the active graph editor, or the active text editor. */
  targetFile(arg?: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    const s = this.editors.activeSession ?? (this.editors.allSessions.length === 1 ? this.editors.allSessions[0] : undefined);
    if (s) return s.document.uri;
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && doc.uri.path.endsWith('.nn')) return doc.uri;
    return undefined;
  }

  private async job(uri: vscode.Uri): Promise<TrainerJob> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    return { text: doc.getText(), file: uri.fsPath, allowedRoots: roots.length > 0 ? roots : [path.dirname(uri.fsPath)] };
  }

  /** True in a trusted workspace; otherwise says why `command` is refused. */
  private trusted(command = 'This command'): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(restrictedMessage(command));
    this.log.appendLine(restrictedMessage(command));
    return false;
  }

  private resolve(arg: unknown): vscode.Uri | undefined {
    const uri = this.targetFile(arg);
    if (!uri) void vscode.window.showWarningMessage('Open a .nn file (in the graph or text editor) first, then run this command.');
    return uri;
  }

  /** Train: starts a run of the file with its training settings (and optional overrides); resolves with the run id. */
  async train(arg?: unknown, overrides: TrainOverrides = {}): Promise<number | undefined> {
    if (!this.trusted('Train')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    const running = this.client.runningRun;
    if (running !== undefined) {
      const file = this.runFiles.get(running);
      void vscode.window.showWarningMessage(`A training run of ${file ? path.basename(file) : 'another file'} is in progress; stop it first (Neural Canvas: Stop Training).`);
      return undefined;
    }
    const job = await this.job(uri);
    if (await offerTrainingData(uri, job.text)) return undefined;
    const consent = await askWeightsConsent(this.client, job, 'Training');
    if (!consent) return undefined;
    const runId = this.client.newRunId();
    this.runFiles.set(runId, uri.fsPath);
    const config = vscode.workspace.getConfiguration('neuralCanvas.training');
    const perSecond = Math.min(60, Math.max(1, config.get<number>('updatesPerSecond', 20)));
    const boundarySize = Math.min(256, Math.max(16, Math.round(config.get<number>('boundaryResolution', 64))));
    this.runLog.begin(runId, uri, job.text, overrides);
    this.client.train({ runId, overrides, eventEveryMs: Math.round(1000 / perSecond), boundarySize, neuronHeatmaps: neuronHeatmapsOn(), ...consent, ...job });
    void vscode.commands.executeCommand('setContext', 'neuralCanvas.training', true);
    this.progress?.finish();
    this.progress = new TrainingProgress(uri.fsPath, runId, () => this.client.stop(runId));
    return runId;
  }

  /** Train with Options: asks for epochs, learning rate and backend for this run. */
  async trainWithOptions(arg?: unknown): Promise<number | undefined> {
    if (!this.trusted('Train with Options')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    // Nothing to train on: offer data before asking how to train.
    if (await offerTrainingData(uri, text)) return undefined;
    const overrides = await askOverrides(text);
    return overrides ? this.train(uri, overrides) : undefined;
  }

  /** Stop: ends the current run (the trainer answers with 'done' within a step). */
  stop(): boolean {
    const run = this.client.runningRun;
    if (run === undefined) {
      void vscode.window.showInformationMessage('No training run is in progress.');
      return false;
    }
    this.client.stop(run);
    return true;
  }

  /** Step: one mini-batch; the session (and optimizer state) is kept between steps. */
  async step(arg?: unknown): Promise<unknown> {
    if (!this.trusted('Step')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    if (this.client.runningRun !== undefined) {
      void vscode.window.showWarningMessage('A training run is in progress; stop it (Neural Canvas: Stop Training) before stepping one batch at a time.');
      return undefined;
    }
    const job = await this.job(uri);
    if (await offerTrainingData(uri, job.text)) return undefined;
    const consent = await askWeightsConsent(this.client, job, 'Step');
    if (!consent) return undefined;
    const runId = this.client.newRunId();
    this.runFiles.set(runId, uri.fsPath);
    try {
      return await this.runLog.recordStep(runId, uri, job.text, () => this.client.request({ type: 'step', runId, neuronHeatmaps: neuronHeatmapsOn(), ...consent, ...job }));
    } catch (e) {
      // The views and the status bar say the Step failed, as they do for a failed run.
      this.broadcast(uri.fsPath, { kind: 'error', runId, message: `Step failed: ${messageOf(e)}` });
      void vscode.window.showErrorMessage(`Step failed: ${messageOf(e)}`);
      return undefined;
    }
  }

  /**
   * Reset Weights: after a modal confirmation (skipped with `{ confirmed: true }`, for tests),
   * deletes the weights file beside the design, forgets the file's history and clears its
   * training views. Refused in Restricted Mode.
   */
  async resetWeights(arg?: unknown, options?: unknown): Promise<boolean> {
    if (!this.trusted('Reset Weights')) return false;
    const uri = this.resolve(arg);
    if (!uri) return false;
    if (this.client.runningRun !== undefined && this.runFiles.get(this.client.runningRun) === uri.fsPath) {
      void vscode.window.showWarningMessage('Stop the training run before resetting its weights.');
      return false;
    }
    const wfile = weightsPathFor(uri.fsPath);
    const existed = fs.existsSync(wfile);
    const confirmed = typeof options === 'object' && options !== null && (options as { confirmed?: unknown }).confirmed === true;
    if (existed && !confirmed) {
      const answer = await vscode.window.showWarningMessage(`Delete the trained weights of ${path.basename(uri.fsPath)}?`, {
        modal: true,
        detail: `${path.basename(wfile)} will be deleted and the next run starts from fresh weights. This cannot be undone.`,
      }, 'Delete Weights');
      if (answer !== 'Delete Weights') return false;
    }
    if (existed) await fs.promises.unlink(wfile);
    this.client.post({ type: 'resetStep' });
    this.runLog.resetSteps();
    this.history(uri.fsPath).clear();
    const cleared: TrainingUpdate = { kind: 'reset', runId: 0, message: existed ? `Weights reset: ${path.basename(wfile)} was deleted; the next run starts from fresh weights.` : 'No saved weights to reset; the next run starts from fresh weights.' };
    this.broadcast(uri.fsPath, cleared);
    void vscode.window.showInformationMessage(cleared.message);
    return existed;
  }

  /**
   * Predict: opens the Predict pane of the file's graph editor; with `given` values, predicts them
   * there too and resolves with the outputs. Without a graph editor: asks for the values and answers in a notification.
   */
  async predict(arg?: unknown, given?: number[]): Promise<number[] | undefined> {
    if (!this.trusted('Predict')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    return this.predictPanes.predict(uri, given, async () => parseNumbers(await vscode.window.showInputBox({
      title: `Predict with ${path.basename(uri.fsPath)}`,
      prompt: 'Input values, separated by commas (in input-node order)',
      placeHolder: 'e.g. 2.3, 10.2',
      validateInput: (v) => parseNumbers(v) ? undefined : 'Enter numbers separated by commas, e.g. 2.3, 10.2',
    }) ?? ''));
  }

  /** Check Gradients: analytic vs numerical, one relative error per tensor; shown in the panel. */
  async checkGradients(arg?: unknown): Promise<GradientCheckResult | undefined> {
    if (!this.trusted('Check Gradients')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    try {
      const result = await this.client.request({ type: 'checkGradients', ...(await this.job(uri)) });
      this.history(uri.fsPath).check = result;
      this.checked.fire({ ...result, path: uri.fsPath });
      const worst = Math.max(...result.rows.map((r) => r.relativeError));
      void vscode.commands.executeCommand(TRAINING_COMMANDS.showGradients);
      void vscode.window.showInformationMessage(`Check Gradients (${path.basename(uri.fsPath)}): largest relative error ${worst.toExponential(2)} ${worst < 1e-3 ? '— the gradients agree' : '— larger than 1e-3: look at the table'}.`);
      return result;
    } catch (e) {
      void vscode.window.showErrorMessage(`Check Gradients failed: ${messageOf(e)}`);
      return undefined;
    }
  }

  /**
   * Export…: asks for the format and the main file (unless `given`), then the training process
   * writes the files. Resolves with the absolute paths written.
   */
  async exportFiles(arg?: unknown, given?: Partial<ExportChoice>): Promise<string[] | undefined> {
    if (!this.trusted('Export')) return undefined;
    const uri = this.resolve(arg);
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showWarningMessage(`Save ${path.basename(uri.path)} to disk first: Export writes files beside it.`);
      return undefined;
    }
    if (given?.format !== undefined && !isExportFormat(given.format)) {
      void vscode.window.showErrorMessage(`Export failed: unknown format '${String(given.format)}'; choose pytorch, keras or onnx.`);
      return undefined;
    }
    const choice = given?.format ? { format: given.format, out: typeof given.out === 'string' ? given.out : undefined } : await askExport(uri);
    if (!choice) return undefined;
    try {
      let { out } = choice;
      let force = given?.force === true;
      for (;;) {
        const answer = await this.client.request({ type: 'export', format: choice.format, ...(out ? { out } : {}), ...(force ? { force } : {}), ...(await this.job(uri)) }, 120000);
        if (answer.conflicts?.length) {
          // Files in the way that export did not write: nothing was written; the user decides.
          const next = await askAboutConflicts(uri.fsPath, choice.format, out, answer.conflicts);
          if (!next) return undefined;
          ({ out, force } = next);
          continue;
        }
        showExported(uri.fsPath, choice.format, answer, (l) => this.log.appendLine(l));
        return answer.written;
      }
    } catch (e) {
      this.log.appendLine(`Export ${path.basename(uri.fsPath)}: ${messageOf(e)}`);
      void vscode.window.showErrorMessage(`Export failed: ${messageOf(e)}`);
      return undefined;
    }
  }

  private route(u: TrainingUpdate): void {
    this.runLog.observe(u);
    const file = this.runFiles.get(u.runId) ?? (u.runId === -1 ? [...this.runFiles.values()].pop() : undefined);
    if (!file) return;
    this.history(file).add(u);
    this.broadcast(file, u);
    this.progress?.report(u, this.runStatus(file));
    if ((u.kind === 'done' || u.kind === 'error' || u.kind === 'exited') && this.client.runningRun === undefined) {
      void vscode.commands.executeCommand('setContext', 'neuralCanvas.training', false);
    }
    if (u.kind === 'error' || u.kind === 'exited') {
      this.log.appendLine(`${path.basename(file)}: ${u.message}`);
      void vscode.window.showErrorMessage(`Training ${path.basename(file)}: ${u.message}`);
    }
  }

  private broadcast(file: string, update: TrainingUpdate): void {
    this.runs.set(file, nextRunStatus(this.runStatus(file), update));
    this.showStatus(file);
    for (const s of this.editors.allSessions) if (s.document.uri.fsPath === file) s.channel.post({ type: 'training', update });
    this.updated.fire({ file, update });
  }

  /** Gives each new graph editor the latest state of its file once its view says ready. */
  private greetSessions(): void {
    for (const s of this.editors.allSessions) {
      if (this.greeted.has(s)) continue;
      this.greeted.add(s);
      this.predictPanes.attach(s);
      const greet = (): void => {
        const file = s.document.uri.fsPath;
        // The view's settings first: a view with heatmaps off draws none of the replay's.
        s.channel.post({ type: 'viewOptions', neuronHeatmaps: neuronHeatmapsOn() });
        const replay = this.history(file).replay();
        const wfile = weightsPathFor(file);
        if (replay.length === 0 && fs.existsSync(wfile)) replay.push({ kind: 'saved', runId: 0, weightsFile: path.basename(wfile) });
        for (const update of replay) s.channel.post({ type: 'training', update });
      };
      s.channel.on('ready', greet);
      // A view that said ready before its editor was first active (opened in the background) is
      // greeted now: its 'ready' went by before this listened.
      if (s.isReady) greet();
      s.channel.on('setNeuronHeatmaps', (m) => void setNeuronHeatmaps(m.on).catch((e: unknown) => void vscode.window.showErrorMessage(`Could not change ${NEURON_HEATMAPS_SETTING}: ${messageOf(e)}`)));
      s.channel.on('selectionChanged', (m) => {
        if (m.ids.length === 1) this.selected.fire({ file: s.document.uri.fsPath, id: m.ids[0] });
      });
    }
  }

  /** Shows `file`'s state in the status bar, unless another file's run is in progress. */
  private showStatus(file: string): void {
    const shown = this.statusBar.shownFile;
    this.statusBar.show(file, this.runStatus(file), shown !== undefined && isRunning(this.runStatus(shown)));
  }

  /** Registers the commands. */
  registerCommands(): vscode.Disposable[] {
    const c = TRAINING_COMMANDS;
    return [
      vscode.commands.registerCommand(c.train, (uri?: unknown, overrides?: TrainOverrides) => this.train(uri, overrides ?? {})),
      vscode.commands.registerCommand(c.trainWithOptions, (uri?: unknown) => this.trainWithOptions(uri)),
      vscode.commands.registerCommand(c.stop, () => this.stop()),
      vscode.commands.registerCommand(c.step, (uri?: unknown) => this.step(uri)),
      vscode.commands.registerCommand(c.resetWeights, (uri?: unknown, options?: unknown) => this.resetWeights(uri, options)),
      vscode.commands.registerCommand(c.predict, (uri?: unknown, inputs?: number[]) => this.predict(uri, inputs)),
      vscode.commands.registerCommand(c.checkGradients, (uri?: unknown) => this.checkGradients(uri)),
      vscode.commands.registerCommand(c.export, (uri?: unknown, given?: Partial<ExportChoice>) => this.exportFiles(uri, given)),
    ];
  }

  /** The training process's id while it runs. */
  get trainerPid(): number | undefined {
    return this.client.pid;
  }

  /** Stops the process and releases the status bar item. */
  dispose(): void {
    this.progress?.finish();
    this.client.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function parseNumbers(text: string): number[] | undefined {
  const parts = text.split(/[,\s]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return undefined;
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
