/**
 * What the Chromium harnesses of the webviews share: a bundle built once per process with the
 * options scripts/build.mjs uses, a local server for a page and its scripts, one headless
 * Chromium, and pages that collect what the view posts to the host and what broke in them.
 */
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DARK, LIGHT } from './themes';

const root = resolve(__dirname, '../..');
const builds = new Map<string, Promise<void>>();

/** Builds `<name>.js` from `entry` (relative to the repository) into .cache/<name>-test, once per process. */
function buildBundle(name: string, entry: string): Promise<string> {
  const outDir = join(root, '.cache', `${name}-test`);
  let built = builds.get(name);
  if (!built) {
    built = (async () => {
      mkdirSync(outDir, { recursive: true });
      await esbuild.build({ bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error', sourcemap: 'inline', entryPoints: { [name]: join(root, entry) }, outdir: outDir, loader: { '.css': 'text' } });
    })();
    builds.set(name, built);
  }
  return built.then(() => join(outDir, `${name}.js`));
}

/** Headless Chromium from Debian's package (or NN_CHROMIUM), started as the tests need it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.NN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page script that puts `vars` (a theme's CSS variables) in place before the view's script runs. */
export function themeScript(vars: Record<string, string>): string {
  return `
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(${JSON.stringify(`:root { ${Object.entries(vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }`)});
      document.adoptedStyleSheets = [sheet];`;
}

/** A page of a webview under test: what it posted to the host, and its errors. */
export interface ViewPage {
  readonly page: Page;
  readonly posted: Array<{ type: string; [k: string]: unknown }>;
  readonly errors: string[];
}

/** How to serve one webview: its bundle and the extension's HTML for it. */
export interface BundleSpec<P extends ViewPage> {
  /** The bundle's name: the script is served as /<name>.js. */
  name: string;
  /** Its entry point, relative to the repository. */
  entry: string;
  /** The extension's HTML for the page, given the server's origin, a nonce-free CSP source and the script URLs. */
  html: (origin: string, script: string, prelude: string) => string;
  makePage: (page: Page) => P;
  size: { width: number; height: number };
}

/** One Chromium and a static server for one webview's page. */
export class BundleBrowser<P extends ViewPage> {
  private browser?: Browser;
  private server?: Server;
  private origin = '';
  constructor(private readonly spec: BundleSpec<P>) {}

  /** Builds, serves and launches. */
  async start(): Promise<void> {
    const bundle = await buildBundle(this.spec.name, this.spec.entry);
    const stub = join(__dirname, 'vscodeStub.js');
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(this.spec.html(origin, `${origin}/${this.spec.name}.js`, `${origin}/vscodeStub.js`));
      } else if (url.pathname === `/${this.spec.name}.js` || url.pathname === '/vscodeStub.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(url.pathname === '/vscodeStub.js' ? stub : bundle));
      } else {
        res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
        res.end();
      }
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.browser = await launchChromium();
  }

  /** Opens the page in a theme and waits (up to 2 s) for its `ready`. */
  async open(theme: 'light' | 'dark' = 'light', size = this.spec.size): Promise<P> {
    if (!this.browser) throw new Error('start() first');
    const page = await this.browser.newPage({ viewport: size });
    const p = this.spec.makePage(page);
    page.on('console', (m) => { if (m.type() === 'error') p.errors.push(m.text()); });
    page.on('pageerror', (e) => p.errors.push(e.message));
    await page.exposeFunction('__toHost', (json: string) => { p.posted.push(JSON.parse(json)); });
    await page.addInitScript({ content: themeScript(theme === 'dark' ? DARK : LIGHT) });
    await page.goto(this.origin + '/');
    for (let i = 0; i < 100 && !p.posted.some((m) => m.type === 'ready'); i++) await page.waitForTimeout(20);
    return p;
  }

  /** Closes Chromium and the server. */
  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
