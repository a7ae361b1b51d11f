/**
 * Neural Canvas: Show Summary — the design as `nn summary` prints it, in a webview beside the
 * graph: a sortable table of the layers (type, output shape, parameters with their formula,
 * FLOPs) and the totals. It follows the active graph editor, updates as the text changes
 * (unsaved edits included), picks nodes in the graph editor when a row is clicked (the same
 * `selectNode` message the gradients panel uses) and highlights the graph's selection.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Channel, FromSummaryMessage, type FromSummary, MalformedMessage, type SummaryRendered, SummaryProbeMessage, type ToSummary } from '../../protocol';
import { DEFAULT_MAX_FILE_SIZE_MB, MAX_FILE_SIZE_SETTING, maxFileBytes } from '../documentChecks';
import type { GraphEditorProvider, GraphEditorSession } from '../graphEditorProvider';
import { makeNonce } from '../webviewHtml';
import { summaryContent } from './summaryContent';
import { summaryHtml } from './summaryHtml';

/** The command contributed in package.json. */
export const SHOW_SUMMARY_COMMAND = 'neuralCanvas.showSummary';
/** The webview panel's view type. */
export const SUMMARY_VIEW_TYPE = 'neuralCanvas.summary';

/** What activate() hands integration tests: the Summary view. */
export interface SummaryApi {
  summary: SummaryView;
}

