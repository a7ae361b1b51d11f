/** Reading a .nn file from the command line and checking it: every CLI command that takes FILE starts here. */
import { checkNetwork, formatDiagnostic, type NetworkAnalysis, type NetworkDoc } from '../model';
import { CliFailure } from './cliFailure';
import type { CliIo } from './cliIo';
import { readDesignText } from './readDesignText';

/** A design read from disk and checked. */
export interface LoadedDesign {
  file: string;
  /** The path as the user wrote it (for messages). */
  shown: string;
  doc: NetworkDoc;
  analysis: NetworkAnalysis;
}

/** Reads and checks a .nn file; errors are printed as file:line:col diagnostics. */
export function loadDesign(arg: string | undefined, io: CliIo): LoadedDesign {
  if (!arg) throw new CliFailure('nn: missing FILE (a .nn design). See nn help.', 2);
  const read = readDesignText(arg, io.cwd);
  if (!read.ok) throw new CliFailure(`nn: ${read.message}`);
  const { file, text } = read;
  const { parsed, diagnostics, analysis } = checkNetwork(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.doc || !analysis) {
    throw new CliFailure(`${errors.map((d) => formatDiagnostic(arg, d)).join('\n')}\nnn: ${arg} has ${errors.length} error(s); fix them first (nn check ${arg}).`);
  }
  return { file, shown: arg, doc: parsed.doc, analysis };
}
