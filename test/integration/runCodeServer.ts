/**
 * Runs the integration suite inside the extension host of code-server's VS Code 1.100.3 (works
 * offline, unlike @vscode/test-electron). The packaged .vsix is installed with code-server's own
 * installer into a scratch folder and that installed copy is loaded as the development
 * extension, so what is tested is what users install. The workbench reports the mocha output
 * through `codeAutomationLog` and the result through `codeAutomationExit`.
 *
 *   node --import tsx test/integration/runCodeServer.ts      (after `npm run package -- --out out`)
 *   NN_INTEGRATION_SUITES=restricted …                         (only some suites: main, restricted)
 *   NN_INTEGRATION_GREP='Summary view' …                       (only the tests whose title matches)
 *
 * Two launches: the main suite (test/integration/*.test.ts) with Workspace Trust off, then the
 * Restricted Mode suite (test/integration/restricted/) with trust on and the folder untrusted;
 * after it, the runner checks the workbench's notifications for each refusal's warning.
 *
 * Exits 0 when every test of every suite passed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, WORKSPACE_FILES, findVsix, installVsix, openBrowser, remoteUri, startCodeServer, workbenchUrl, type BrowserSession } from './codeServer';
import { RESTRICTED_COMMANDS, refusalPattern } from './restricted/commands';

const SUITE_TIMEOUT_MS = 5 * 60_000;

/** One launch of code-server running one mocha suite in its extension host. */
interface Suite {
  name: string;
  /** The compiled suite (its index.js) under out/test/integration. */
  testsDir: string;
  /** Workspace Trust on, so the folder opens untrusted (Restricted Mode). */
  workspaceTrust: boolean;
  /** Checks of the workbench after the suite passed; returns what failed. */
  afterwards?: (page: Page) => Promise<string[]>;
}

const SUITES: Suite[] = [
  { name: 'main', testsDir: 'out/test/integration', workspaceTrust: false },
  // One more launch for every Restricted Mode test: trust on, the folder untrusted.
  { name: 'restricted', testsDir: 'out/test/integration/restricted', workspaceTrust: true, afterwards: restrictedWarnings },
];

/** Every notification message the workbench renders, collected as it appears (toasts come and go); page code, as text. */
const COLLECT_NOTIFICATIONS = `
  window.nnNotifications = new Set();
  new MutationObserver(() => {
    for (const e of document.querySelectorAll('.notification-list-item-message')) if (e.textContent) window.nnNotifications.add(e.textContent);
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

/** Each refused command showed a warning that names it and Restricted Mode. */
async function restrictedWarnings(page: Page): Promise<string[]> {
  const seen = (await page.evaluate('[...window.nnNotifications]')) as string[];
  const missing = RESTRICTED_COMMANDS.filter((c) => !seen.some((m) => refusalPattern(c).test(m)));
  console.log(`integration (restricted): ${RESTRICTED_COMMANDS.length - missing.length} of ${RESTRICTED_COMMANDS.length} refusals showed their warning`);
  return missing.map((c) => `no warning says why ${c} is refused in Restricted Mode; notifications seen: ${JSON.stringify(seen)}`);
}

async function runSuite(suite: Suite, extensionPath: string, browser: BrowserSession): Promise<number> {
  const server = await startCodeServer({ workspaceFiles: WORKSPACE_FILES, workspaceTrust: suite.workspaceTrust });
  const page = await browser.context.newPage();
  try {
    const t0 = Date.now();
    const exitCode = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the ${suite.name} integration suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS);
      void page.exposeFunction('codeAutomationExit', (code: number) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      // The extension host's console and mocha's spec reporter arrive here, one call per line
      // with the console arguments as an array.
      const message = Array.isArray(args) ? args.map(String).join(' ') : String(args);
      // The marketplace lookup fails offline by design; its stack trace only misleads.
      if (message.includes('open-vsx.org')) return;
      if (level === 'error' || level === 'warn') process.stderr.write(`${message}\n`);
      else process.stdout.write(`${message}\n`);
    });
    if (suite.afterwards) await page.addInitScript(COLLECT_NOTIFICATIONS);
    await page.goto(workbenchUrl(server, [
      ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
      ['extensionTestsPath', remoteUri(server, join(REPO_ROOT, suite.testsDir))],
    ]));
    let code = await exitCode;
    console.log(`integration (${suite.name}): extension host exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (code === 0 && suite.afterwards) {
      const failures = await suite.afterwards(page);
      for (const f of failures) console.error(`integration (${suite.name}): ${f}`);
      if (failures.length > 0) code = 1;
    }
    if (code !== 0 && process.env.NN_VERBOSE) console.error(server.log());
    return code;
  } finally {
    await page.close();
    await server.stop();
  }
}

async function main(): Promise<number> {
  const vsix = findVsix();
  console.log(`integration: testing ${vsix}`);
  execFileSync(process.execPath, ['scripts/buildTests.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const only = process.env.NN_INTEGRATION_SUITES?.split(',').map((s) => s.trim());
  const suites = only ? SUITES.filter((s) => only.includes(s.name)) : SUITES;

  // The installed copy becomes the development extension; the server's own extensions dir
  // stays empty so the extension is not loaded twice.
  const installHome = mkdtempSync(join(tmpdir(), 'nn-vsix-install-'));
  const installedExtensions = join(installHome, 'extensions');
  mkdirSync(installedExtensions);
  const browser = await openBrowser();
  try {
    const extensionPath = installVsix(vsix, installHome, installedExtensions);
    let worst = 0;
    for (const suite of suites) worst = Math.max(worst, await runSuite(suite, extensionPath, browser));
    return worst;
  } finally {
    await browser.close();
    rmSync(installHome, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`integration: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
