/**
 * The run history on the host: each Train run appends its line to `name.runs.jsonl` beside the
 * design (through vscode.workspace.fs; existing bytes are kept as they are, lines are only ever
 * added), and each graph editor of the design gets the runs (on ready and after each new line),
 * with one warning per line that could not be read (also written to the output channel).
 * Consecutive Steps on the same weights are one entry: its line is appended at the first Step and
 * replaced by each further Step while the file still ends with it exactly (else appended anew).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatRunLine, parseRunLog, runLogPathFor, trainingSectionOf, withRunLine, type ParsedRunLog, type RunRecord } from '../../model';
import { MAX_RUNS_SHOWN, type TrainingUpdate, type TrainOverrides } from '../../protocol';
import type { GraphEditorProvider, GraphEditorSession } from '../graphEditorProvider';
import { RunRecorder } from './runRecorder';
import { StepSequence, type StepBegin } from './stepRecorder';

/** The Step sequence the training process holds (it keeps one step session, of one design). */
interface Stepping {
  design: vscode.Uri;
  text: string;
  sequence: StepSequence;
  /** Its line as last written (replaced by the next Step while the file still ends with it). */
  written: { line?: Uint8Array };
}

/** The run log of a design (undefined for a document that is not a file on a file system, e.g. untitled). */
export function runLogUri(design: vscode.Uri): vscode.Uri | undefined {
  if (design.scheme === 'untitled') return undefined;
  return design.with({ path: runLogPathFor(design.path) });
}

/** Records runs and shows them to the design's editors. */
export class RunLogHost implements vscode.Disposable {
  private readonly active = new Map<number, { design: vscode.Uri; recorder: RunRecorder }>();
  /** Steps in flight: what each was pressed with. */
  private readonly steps = new Map<number, { design: vscode.Uri; text: string; begin: StepBegin }>();
  private stepping?: Stepping;
  private readonly writing = new Map<string, Promise<unknown>>();
  private readonly greeted = new WeakSet<GraphEditorSession>();
  private readonly warned = new Set<string>();
  /** What each editor was last sent (the test command reports it). */
  private readonly sent = new WeakMap<GraphEditorSession, { file: string; started: string[]; warnings: number }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Lines appended (tests wait on it). */
  private readonly appended = new vscode.EventEmitter<{ design: vscode.Uri; record: RunRecord }>();
  readonly onDidAppend = this.appended.event;

  constructor(private readonly editors: GraphEditorProvider, private readonly log: vscode.OutputChannel) {
    this.disposables.push(this.appended, editors.onDidChangeActive(() => this.greet()));
    // Tests only (not contributed in package.json): the lines of a design's run log and what its editors were sent.
    this.disposables.push(vscode.commands.registerCommand('neuralCanvas.internal.runHistory', async (design: vscode.Uri) => ({
      runs: (await this.read(design)).runs.map((r) => ({ line: r.line, started: r.started, ended: r.ended, epochs: r.final.epochs, backend: r.backend, training: r.training })),
      editors: this.editors.allSessions.filter((s) => s.document.uri.toString() === design.toString()).map((s) => this.sent.get(s) ?? null),
    })));
    this.greet();
  }

  /** A Train run started: remember what it was started with. */
  begin(runId: number, design: vscode.Uri, text: string, overrides: TrainOverrides): void {
    if (!runLogUri(design)) return;
    const training = trainingSectionOf(text) ?? {};
    this.active.set(runId, { design, recorder: new RunRecorder({ design: path.basename(design.path), started: new Date().toISOString(), training, overrides }) });
    // A Train run ends the training process's step session: the next Step starts a new entry.
    this.stepping = undefined;
  }

