/**
 * Runs the integration suite inside the extension host of code-server's VS Code 1.100.3 (works
 * offline, unlike @vscode/test-electron). The packaged .vsix is installed with code-server's own
 * installer into a scratch folder and that installed copy is loaded as the development
 * extension, so what is tested is what users install. The workbench reports the mocha output
 * through `codeAutomationLog` and the result through `codeAutomationExit`.
 *
 *   node --import tsx test/integration/runCodeServer.ts      (after `npm run package -- --out out`)
 *
 * Exits with the suite's code: 0 when every test passed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, WORKSPACE_FILES, findVsix, installVsix, openBrowser, remoteUri, startCodeServer, workbenchUrl } from './codeServer';

const SUITE_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<number> {
  const vsix = findVsix();
  console.log(`integration: testing ${vsix}`);
  execFileSync(process.execPath, ['scripts/buildTests.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });

  // The installed copy becomes the development extension; the server's own extensions dir
  // stays empty so the extension is not loaded twice.
  const installHome = mkdtempSync(join(tmpdir(), 'nn-vsix-install-'));
  const installedExtensions = join(installHome, 'extensions');
  mkdirSync(installedExtensions);
  const server = await startCodeServer({ workspaceFiles: WORKSPACE_FILES });
  const browser = await openBrowser();
  try {
    const extensionPath = installVsix(vsix, installHome, installedExtensions);
    const t0 = Date.now();
    const exitCode = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the integration suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS);
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    await browser.page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      // The extension host's console and mocha's spec reporter arrive here, one call per line
      // with the console arguments as an array.
      const message = Array.isArray(args) ? args.map(String).join(' ') : String(args);
      // The marketplace lookup fails offline by design; its stack trace only misleads.
      if (message.includes('open-vsx.org')) return;
      if (level === 'error' || level === 'warn') process.stderr.write(`${message}\n`);
      else process.stdout.write(`${message}\n`);
    });
    await browser.page.goto(workbenchUrl(server, [
      ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
      ['extensionTestsPath', remoteUri(server, join(REPO_ROOT, 'out/test/integration'))],
    ]));
    const code = await exitCode;
    console.log(`integration: extension host exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (code !== 0 && process.env.NN_VERBOSE) console.error(server.log());
    return code;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(installHome, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`integration: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
