/** `nn check FILE... [--json]`: every diagnostic of each design as file:line:col; exit 1 on any error. */
import { checkNetwork, escapeControls, escapeControlsInJson, formatDiagnostic, type Diagnostic } from '../model';
import type { CliCommand, CliIo } from './cliIo';
import { parseFileArgs } from './parseFileArgs';
import { readDesignFile } from './readDesignFile';
import { DEFAULT_MAX_FILE_MB, MAX_FILE_MB_ENV } from './readDesignText';

/** A diagnostic in the `--json` output: 1-based line/column like the text output. */
function jsonDiagnostic(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity, code: d.code, message: d.message,
    line: d.range.start.line + 1, column: d.range.start.character + 1,
    endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
    ...(d.nodeId !== undefined ? { nodeId: d.nodeId } : {}),
  };
}

const USAGE = `Usage: nn check FILE... [--json]

Checks .nn designs: JSON syntax, the nn/1 format, the graph (cycles, unreachable nodes, shapes,
inline weight shapes) and training settings. Prints one line per problem:

  file:line:col: severity: message [code]

Exit status: 1 when any file has an error (or cannot be read), 0 otherwise (warnings allowed).
  --json   print [{ "file", "errors", "warnings", "diagnostics": [ … ] }] instead

Only regular files are read (not pipes, devices or folders), up to ${DEFAULT_MAX_FILE_MB} MB each;
set ${MAX_FILE_MB_ENV} (megabytes) to raise the limit.
`;

/** The `nn check` command. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check .nn files and print file:line:col diagnostics (exit 1 on errors)',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { files, json, bad } = parseFileArgs(args);
    if (bad) {
      io.stderr(`nn check: unknown option '${bad}'. Run 'nn help check'.\n`);
      return 2;
    }
    if (!files.length) {
      io.stderr(`nn check: give at least one .nn file, e.g. nn check examples/interview.nn\n`);
      return 2;
    }
    let failed = false;
    let errorCount = 0;
    let warningCount = 0;
    const report: Record<string, unknown>[] = [];
    for (const file of files) {
      const read = readDesignFile(file, io);
      if (!read.ok) {
        failed = true;
        errorCount++;
        if (json) report.push({ file, errors: 1, warnings: 0, diagnostics: [{ severity: 'error', code: 'unreadable', message: read.message }] });
        else io.stdout(`${escapeControls(`${file}: error: ${read.message} [unreadable]`)}\n`);
        continue;
      }
      const { diagnostics } = checkNetwork(read.text);
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      failed ||= errors > 0;
      errorCount += errors;
      warningCount += diagnostics.filter((d) => d.severity === 'warning').length;
      if (json) {
        report.push({ file, errors, warnings: diagnostics.filter((d) => d.severity === 'warning').length, diagnostics: diagnostics.map(jsonDiagnostic) });
      } else {
        for (const d of diagnostics) io.stdout(`${formatDiagnostic(file, d)}\n`);
      }
    }
    // A terminal shows this too: controls beyond JSON's own escapes (C1, bidi overrides) are escaped.
    if (json) io.stdout(`${escapeControlsInJson(JSON.stringify(report, null, 2))}\n`);
    else {
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      io.stderr(`nn check: ${plural(files.length, 'file')} checked, ${errorCount ? plural(errorCount, 'error') : 'no errors'}${warningCount ? `, ${plural(warningCount, 'warning')}` : ''}\n`);
    }
    return failed ? 1 : 0;
  },
};
