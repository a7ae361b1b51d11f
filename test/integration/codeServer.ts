/**
 * Runs a real VS Code offline: code-server 4.100.3 (VS Code 1.100.3) on loopback, opened in
 * Debian's Chromium through playwright-core, everything it writes kept in a temporary folder.
 * Used by the integration runner (mocha in the extension host) and by the e2e suite.
 * scripts/installCodeServer.sh installs code-server once; nothing here downloads anything.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The code-server version whose VS Code matches `engines.vscode` (1.100). */
export const CODE_SERVER_VERSION = '4.100.3';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM_PATH = process.env.NN_CHROMIUM ?? '/usr/bin/chromium';

/** The repository root (this file lives in test/integration/). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * What the integration suite's workspace holds (a scratch copy, so tests may edit freely):
 * the fixtures at its root and the shipped examples under `examples/`.
 */
export const WORKSPACE_FILES: [string, string][] = [
  [join(REPO_ROOT, 'test/integration/fixtures/xor.nn'), 'xor.nn'],
  [join(REPO_ROOT, 'examples'), 'examples'],
];

/** Where scripts/installCodeServer.sh put code-server. */
export function codeServerDir(): string {
  const cache = process.env.NN_CACHE_DIR ?? join(homedir(), '.cache', 'neural-canvas');
  return join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

/** Fails with what is missing and the command that installs it. */
export function checkPrerequisites(): void {
  const entry = join(codeServerDir(), 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(join(codeServerDir(), '.complete')) || !existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed in ${codeServerDir()}.\n` +
      `  Install it once (2-3 minutes, needs the npm registry): bash scripts/installCodeServer.sh`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}.\n  Install it: apt-get install -y chromium (or set NN_CHROMIUM to a Chromium binary)`);
  }
}

/** The packaged extension to test: NN_VSIX, else the .vsix in out/ built for this platform. */
export function findVsix(): string {
  if (process.env.NN_VSIX) return resolve(process.env.NN_VSIX);
  const dir = join(REPO_ROOT, 'out');
  // `npm run package -- --target all` leaves one .vsix per platform; only ours can load here.
  const target = `${process.platform}-${process.arch}`;
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.vsix') && f.includes(`-${target}-`)).sort() : [];
  if (found.length === 0) throw new Error(`no ${target} .vsix in ${dir}: run \`npm run package\` first (or set NN_VSIX)`);
  return join(dir, found[found.length - 1]);
}

function codeServerEntry(): string {
  return join(codeServerDir(), 'node_modules/code-server/out/node/entry.js');
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/** A running code-server with its private folders. */
export interface CodeServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Scratch folder holding user data, extensions, config and the workspace. */
  home: string;
  /** The workspace folder opened in the workbench. */
  workspace: string;
  /** Where the .vsix was installed (empty when installation was not asked for). */
  extensionsDir: string;
  /** The server's output so far (printed when something fails). */
  log: () => string;
  stop: () => Promise<void>;
}

/** Options for {@link startCodeServer}. */
export interface StartOptions {
  /** A .vsix to install into the server's extensions dir, as a user would. */
  installVsix?: string;
  /** Files to copy into the workspace folder: [source path, name in workspace]. */
  workspaceFiles?: [string, string][];
  /**
   * Turn Workspace Trust on (it is off by default): the workspace folder is then untrusted, so
   * the window runs in Restricted Mode (no trust prompt is shown; nothing trusts it).
   */
  workspaceTrust?: boolean;
}

/** Environment that keeps code-server's writes inside `home`. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
    XDG_DATA_HOME: join(home, 'xdg-data'),
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
    TMPDIR: join(home, 'tmp'),
  };
}

/** Installs a .vsix into `extensionsDir` with code-server's own installer (what users do). */
export function installVsix(vsix: string, home: string, extensionsDir: string): string {
  const env = isolatedEnv(home);
  execFileSync(process.execPath, [codeServerEntry(), '--user-data-dir', join(home, 'user-data'),
    '--extensions-dir', extensionsDir, '--install-extension', vsix], { env, stdio: 'pipe', timeout: 120_000 });
  const installed = readdirSync(extensionsDir).find((d) => d.startsWith('neural-canvas.neural-canvas-'));
  if (!installed) throw new Error(`installing ${vsix} left no neural-canvas folder in ${extensionsDir}`);
  return join(extensionsDir, installed);
}

/** Starts code-server on a free loopback port and waits until it answers. */
export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  checkPrerequisites();
  const home = mkdtempSync(join(tmpdir(), 'nn-code-server-'));
  const workspace = join(home, 'workspace');
  const extensionsDir = join(home, 'extensions');
  const userData = join(home, 'user-data');
  for (const d of [workspace, extensionsDir, join(userData, 'User'), join(home, 'tmp'), join(home, 'xdg-config'), join(home, 'xdg-data'), join(home, 'xdg-cache')]) {
    mkdirSync(d, { recursive: true });
  }
  for (const [src, name] of opts.workspaceFiles ?? []) cpSync(src, join(workspace, name), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'git.enabled': false,
    'security.workspace.trust.enabled': opts.workspaceTrust === true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'files.hotExit': 'off',
    'window.restoreWindows': 'none',
  }, null, 2));
  if (opts.installVsix) installVsix(opts.installVsix, home, extensionsDir);

  const port = await freePort();
  const config = join(home, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [codeServerEntry(),
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened',
    '--config', config, '--user-data-dir', userData, '--extensions-dir', extensionsDir, workspace],
  { env: isolatedEnv(home), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 300));
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!process.env.NN_KEEP_TMP) rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`code-server exited with ${child.exitCode} before answering:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, home, workspace, extensionsDir, log: () => output, stop };
}

/** A Chromium page (and its browser) for one scenario. */
export interface BrowserSession { browser: Browser; context: BrowserContext; page: Page; close: () => Promise<void> }

/** Launches Debian's Chromium headless with flags that keep it quiet and offline. */
export async function openBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  return { browser, context, page, close: () => browser.close() };
}

/** The workbench URL for a folder, with optional payload entries (extension development/tests paths). */
export function workbenchUrl(server: CodeServer, payload: [string, string][] = []): string {
  const params = new URLSearchParams({ folder: server.workspace });
  if (payload.length) params.set('payload', JSON.stringify(payload));
  return `${server.url}/?${params.toString()}`;
}

/** A path on the server as the workbench names it (for payload entries). */
export function remoteUri(server: CodeServer, absPath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}
