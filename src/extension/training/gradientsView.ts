/**
 * The gradients panel: a WebviewView in its own view container that follows the active `.nn`
 * editor, replays that file's latest run when it (re)opens, and syncs layer selection with the
 * graph editor. For image networks it also asks the training process for a conv node's feature
 * maps (for the image picked in the panel or in the editor's image grid). Hidden views keep
 * nothing: showing the view again replays the host's history.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Channel, FromPanelMessage, type FromPanel, isProbe, MalformedMessage, ProbeMessage, type ToPanel, type TrainingUpdate } from '../../protocol';
import { makeNonce } from '../webviewHtml';
import { panelHtml } from './panelHtml';
import type { GraphEditorSession } from '../graphEditorProvider';
import { restrictedMessage, type TrainingController } from './trainingController';

/** The view id contributed in package.json. */
export const GRADIENTS_VIEW_ID = 'neuralCanvas.gradients';

/** What the panel last reported drawing (a test probe, read by tests through an internal command). */
export interface PanelRendered {
  file?: string;
  layers: string[];
  points: number;
  warnings: string[];
  checkRows: number;
}

/** Provides the panel and keeps it following the active editor. */
/**
 * The update kinds the panel draws (see webview/panel/panelState.ts). Boundary grids and epoch
 * metrics are for the editor's view only: sending them here would only cost the window time.
 */
const PANEL_KINDS: ReadonlySet<TrainingUpdate['kind']> = new Set<TrainingUpdate['kind']>(['start', 'layers', 'weights', 'progress', 'done', 'error', 'exited', 'reset', 'images', 'filters']);

/** An epoch's end (not an evaluation during one): the panel's epoch counter makes the epoch whole, as the other surfaces do. */
function isEpochEnd(u: TrainingUpdate): boolean {
  return u.kind === 'epoch' && u.step === undefined;
}

export class GradientsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private channel?: Channel<ToPanel, FromPanel>;
  private file?: string;
  private selected?: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly hooked = new WeakSet<GraphEditorSession>();
  /** The image last clicked in the followed file's image grid (kept across hiding and showing the panel). */
  private pickedRow?: number;
  /** The panel's latest report of what it shows. */
  rendered?: PanelRendered;

  constructor(private readonly extensionUri: vscode.Uri, private readonly training: TrainingController, private readonly log: vscode.OutputChannel) {
    this.disposables.push(
      training.editors.onDidChangeActive((s) => { this.hookEditors(); if (s) this.follow(s.document.uri.fsPath); }),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e && e.document.uri.path.endsWith('.nn')) this.follow(e.document.uri.fsPath); }),
      training.onDidUpdate(({ file, update }) => {
        if (file !== this.file && update.kind === 'start') this.follow(file);
        else if (file === this.file && (PANEL_KINDS.has(update.kind) || isEpochEnd(update))) this.channel?.post({ type: 'update', file: path.basename(file), update });
      }),
      training.onDidSelectNode(({ file, id }) => {
        if (file !== this.file) return;
        this.selected = id;
        this.channel?.post({ type: 'select', id });
      }),
      training.onDidCheck((result) => {
        if (result.path !== this.file) this.follow(result.path);
        else this.channel?.post({ type: 'gradientCheck', result });
      }),
    );
    this.hookEditors();
  }

  /** A click on an image of an editor's image grid: the panel shows that image's feature maps. */
  private hookEditors(): void {
    for (const s of this.training.editors.allSessions) {
      if (this.hooked.has(s)) continue;
      this.hooked.add(s);
      s.channel.on('pickImage', (m) => {
        if (s.document.uri.fsPath !== this.file) this.follow(s.document.uri.fsPath);
        this.pickedRow = m.row;
        // The feature maps are in the panel: show it (a panel that opens now gets the pick with its replay).
        if (this.channel && this.view?.visible) this.channel.post({ type: 'pickImage', row: m.row });
        else void this.reveal();
      });
    }
  }

  /** Asks the training process for a node's feature maps for one image and hands the answer (or why not) to the panel. */
  private async featureMaps(channel: Channel<ToPanel, FromPanel>, node: string, row: number): Promise<void> {
    const file = this.file;
    if (!file) return;
    let answer: Extract<ToPanel, { type: 'featureMaps' }> = { type: 'featureMaps', node, row };
    if (!vscode.workspace.isTrusted) {
      answer.error = restrictedMessage('Feature maps');
    } else {
      try {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
        const maps = await this.training.client.request({ type: 'featureMaps', node, row, text: doc.getText(), file, allowedRoots: roots.length > 0 ? roots : [path.dirname(file)] });
        answer = { ...answer, maps };
      } catch (e) {
        answer.error = e instanceof Error ? e.message : String(e);
      }
    }
    if (file === this.file && this.channel === channel) channel.post(answer);
  }

  /** Called by VS Code when the view is first shown (and again after it was disposed). */
  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = panelHtml({ cspSource: view.webview.cspSource, nonce: makeNonce(), script: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.js')).toString() });
    const channel = new Channel<ToPanel, FromPanel>((m) => void view.webview.postMessage(m));
    this.channel = channel;
    const subs = [
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const m = isProbe(raw) ? ProbeMessage.validate(raw) : FromPanelMessage.validate(raw);
        if (m instanceof MalformedMessage) this.log.appendLine(`Ignored a message from the gradients panel: ${m.reason}.`);
        else if (m.type === 'panelRendered') this.rendered = { file: this.file, layers: m.layers, points: m.points, warnings: m.warnings, checkRows: m.checkRows };
        else if (m.type !== 'editorRendered' && m.type !== 'trainingRendered' && m.type !== 'predictRendered' && m.type !== 'neuronsRendered') channel.receive(m);
      }),
      // A view made visible again gets the latest state (its page may have been recreated).
      view.onDidChangeVisibility(() => { if (view.visible) this.replay(); }),
    ];
    channel.on('ready', () => this.replay());
    channel.on('select', (m) => {
      this.selected = m.id;
      for (const s of this.training.editors.allSessions) if (s.document.uri.fsPath === this.file) s.channel.post({ type: 'selectNode', id: m.id });
    });
    channel.on('featureMaps', (m) => void this.featureMaps(channel, m.node, m.row));
    channel.on('checkGradients', () => void vscode.commands.executeCommand('neuralCanvas.checkGradients', this.file ? vscode.Uri.file(this.file) : undefined));
    view.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      channel.dispose();
      if (this.view === view) { this.view = undefined; this.channel = undefined; }
    });
    if (!this.file) {
      const active = this.training.targetFile();
      if (active) this.file = active.fsPath;
    }
  }

  /** Follows another file. */
  follow(file: string): void {
    if (file === this.file) return;
    this.file = file;
    this.selected = undefined;
    this.pickedRow = undefined;
    this.replay();
  }

  /** Sends the followed file's whole latest state. */
  replay(): void {
    if (!this.channel) return;
    const h = this.file ? this.training.history(this.file) : undefined;
    const layers = h?.last('layers')?.layers.map((l) => l.id) ?? [];
    this.channel.post({ type: 'follow', file: this.file ? path.basename(this.file) : undefined, layers, updates: h?.replay() ?? [], check: h?.check, selected: this.selected });
    if (this.pickedRow !== undefined) this.channel.post({ type: 'pickImage', row: this.pickedRow });
  }

  /** Shows the view (Show Gradients Panel). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${GRADIENTS_VIEW_ID}.focus`);
  }

  /** Releases listeners. */
  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
