import type { CliCommand } from './cliIo';
import { gradCommand } from './grad';
import { predictCommand } from './predict';
import { trainCommand } from './train';

/** Every `nn` sub-command, in the order `nn --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [trainCommand, predictCommand, gradCommand];
