/**
 * Runs the real Summary view bundle in headless Chromium under the extension's HTML and CSP, with
 * a stand-in for acquireVsCodeApi and VS Code-like theme variables; the host's messages are built
 * by the host's own code (summaryContent) from the examples' text.
 */
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce } from '../../src/extension/webviewHtml';
import { summaryHtml } from '../../src/extension/summary/summaryHtml';
import type { ToSummary } from '../../src/protocol';
import { DARK, LIGHT } from './themes';

const root = resolve(__dirname, '../..');
const outDir = join(root, '.cache', 'summary-test');
let built: Promise<void> | undefined;

/** Builds summary.js as scripts/build.mjs does (once per process). */
function buildSummary(): Promise<void> {
  built ??= (async () => {
    mkdirSync(outDir, { recursive: true });
    await esbuild.build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error', sourcemap: 'inline', entryPoints: { summary: join(root, 'webview/summary/main.ts') }, outdir: outDir, loader: { '.css': 'text' } });
  })();
  return built;
}

/** One Summary page. */
export class SummaryPage {
  /** Messages the view posted to the host (probes included). */
  readonly posted: Array<{ type: string; [k: string]: unknown }> = [];
  readonly errors: string[] = [];
  constructor(readonly page: Page) {}

  /** Sends a host message to the view. */
  async post(m: ToSummary | Record<string, unknown>): Promise<void> {
    await this.page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  }

  /** The latest probe, once one satisfies `ok`. */
  async probe(ok: (p: { layers: string[]; sort: string; selected: string[]; problem: boolean; file: string }) => boolean = () => true): Promise<{ layers: string[]; sort: string; selected: string[]; problem: boolean; file: string }> {
    for (let i = 0; i < 200; i++) {
      const last = [...this.posted].reverse().find((m) => m.type === 'summaryRendered') as unknown as { layers: string[]; sort: string; selected: string[]; problem: boolean; file: string } | undefined;
      if (last && ok(last)) return last;
      await this.page.waitForTimeout(20);
    }
    throw new Error(`no matching summaryRendered probe; posted: ${JSON.stringify(this.posted.slice(-3))}`);
  }
}

/** One Chromium and a static server for the view's page. */
export class SummaryBrowser {
  private browser?: Browser;
  private server?: Server;
  private origin = '';

  /** Builds, serves and launches. */
  async start(): Promise<void> {
    await buildSummary();
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(summaryHtml({ cspSource: origin, nonce: makeNonce(), script: `${origin}/summary.js`, preludeScripts: [`${origin}/vscodeStub.js`] }));
      } else if (url.pathname === '/summary.js' || url.pathname === '/vscodeStub.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(url.pathname === '/summary.js' ? join(outDir, 'summary.js') : join(__dirname, 'vscodeStub.js')));
      } else {
        res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
        res.end();
      }
    });
    await new Promise<void>((r) => (this.server as Server).listen(0, '127.0.0.1', r));
    this.origin = `http://127.0.0.1:${((this.server as Server).address() as AddressInfo).port}`;
    this.browser = await chromium.launch({
      executablePath: process.env.NN_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }

  /** Opens the view in a theme and waits for its `ready`. */
  async open(theme: 'light' | 'dark' = 'light', size = { width: 1000, height: 700 }): Promise<SummaryPage> {
    if (!this.browser) throw new Error('start() first');
    const page = await this.browser.newPage({ viewport: size });
    const p = new SummaryPage(page);
    page.on('console', (m) => { if (m.type() === 'error') p.errors.push(m.text()); });
    page.on('pageerror', (e) => p.errors.push(e.message));
    await page.exposeFunction('__toHost', (json: string) => { p.posted.push(JSON.parse(json)); });
    const vars = theme === 'dark' ? DARK : LIGHT;
    await page.addInitScript({ content: `
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(${JSON.stringify(`:root { ${Object.entries(vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }`)});
      document.adoptedStyleSheets = [sheet];` });
    await page.goto(this.origin + '/');
    for (let i = 0; i < 100 && !p.posted.some((m) => m.type === 'ready'); i++) await page.waitForTimeout(20);
    return p;
  }

  /** Closes everything. */
  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
