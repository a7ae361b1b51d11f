import type { CliCommand, CliIo } from './cliIo';
import { commands } from './commands';
import { INTERNAL_ERROR_EXIT, internalErrorMessage } from './internalError';
import { DEFAULT_MAX_FILE_MB, MAX_FILE_MB_ENV } from './readDesignText';

/**
 * Dispatches `nn <command> args…`; returns the exit code. Never rejects: a failure no message was
 * written for (a bug) becomes an "internal error" message saying what to report, never the raw
 * JavaScript error text.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    io.stderr(`${internalErrorMessage(argv[0] ?? '', argv, e)}\n`);
    return INTERNAL_ERROR_EXIT;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? rest[0] : undefined;
    const cmd = target ? commands.find((c) => c.name === target) : undefined;
    if (target && !cmd) {
      io.stderr(`nn: unknown command '${target}'. Run 'nn --help' for the list.\n`);
      return 2;
    }
    io.stdout(cmd ? cmd.usage : usage(commands));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`nn: unknown command '${name}'. Run 'nn --help' for the list.\n`);
    return 2;
  }
  return cmd.run(rest, io);
}

function usage(list: readonly CliCommand[]): string {
  const width = Math.max(...list.map((c) => c.name.length), 4);
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Neural Canvas command line\n\nUsage: nn <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'nn help <command>' for a command's options.\n\nDesign files must be regular files of at most ${DEFAULT_MAX_FILE_MB} MB; set ${MAX_FILE_MB_ENV}=<megabytes> to raise the limit.\n`;
}

function version(): string {
  // Injected by esbuild's define in bundles; falls back for tests run from source.
  return typeof NN_VERSION === 'string' ? NN_VERSION : 'dev';
}

declare const NN_VERSION: string | undefined;
