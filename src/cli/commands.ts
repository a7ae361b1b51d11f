import type { CliCommand } from './cliIo';

/** Every `nn` sub-command, in the order `nn --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [];