  /**
   * A Step (`step` sends it): its updates go to the design's Step entry (a new one when the
   * process starts a fresh step session); once it answers, or fails, the entry's line is written.
   */
  async recordStep<T>(runId: number, design: vscode.Uri, text: string, step: () => Promise<T>): Promise<T> {
    if (runLogUri(design)) this.steps.set(runId, { design, text, begin: { design: path.basename(design.path), started: new Date().toISOString(), training: trainingSectionOf(text) ?? {} } });
    let reply: T;
    try {
      reply = await step();
    } catch (e) {
      void this.endStep(runId, `Step failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    void this.endStep(runId);
    return reply;
  }

  private async endStep(runId: number, failure?: string): Promise<void> {
    const step = this.steps.get(runId);
    this.steps.delete(runId);
    const s = this.stepping;
    // Only the sequence this Step belongs to (same design, same text: the process's step session).
    if (!step || !s || s.design.toString() !== step.design.toString() || s.text !== step.text) {
      if (failure !== undefined) this.stepping = undefined;
      return;
    }
    // A failed Step ends the sequence: the training process starts the next Step over.
    if (failure !== undefined) this.stepping = undefined;
    else if (s.sequence.steps === 0) return;
    await this.append(s.design, s.sequence.record(failure), s.written);
  }

  /** Reset Weights: the next Step starts a new entry. */
  resetSteps(): void {
    this.stepping = undefined;
  }

  /** Every update of the trainer; a run's end appends its line. */
  observe(u: TrainingUpdate): void {
    const step = this.steps.get(u.runId);
    if (step) {
      // A fresh step session (the first Step, or after an edit, Reset Weights, a Train run or a failed Step): a new entry.
      if (u.kind === 'start') this.stepping = { design: step.design, text: step.text, sequence: new StepSequence(step.begin), written: {} };
      const s = this.stepping;
      if (s && s.design.toString() === step.design.toString() && s.text === step.text) s.sequence.add(u);
      return;
    }
    const targets = u.runId === -1 ? [...this.active.keys()] : [u.runId];
    for (const runId of targets) {
      const run = this.active.get(runId);
      if (!run) continue;
      const record = run.recorder.add(u);
      if (!record) continue;
      this.active.delete(runId);
      void this.append(run.design, record);
    }
  }

  /**
   * Appends one line (after whatever the file holds, byte for byte), then shows the runs again.
   * With `written` (a Step entry): replaces the line it holds when the file still ends with it, and keeps the new one there.
   */
  async append(design: vscode.Uri, record: RunRecord, written?: { line?: Uint8Array }): Promise<void> {
    const file = runLogUri(design);
    if (!file) return;
    const key = file.toString();
    const previous = this.writing.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      let old: Uint8Array = new Uint8Array(0);
      try {
        old = await vscode.workspace.fs.readFile(file);
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) throw e;
      }
      // A last line without its newline (cut short) stays as it is; the new run starts on a line of its own.
      const line = new TextEncoder().encode(formatRunLine(record));
      await vscode.workspace.fs.writeFile(file, withRunLine(old, line, written?.line).bytes);
      if (written) written.line = line;
    }).then(() => {
      this.appended.fire({ design, record });
      return this.showAll(design);
    }, (e: unknown) => {
      const msg = `The run was not recorded in ${path.basename(file.path)}: ${e instanceof Error ? e.message : String(e)}. The design and its weights are unaffected.`;
      this.log.appendLine(msg);
      void vscode.window.showWarningMessage(msg);
    });
    this.writing.set(key, next);
    await next;
  }

  /** The design's runs and the lines that could not be read (an absent file: none). */
  async read(design: vscode.Uri): Promise<ParsedRunLog> {
    const file = runLogUri(design);
    if (!file) return { runs: [], warnings: [] };
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      return { runs: [], warnings: [] };
    }
    const parsed = parseRunLog(text, path.basename(file.path));
    for (const w of parsed.warnings) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.log.appendLine(w);
    }
    return parsed;
  }

  private async show(session: GraphEditorSession): Promise<void> {
    const file = runLogUri(session.document.uri);
    if (!file) return;
    const { runs, warnings } = await this.read(session.document.uri);
    const shown = runs.slice(-MAX_RUNS_SHOWN);
    session.channel.post({ type: 'runs', file: path.basename(file.path), runs: shown, warnings: warnings.slice(0, 1000) });
    this.sent.set(session, { file: path.basename(file.path), started: shown.map((r) => r.started), warnings: warnings.length });
  }

  private async showAll(design: vscode.Uri): Promise<void> {
    for (const s of this.editors.allSessions) if (s.document.uri.toString() === design.toString()) await this.show(s);
  }

  private greet(): void {
    for (const s of this.editors.allSessions) {
      if (this.greeted.has(s)) continue;
      this.greeted.add(s);
      s.channel.on('ready', () => void this.show(s));
      // Also now: a view that said ready before its editor was first active would otherwise never
      // get its runs (a view still loading drops this one and gets them on ready; twice is harmless).
      void this.show(s);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
