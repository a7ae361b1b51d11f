import { boundaryCommand } from './boundaryCommand';
import type { CliCommand } from './cliIo';
import { checkCommand } from './checkCommand';
import { exportCommand } from './exportCommand';
import { gradCommand } from './gradCommand';
import { predictCommand } from './predictCommand';
import { summaryCommand } from './summaryCommand';
import { trainCommand } from './trainCommand';

/** Every `nn` sub-command, in the order `nn --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [checkCommand, summaryCommand, trainCommand, predictCommand, boundaryCommand, gradCommand, exportCommand];
