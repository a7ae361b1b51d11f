/**
 * The custom editor for `.nn` files. The TextDocument is the truth: the webview draws snapshots
 * of it and sends intents; each intent becomes one minimal WorkspaceEdit (so VS Code's undo,
 * redo, dirty state and hot exit just work), and every text change, whoever made it, re-renders.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Channel, type EditIntent, type EditorRendered, FromEditorMessage, type FromEditor, type IntentReply, isProbe, MalformedMessage, type NeuronsRendered, ProbeMessage, type PredictRendered, type ToEditor, type TrainingRendered } from '../protocol';
import type { NetworkAnalysis } from '../model';
import { checkable } from './diagnosticsController';
import type { DocumentChecks } from './documentChecks';
import { replacementsForIntent } from './intentEdits';
import { attachTrainingData } from './trainingDataPrompts';
import { editorHtml, makeNonce } from './webviewHtml';

/** What the view reports after drawing (a test probe, not a product message). */
export type RenderedReport = EditorRendered;

/** What activate() returns: the graph editor, for other extensions' and integration tests' use. */
export interface GraphEditorApi {
  graphEditor: GraphEditorProvider;
}

/** The view type registered in package.json's customEditors. */
export const GRAPH_VIEW_TYPE = 'neuralCanvas.graph';

/** One open graph editor: its document, webview panel and message channel. */
export class GraphEditorSession implements vscode.Disposable {
  /** Typed messages to and from the webview. */
  readonly channel: Channel<ToEditor, FromEditor>;
  /** The analysis of the latest readable version (undefined while the file has errors). */
  analysis?: NetworkAnalysis;
  /** The view's last report of what it drew (integration tests wait on it). */
  lastRendered?: RenderedReport;
  /** What the view's training view last reported showing (integration tests compare it with the status bar). */
  lastTraining?: TrainingRendered;
  /** What the view's Predict pane last reported showing (integration tests). */
  lastPredict?: PredictRendered;
  /** What the graph's neuron heatmaps last reported (integration tests). */
  lastNeurons?: NeuronsRendered;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedReport>();
  /** Fires each time the view has drawn a version (integration tests). */
  readonly onDidRender = this.renderedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.renderedEmitter];
  private pending?: ReturnType<typeof setTimeout>;
  private ready = false;
  /** Whether the view has said it is ready (a listener added later must not wait for 'ready' again). */
  get isReady(): boolean {
    return this.ready;
  }

  constructor(
    readonly document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly log: vscode.OutputChannel,
    private readonly onUpdate: (session: GraphEditorSession) => void,
    private readonly checks: DocumentChecks,
  ) {
    this.channel = new Channel<ToEditor, FromEditor>((m) => void panel.webview.postMessage(m));
    this.disposables.push(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.disposables.push(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === document && e.contentChanges.length > 0) this.scheduleUpdate();
    }));
    this.channel.on('ready', () => {
      this.ready = true;
      this.sendSnapshot();
    });
    this.channel.on('openTextEditor', () => {
      void vscode.commands.executeCommand('vscode.openWith', document.uri, 'default', vscode.ViewColumn.Beside);
    });
    // Every intent of the protocol, checked by the compiler: one left out here would go unanswered in VS Code.
    const intents: Record<EditIntent['type'], true> = {
      addNode: true, removeNodes: true, connect: true, disconnect: true, setProperty: true, setTrainingField: true, restoreTraining: true,
      rename: true, pin: true, unpin: true, setLayoutDirection: true, paste: true,
      group: true, ungroup: true, setGroupCollapsed: true, setGroupLabel: true, groupChains: true,
    };
    for (const type of Object.keys(intents) as EditIntent['type'][]) this.channel.handle(type, (m) => this.applyIntent(m));
    attachTrainingData(document, this.channel);
    this.analysis = checks.get(checkable(document)).analysis;
  }

  /** Base name of the document. */
  get fileName(): string {
    return path.basename(this.document.uri.path);
  }

  /** Handles one raw message from the webview (public so integration tests can drive the host exactly as the view does). */
  receive(raw: unknown): void {
    const message = isProbe(raw) ? ProbeMessage.validate(raw) : FromEditorMessage.validate(raw);
    if (message instanceof MalformedMessage) {
      this.log.appendLine(`Ignored a message from the graph editor of ${this.fileName}: ${message.reason}.`);
      return;
    }
    if (message.type === 'editorRendered') {
      this.lastRendered = message;
      this.renderedEmitter.fire(message);
    } else if (message.type === 'trainingRendered') {
      this.lastTraining = message;
    } else if (message.type === 'predictRendered') {
      this.lastPredict = message;
    } else if (message.type === 'neuronsRendered') {
      this.lastNeurons = message;
    } else if (message.type !== 'panelRendered') {
      this.channel.receive(message);
    }
  }

  private scheduleUpdate(): void {
    // Coalesce bursts (typing, multi-edit undo) into one render.
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.sendSnapshot();
    }, 10);
  }

  /** Posts the check of the current version to the view (shared with the Problems panel and status bar). */
  sendSnapshot(): void {
    const { snapshot, analysis } = this.checks.get(checkable(this.document));
    this.analysis = analysis;
    if (this.ready) this.channel.post({ type: 'document', snapshot });
    this.onUpdate(this);
  }

  private async applyIntent(intent: EditIntent): Promise<IntentReply> {
    const text = this.document.getText();
    const { snapshot, tooLarge } = this.checks.get(checkable(this.document));
    if (tooLarge) throw new Error(`${this.fileName} is above the size limit (setting neuralCanvas.maxFileSizeMB), so the graph does not change it.`);
    if (!snapshot.doc) throw new Error(`${this.fileName} cannot be read as a network, so the graph does not change it. Fix the text first (Open in Text Editor).`);
    const replacements = replacementsForIntent(text, intent);
    if (replacements.length === 0) return { changed: false };
    const edit = new vscode.WorkspaceEdit();
    for (const r of replacements) {
      edit.replace(this.document.uri, new vscode.Range(this.document.positionAt(r.offset), this.document.positionAt(r.offset + r.length)), r.content);
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) throw new Error(`VS Code refused the edit to ${this.fileName} (is the file read-only?).`);
    return { changed: true };
  }

  /** Releases listeners and pending requests. */
  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.channel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Creates sessions for `.nn` documents and tracks which one is active (for commands). */
