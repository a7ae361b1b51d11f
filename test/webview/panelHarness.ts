/**
 * Runs the real gradients-panel bundle (and, for the training view, the editor bundle) in
 * headless Chromium under the extension's HTML and CSP, with a stand-in for acquireVsCodeApi.
 * Typed arrays cross page.evaluate tagged and are revived as typed arrays in the page, as
 * postMessage would deliver them.
 */
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce } from '../../src/extension/webviewHtml';
import { panelHtml } from '../../src/extension/training/panelHtml';
import type { ToPanel, TrainingUpdate } from '../../src/protocol';
import { DARK, LIGHT } from './themes';

const root = resolve(__dirname, '../..');
const outDir = join(root, '.cache', 'panel-test');
let built: Promise<void> | undefined;

/** Builds panel.js as scripts/build.mjs does (once per process). */
export function buildPanel(): Promise<void> {
  built ??= (async () => {
    mkdirSync(outDir, { recursive: true });
    await esbuild.build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error', sourcemap: 'inline', entryPoints: { panel: join(root, 'webview/panel/main.ts') }, outdir: outDir, loader: { '.css': 'text' } });
  })();
  return built;
}

/** Replaces typed arrays by tagged plain objects (page.evaluate carries JSON-like values). */
export function encodeTyped(v: unknown): unknown {
  if (v instanceof Float32Array || v instanceof Uint8Array) return { __typed: v instanceof Float32Array ? 'f32' : 'u8', data: Array.from(v) };
  if (Array.isArray(v)) return v.map(encodeTyped);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeTyped(x)]));
  return v;
}

/** The page-side reviver, as a string to prepend to evaluated code. */
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** One panel page. */
export class PanelPage {
  /** Messages the panel posted to the host. */
  readonly posted: Array<{ type: string; [k: string]: unknown }> = [];
  readonly errors: string[] = [];
  constructor(readonly page: Page) {}

  /** Sends a host message to the panel. */
  async post(m: ToPanel): Promise<void> {
    await this.page.evaluate(`(() => { ${REVIVE} window.postMessage(__revive(${JSON.stringify(encodeTyped(m))}), '*'); })()`);
  }

  /** Sends training updates for the followed file. */
  async updates(file: string, updates: TrainingUpdate[]): Promise<void> {
    const msgs = updates.map((update) => encodeTyped({ type: 'update', file, update }));
    await this.page.evaluate(`(() => { ${REVIVE} ${JSON.stringify(msgs)}.forEach((m) => window.postMessage(__revive(m), '*')); })()`);
  }

  /** Waits for the next animation frames (the panel draws once per frame). */
  async frames(): Promise<void> {
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }
}

/** One Chromium and a static server for the panel's page. */
export class PanelBrowser {
  private browser?: Browser;
  private server?: Server;
  private origin = '';

  /** Builds, serves and launches. */
  async start(): Promise<void> {
    await buildPanel();
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(panelHtml({ cspSource: origin, nonce: makeNonce(), script: `${origin}/panel.js`, preludeScripts: [`${origin}/vscodeStub.js`] }));
      } else if (url.pathname === '/panel.js' || url.pathname === '/vscodeStub.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(url.pathname === '/panel.js' ? join(outDir, 'panel.js') : join(__dirname, 'vscodeStub.js')));
      } else if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(404);
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

  /** Opens the panel in a theme and waits for its `ready`. */
  async open(theme: 'light' | 'dark' = 'light', size = { width: 900, height: 620 }): Promise<PanelPage> {
    if (!this.browser) throw new Error('start() first');
    const page = await this.browser.newPage({ viewport: size });
    const p = new PanelPage(page);
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
