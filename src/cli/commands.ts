import { boundaryCommand } from './boundary';
import type { CliCommand } from './cliIo';
import { checkCommand } from './check';
import { exportCommand } from './export';
import { gradCommand } from './grad';
import { predictCommand } from './predict';
import { summaryCommand } from './summary';
import { trainCommand } from './train';

/** Every `nn` sub-command, in the order `nn --help` lists them. Add new commands here. */
export const commands: CliCommand[] = [checkCommand, summaryCommand, trainCommand, predictCommand, boundaryCommand, gradCommand, exportCommand];
