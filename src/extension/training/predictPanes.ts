/**
 * The host's part of the graph editor's Predict pane: the Predict command opens the pane of the
 * file's graph editor (with the command's inputs and their prediction when it was given some),
 * the pane's rows go to the training process (the saved, else inline, weights), and its requests
 * for names and weights are answered with the training process's predictInfo. Without a graph
 * editor of the file, Predict asks for the values and answers in a notification, as before.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatNumber } from '../../model';
import { MAX_PANE_INPUTS, type PredictInfo, type PredictPane, type TrainerJob } from '../../protocol';
import type { GraphEditorProvider, GraphEditorSession } from '../graphEditorProvider';
import type { TrainerClient } from './trainerClient';

/** What the pane needs of the training controller. */
export interface PredictHost {
  readonly client: TrainerClient;
  readonly editors: GraphEditorProvider;
  /** The job of a file (its text as the editor holds it, the workspace folders). */
  job(uri: vscode.Uri): Promise<TrainerJob>;
  /** Why Predict is refused (Restricted Mode), or undefined. */
  refusal(): string | undefined;
}

/** The Predict panes of every graph editor. */
export class PredictPanes {
  private readonly attached = new WeakSet<GraphEditorSession>();
  /** The last pane message of each editor, sent again when its view (re)loads. */
  private readonly last = new WeakMap<GraphEditorSession, PredictPane>();

  constructor(private readonly host: PredictHost) {}

  /** Answers one graph editor's pane (once per editor). */
  attach(session: GraphEditorSession): void {
    if (this.attached.has(session)) return;
    this.attached.add(session);
    const ch = session.channel;
    ch.handle('predictRow', async (m) => {
      const refused = this.host.refusal();
      if (refused) throw new Error(refused);
      return this.host.client.request({ type: 'predict', inputs: m.inputs, ...(await this.host.job(session.document.uri)) });
    });
    ch.on('refreshPredict', (m) => void this.send(session, { inputs: m.inputs }));
    ch.on('ready', () => {
      const pane = this.last.get(session);
      if (pane) ch.post({ type: 'predictPane', ...pane });
    });
  }

  /**
   * The Predict command on `uri`: with `given` values, predicts them (resolving with the outputs)
   * and shows the result in the file's graph editor's pane, else in a notification; without,
   * opens the pane (or, with no graph editor of the file, asks for the values).
   */
  async predict(uri: vscode.Uri, given: number[] | undefined, ask: () => Thenable<number[] | undefined>): Promise<number[] | undefined> {
    const session = this.host.editors.allSessions.find((s) => s.document.uri.toString() === uri.toString());
    if (session && !given) {
      session.panel.reveal(undefined, false);
      await this.send(session, { open: true });
      return undefined;
    }
    const inputs = given ?? (await ask());
    if (!inputs) return undefined;
    let reply: { outputs: number[]; source: string } | undefined;
    let error: string | undefined;
    try {
      reply = await this.host.client.request({ type: 'predict', inputs, ...(await this.host.job(uri)) });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const fits = inputs.length <= MAX_PANE_INPUTS && inputs.every(Number.isFinite);
    if (session) {
      await this.send(session, { open: true, ...(fits ? { inputs } : {}), ...(reply ? { outputs: reply.outputs, source: reply.source } : { error }) });
    } else if (reply) {
      void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)}: (${inputs.join(', ')}) → ${reply.outputs.map(formatNumber).join(', ')}  (weights: ${reply.source})`);
    } else {
      void vscode.window.showErrorMessage(`Predict failed: ${error}`);
    }
    return reply?.outputs;
  }

  /** Sends the pane of `session` its names and weights (from the training process), with `extra`. */
  private async send(session: GraphEditorSession, extra: Omit<PredictPane, 'info'>): Promise<void> {
    this.attach(session);
    const uri = session.document.uri;
    const inputs = extra.inputs && extra.inputs.length <= MAX_PANE_INPUTS ? extra.inputs : undefined;
    let info: PredictInfo;
    try {
      const refused = this.host.refusal();
      if (refused) throw new Error(refused);
      info = await this.host.client.request({ type: 'predictInfo', ...(await this.host.job(uri)), ...(inputs ? { inputs } : {}) });
    } catch (e) {
      info = { file: path.basename(uri.fsPath), features: [], classes: [], outputs: [], task: 'regression', problem: e instanceof Error ? e.message : String(e) };
    }
    // A refresh keeps the pane as the user left it (open or closed, with the values typed in it).
    const pane: PredictPane = extra.open ? { info, ...extra } : { info };
    const before = this.last.get(session);
    if (extra.open || before) this.last.set(session, extra.open ? pane : { ...before, info });
    session.channel.post({ type: 'predictPane', ...pane });
  }
}
