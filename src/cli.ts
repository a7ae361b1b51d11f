/**
 * `nn`, the command-line front door: the same model and engine the extension uses, headless.
 * Each sub-command lives in src/cli/<name>Command.ts and exports a `run(args, io)` function.
 */
import { runCli } from './cli/runCli';

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
}).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`nn: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
