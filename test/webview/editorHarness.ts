/**
 * Runs the real editor webview bundle in headless Debian Chromium (playwright-core), served with
 * the same HTML and CSP the extension uses, with a stand-in for acquireVsCodeApi. A fake host in
 * Node plays the extension's part with the real pieces: the protocol's checks, the model core and
 * the intent → edit mapping, so an intent round-trips to a new snapshot exactly as in VS Code.
 */
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { documentSnapshot } from '../../src/extension/documentSnapshot';
import { replacementForIntent } from '../../src/extension/intentEdits';
import { editorHtml, makeNonce } from '../../src/extension/webviewHtml';
import { type EditorRendered, type EditIntent, type FromEditor, FromEditorMessage, isProbe, type JsonValue, MalformedMessage, ProbeMessage, type ToEditor } from '../../src/protocol';
import { launchChromium, themeScript } from './bundleBrowser';
import { DARK, HIGH_CONTRAST, LIGHT } from './themes';

const root = resolve(__dirname, '../..');
const outDir = join(root, '.cache', 'webview-test');
let built: Promise<void> | undefined;

/** Builds the two webview bundles the way scripts/build.mjs does (once per test process). */
export function buildWebview(): Promise<void> {
  built ??= (async () => {
    mkdirSync(join(outDir, 'codicons'), { recursive: true });
    // As `npm run package` ships them (--production: minified, no source maps), so timings are real.
    const common = { bundle: true, platform: 'browser' as const, format: 'iife' as const, target: 'es2022', logLevel: 'error' as const, minify: true, legalComments: 'none' as const };
    await esbuild.build({ ...common, entryPoints: { editor: join(root, 'webview/editor/main.ts') }, outdir: outDir, loader: { '.css': 'text' } });
    await esbuild.build({ ...common, entryPoints: { layoutWorker: join(root, 'webview/editor/layoutWorker.ts') }, outdir: outDir });
    for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', f), join(outDir, 'codicons', f));
  })();
  return built;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** Serves the page and the bundles on 127.0.0.1. */
async function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(editorHtml({
        cspSource: origin, nonce: makeNonce(), script: `${origin}/dist/editor.js`, layoutWorker: `${origin}/dist/layoutWorker.js`,
        codicons: `${origin}/dist/codicons/codicon.css`, preludeScripts: [`${origin}/vscodeStub.js`],
      }));
      return;
    }
    const file = url.pathname === '/vscodeStub.js' ? join(__dirname, 'vscodeStub.js') : url.pathname.startsWith('/dist/') ? join(outDir, url.pathname.slice(6)) : '';
    try {
      if (!file || !resolve(file).startsWith(resolve(file === join(__dirname, 'vscodeStub.js') ? __dirname : outDir))) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Plays the extension host for one editor page. */
export class FakeHost {
  /** Every valid message the view sent. */
  readonly received: FromEditor[] = [];
  /** Every probe the view sent (what it drew, for tests). */
  readonly probes: EditorRendered[] = [];
  /** Reasons for messages the validator rejected. */
  readonly rejected: string[] = [];
  /** Console errors and page errors seen. */
  readonly errors: string[] = [];
  version = 1;
  /** What the test answers the Predict pane's messages with (the host's part), by message type. */
  readonly handlers: { refreshPredict?: (m: Extract<FromEditor, { type: 'refreshPredict' }>) => unknown; predictRow?: (m: Extract<FromEditor, { type: 'predictRow' }>) => unknown } = {};

  constructor(readonly page: Page, public text: string, readonly fileName: string) {}

  /** Sends a message to the view as the host would. */
  async post(m: ToEditor): Promise<void> {
    await this.page.evaluate((msg) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  }

  /** Sends the current text's snapshot. */
  async sendSnapshot(): Promise<void> {
    await this.post({ type: 'document', snapshot: documentSnapshot(this.text, this.version, this.fileName).snapshot });
  }

  /** An edit from outside the graph (a text editor, git): new text, new version, re-render. */
  async setText(text: string): Promise<void> {
    this.text = text;
    this.version++;
    await this.sendSnapshot();
  }

  /** Handles one raw message from the page. */
  async receive(json: string): Promise<void> {
    const raw: unknown = JSON.parse(json);
    const m = isProbe(raw) ? ProbeMessage.validate(raw) : FromEditorMessage.validate(raw);
    if (m instanceof MalformedMessage) {
      this.rejected.push(m.reason);
      return;
    }
    if (m.type === 'editorRendered') this.probes.push(m);
    if (m.type === 'editorRendered' || m.type === 'panelRendered' || m.type === 'trainingRendered' || m.type === 'predictRendered' || m.type === 'neuronsRendered') return;
    this.received.push(m);
    if (m.type === 'ready') return this.sendSnapshot();
    if (m.type === 'openTextEditor' || m.type === 'response' || m.type === 'selectionChanged' || m.type === 'pickImage' || m.type === 'previewCsv' || m.type === 'addTrainingData' || m.type === 'setNeuronHeatmaps') return;
    if (m.type === 'refreshPredict') return void (await this.handlers.refreshPredict?.(m));
    if (m.type === 'predictRow') {
      try {
        const value = await (this.handlers.predictRow ?? (() => { throw new Error('this test host does not predict'); }))(m);
        await this.post({ type: 'response', requestId: m.requestId, ok: true, value: value as JsonValue });
      } catch (e) {
        await this.post({ type: 'response', requestId: m.requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    const intent: EditIntent = m;
    try {
      const r = replacementForIntent(this.text, intent);
      if (r) {
        this.text = this.text.slice(0, r.offset) + r.content + this.text.slice(r.offset + r.length);
        this.version++;
      }
      await this.post({ type: 'response', requestId: intent.requestId, ok: true, value: { changed: !!r } });
      if (r) await this.sendSnapshot();
    } catch (e) {
      await this.post({ type: 'response', requestId: intent.requestId, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Waits until the view has drawn the current version (layout included when it changed). */
  async rendered(): Promise<void> {
    await this.page.waitForSelector(`[data-rendered-version="${this.version}"]`, { state: 'attached', timeout: 15_000 });
  }

  /** The webview state the page last saved (what VS Code hands back when the webview is reloaded). */
  async webviewState(): Promise<unknown> {
    return this.page.evaluate('window.__ncState()');
  }

  /** The intents received of one type. */
  intents<T extends FromEditor['type']>(type: T): Extract<FromEditor, { type: T }>[] {
    return this.received.filter((m): m is Extract<FromEditor, { type: T }> => m.type === type);
  }
}

/** Options of one editor page. */
export interface OpenOptions {
  theme?: 'light' | 'dark' | 'high-contrast';
  width?: number;
  height?: number;
  fileName?: string;
  /** The webview state VS Code kept from an earlier life of this webview (getState() returns it). */
  state?: unknown;
}

/** One Chromium for a test file. */
export class EditorBrowser {
  private browser?: Browser;
  private server?: Server;
  private origin = '';
  /** The page the last open() made and no check has taken yet (editorSuite's afterEach). */
  private lastOpened?: FakeHost;

  /** Builds the bundles, starts the server and Chromium. */
  async start(): Promise<void> {
    await buildWebview();
    const s = await serve();
    this.server = s.server;
    this.origin = s.origin;
    this.browser = await launchChromium();
  }

  /** Opens the editor on `text` and waits for the first render. */
  async open(text: string, opts: OpenOptions = {}): Promise<FakeHost> {
    if (!this.browser) throw new Error('EditorBrowser.start() first');
    const page = await this.browser.newPage({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 700 } });
    const host = new FakeHost(page, text, opts.fileName ?? 'test.nn');
    page.on('console', (m) => { if (m.type() === 'error') host.errors.push(m.text()); });
    page.on('pageerror', (e) => host.errors.push(e.message));
    await page.exposeFunction('__toHost', (json: string) => host.receive(json));
    const theme = opts.theme === 'dark' ? DARK : opts.theme === 'high-contrast' ? HIGH_CONTRAST : LIGHT;
    // Like the workbench, theme variables are in place before the editor's script runs.
    if (opts.state !== undefined) await page.addInitScript({ content: `window.__ncInitialState = ${JSON.stringify(opts.state)};` });
    await page.addInitScript({ content: `${themeScript(theme)}
      document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(opts.theme === 'dark' ? 'vscode-dark' : opts.theme === 'high-contrast' ? 'vscode-high-contrast' : 'vscode-light')}));
    ` });
    this.lastOpened = host;
    await page.goto(this.origin + '/');
    await host.rendered();
    return host;
  }

  /** The page the last open() made, once: editorSuite's afterEach checks and closes it. */
  takeLastOpened(): FakeHost | undefined {
    const host = this.lastOpened;
    this.lastOpened = undefined;
    return host;
  }

  /** Closes Chromium and the server. */
  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/**
 * The Mocha set-up the editor's Chromium suites share; call it inside `describe`. One browser
 * for the suite; after each test, the page the test opened last is checked — every message the
 * view sent passed the host's validation, and nothing broke in the page — and closed.
 */
export function editorSuite(): EditorBrowser {
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());
  afterEach(async () => {
    const host = browser.takeLastOpened();
    if (!host) return;
    assert.deepEqual(host.rejected, []);
    assert.deepEqual(host.errors.filter((e) => !/favicon|404/.test(e)), []);
    await host.page.close();
  });
  return browser;
}

/** Reads an example or fixture file relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
