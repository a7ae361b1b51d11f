/** Where a CLI command writes, so tests can run commands in-process and read their output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress bars); false for pipes and tests. */
  isTTY: boolean;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/** One sub-command of `nn`. Returns the process exit code (0 ok, 1 user-facing failure, 2 usage, 3 internal error: a bug). */
export interface CliCommand {
  name: string;
  /** One line for `nn --help`. */
  summary: string;
  /** Full usage text for `nn help <name>`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