export class GraphEditorProvider implements vscode.CustomTextEditorProvider, vscode.Disposable {
  private readonly sessions = new Set<GraphEditorSession>();
  private active?: GraphEditorSession;
  private readonly changed = new vscode.EventEmitter<GraphEditorSession | undefined>();
  /** Fires when the active session or its analysis changes. */
  readonly onDidChangeActive = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.OutputChannel, private readonly checks: DocumentChecks) {}

  /** The graph editor that has focus, if any. */
  get activeSession(): GraphEditorSession | undefined {
    return this.active;
  }

  /** Every open graph editor. */
  get allSessions(): readonly GraphEditorSession[] {
    return [...this.sessions];
  }

  /** Called by VS Code for every `.nn` file opened in the graph view. */
  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const distUri = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const mediaUri = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [distUri, mediaUri] };
    webview.html = editorHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      script: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'editor.js')).toString(),
      layoutWorker: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'layoutWorker.js')).toString(),
      codicons: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'codicons', 'codicon.css')).toString(),
    });
    const session = new GraphEditorSession(document, panel, this.log, (s) => {
      if (s === this.active) this.changed.fire(s);
    }, this.checks);
    this.sessions.add(session);
    if (panel.active) this.setActive(session);
    panel.onDidChangeViewState(() => {
      if (panel.active) this.setActive(session);
      else if (this.active === session) this.setActive(undefined);
    });
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      if (this.active === session) this.setActive(undefined);
      session.dispose();
    });
  }

  private setActive(session: GraphEditorSession | undefined): void {
    this.active = session;
    this.changed.fire(session);
  }

  /** Closes the emitter; sessions are disposed with their panels. */
  dispose(): void {
    this.changed.dispose();
  }
}
