/**
 * Runs the same integration suite in desktop VS Code through @vscode/test-electron, for
 * machines that can download VS Code (contributors' laptops, CI elsewhere). Like the
 * code-server runner, it installs the packaged .vsix with VS Code's own CLI and loads that
 * installed copy, so what is tested is what users install.
 *
 *   node --import tsx test/integration/runTestElectron.ts   (after `npm run package -- --out out`)
 *   NN_VSCODE_VERSION=1.90.0 …                             (default 1.100.3, the engine's newest)
 *
 * Then the Restricted Mode suite (test/integration/restricted/) in a second window with Workspace
 * Trust on and the folder untrusted. (The code-server runner also checks each refusal's warning
 * in the workbench; desktop VS Code gives no such hook, so here only the refusals are checked.)
 *
 * On Linux without a display, run it under `xvfb-run -a`.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { REPO_ROOT, WORKSPACE_FILES, findVsix } from './codeServer';

async function main(): Promise<void> {
  const vsix = findVsix();
  execFileSync(process.execPath, ['scripts/buildTests.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.NN_VSCODE_VERSION ?? '1.100.3');

  const home = mkdtempSync(join(tmpdir(), 'nn-test-electron-'));
  try {
    const installed = join(home, 'installed');
    const empty = join(home, 'extensions');
    const workspace = join(home, 'workspace');
    for (const d of [installed, empty, workspace]) mkdirSync(d);
    for (const [src, name] of WORKSPACE_FILES) cpSync(src, join(workspace, name), { recursive: true });

    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    const install = spawnSync(cli, [...cliArgs, '--extensions-dir', installed, '--install-extension', vsix], { encoding: 'utf8', stdio: 'inherit' });
    if (install.status !== 0) throw new Error(`installing ${vsix} failed (exit ${install.status})`);
    const extension = readdirSync(installed).find((d) => d.startsWith('neural-canvas.neural-canvas-'));
    if (!extension) throw new Error(`installing ${vsix} left no neural-canvas folder in ${installed}`);

    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: join(installed, extension),
      extensionTestsPath: join(REPO_ROOT, 'out/test/integration'),
      launchArgs: [workspace, '--extensions-dir', empty, '--user-data-dir', join(home, 'user-data'),
        '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });

    // The Restricted Mode suite: Workspace Trust on, a fresh profile that trusts nothing.
    const restrictedData = join(home, 'user-data-restricted');
    mkdirSync(join(restrictedData, 'User'), { recursive: true });
    writeFileSync(join(restrictedData, 'User', 'settings.json'), JSON.stringify({
      'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false,
    }));
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: join(installed, extension),
      extensionTestsPath: join(REPO_ROOT, 'out/test/integration/restricted'),
      launchArgs: [workspace, '--extensions-dir', empty, '--user-data-dir', restrictedData, '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`integration (test-electron): ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
