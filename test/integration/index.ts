/**
 * Entry point of the integration suite inside the VS Code extension host (what
 * `--extensionTestsPath` / the workbench's `extensionTestsPath` loads): runs every `*.test.js`
 * beside it with mocha and rejects when a test fails, which makes the runner exit non-zero.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

/** Runs the suite; resolves when every test passed, rejects with the failure count otherwise. */
export async function run(): Promise<void> {
  // mocha 12 is an ES module; a dynamic import works from this CommonJS bundle.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // NN_INTEGRATION_GREP=<regexp>: only the tests whose full title matches (one test while developing it).
  if (process.env.NN_INTEGRATION_GREP) mocha.grep(new RegExp(process.env.NN_INTEGRATION_GREP));
  // Files run in name order, so `activation.test.js` sees the extension before anything opens a .nn.
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(join(__dirname, f));
  await mocha.loadFilesAsync();
  // The workbench forwards console arguments joined by commas, not printf-formatted, so
  // mocha's reporter lines ("%d passing") would arrive garbled: format them here.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