/** The one Summary panel (created on Show Summary, disposed when closed). */
export class SummaryView implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private channel?: Channel<ToSummary, FromSummary>;
  private document?: vscode.TextDocument;
  private pending?: ReturnType<typeof setTimeout>;
  private readonly hooked = new WeakSet<GraphEditorSession>();
  /** Each graph editor's latest selection (to highlight when the view starts following its file). */
  private readonly selections = new WeakMap<GraphEditorSession, string[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderedEmitter = new vscode.EventEmitter<SummaryRendered>();
  /** What the view last reported drawing (its test probe). */
  rendered?: SummaryRendered;
  /** Fires each time the view reports what it shows (integration tests). */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly editors: GraphEditorProvider, private readonly log: vscode.OutputChannel) {
    this.disposables.push(
      this.renderedEmitter,
      editors.onDidChangeActive((s) => {
        this.hookEditors();
        if (s && this.panel && s.document !== this.document) this.follow(s.document);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document && e.contentChanges.length > 0) this.schedule();
      }),
    );
    this.hookEditors();
  }

  /** How often the current page said ready, how many `show`s went to it, and its reloads. */
  private readonly starts = { ready: 0, shows: 0, reloads: 0 };

  /** Whether the panel is open and visible (tests' failure messages). */
  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** The page's start-up in words (tests' failure messages). */
  get startState(): string {
    return `the page said ready ${this.starts.ready}×, got ${this.starts.shows} summaries, was reloaded ${this.starts.reloads}×`;
  }

  /** The file followed now. */
  get file(): vscode.Uri | undefined {
    return this.document?.uri;
  }

  /** Show Summary: opens (or reveals) the panel beside the editor for `uri`, else the active design. */
  async show(arg?: unknown): Promise<boolean> {
    const uri = arg instanceof vscode.Uri ? arg : this.activeDesign();
    if (!uri) {
      void vscode.window.showWarningMessage('Open a .nn file (in the graph or text editor) first, then run Show Summary.');
      return false;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    this.hookEditors();
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, true);
    this.follow(document);
    return true;
  }

  private activeDesign(): vscode.Uri | undefined {
    const s = this.editors.activeSession ?? (this.editors.allSessions.length === 1 ? this.editors.allSessions[0] : undefined);
    if (s) return s.document.uri;
    const doc = vscode.window.activeTextEditor?.document;
    return doc && doc.uri.path.endsWith('.nn') ? doc.uri : this.document?.uri;
  }

  private create(): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(SUMMARY_VIEW_TYPE, 'Summary', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true,
    });
    const load = (): void => {
      panel.webview.html = summaryHtml({ cspSource: panel.webview.cspSource, nonce: makeNonce(), script: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'summary.js')).toString() });
    };
    load();
    this.starts.ready = this.starts.shows = this.starts.reloads = 0;
    // A page that has not started after a while (its first load lost) is loaded again, once.
    const watchdog = setTimeout(() => {
      if (this.panel !== panel || this.starts.ready > 0) return;
      this.log.appendLine('The Summary view did not start within 8 s; loading it again.');
      this.starts.reloads++;
      load();
    }, 8000);
    const channel = new Channel<ToSummary, FromSummary>((m) => void panel.webview.postMessage(m));
    this.panel = panel;
    this.channel = channel;
    const subs = [panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw))];
    channel.on('ready', () => {
      this.starts.ready++;
      this.send();
    });
    channel.on('select', (m) => this.selectInGraph(m.id));
    panel.onDidDispose(() => {
      clearTimeout(watchdog);
      subs.forEach((d) => d.dispose());
      channel.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.channel = undefined;
        this.document = undefined;
        this.rendered = undefined;
      }
    });
  }

  /** Handles one raw message from the view (public so integration tests can drive the host exactly as the view does). */
  receive(raw: unknown): void {
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && Object.hasOwn(SummaryProbeMessage.variants, type)) {
      const probe = SummaryProbeMessage.validate(raw);
      if (probe instanceof MalformedMessage) this.log.appendLine(`Ignored a probe from the Summary view: ${probe.reason}.`);
      else {
        this.rendered = probe;
        this.renderedEmitter.fire(probe);
      }
      return;
    }
    const m = FromSummaryMessage.validate(raw);
    if (m instanceof MalformedMessage) this.log.appendLine(`Ignored a message from the Summary view: ${m.reason}.`);
    else this.channel?.receive(m);
  }

  private follow(document: vscode.TextDocument): void {
    this.document = document;
    if (this.panel) this.panel.title = `Summary: ${path.basename(document.uri.path)}`;
    this.send();
    const session = this.sessionsOf(document)[0];
    const ids = session && this.selections.get(session);
    if (ids) this.channel?.post({ type: 'select', ids });
  }

  private schedule(): void {
    // Coalesce bursts of edits (typing, a multi-edit undo) into one update.
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.send();
    }, 50);
  }

  /** Posts the summary of the followed document's current text. */
  private send(): void {
    const doc = this.document;
    if (!doc || !this.channel) return;
    const file = path.basename(doc.uri.path);
    const text = doc.getText();
    const limit = maxFileBytes(vscode.workspace.getConfiguration().get<number>(MAX_FILE_SIZE_SETTING, DEFAULT_MAX_FILE_SIZE_MB));
    if (Buffer.byteLength(text, 'utf8') > limit) {
      this.channel.post({ type: 'show', file, rows: [], totals: { total: 0, trainable: 0, nonTrainable: 0, flops: 0 },
        problem: `${file} is above the size limit (setting ${MAX_FILE_SIZE_SETTING}), so it is not summarised. Raise the limit to see it.` });
      return;
    }
    this.channel.post(summaryContent(text, file));
    this.starts.shows++;
  }

  private sessionsOf(document: vscode.TextDocument): GraphEditorSession[] {
    return this.editors.allSessions.filter((s) => s.document.uri.toString() === document.uri.toString());
  }

  /** A row was picked: every graph editor of the followed file selects that node. */
  private selectInGraph(id: string): void {
    if (!this.document) return;
    const sessions = this.sessionsOf(this.document);
    for (const s of sessions) s.channel.post({ type: 'selectNode', id });
    // A graph hidden behind another tab is brought forward (the Summary keeps the focus).
    if (sessions.length > 0 && !sessions.some((s) => s.panel.visible)) sessions[0].panel.reveal(sessions[0].panel.viewColumn, true);
  }

  /** Listens to each graph editor's selection, so the view highlights the graph's selected layers. */
  private hookEditors(): void {
    for (const s of this.editors.allSessions) {
      if (this.hooked.has(s)) continue;
      this.hooked.add(s);
      s.channel.on('selectionChanged', (m) => {
        this.selections.set(s, m.ids);
        if (this.document && s.document.uri.toString() === this.document.uri.toString()) this.channel?.post({ type: 'select', ids: m.ids });
      });
    }
  }

  /** Closes the panel and releases listeners. */
  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the Summary view and its command; extension.ts calls this once. */
export function registerSummary(context: vscode.ExtensionContext, editors: GraphEditorProvider, log: vscode.OutputChannel): SummaryView {
  const view = new SummaryView(context.extensionUri, editors, log);
  context.subscriptions.push(view, vscode.commands.registerCommand(SHOW_SUMMARY_COMMAND, (uri?: unknown) => view.show(uri)));
  return view;
}
