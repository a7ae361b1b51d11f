/** The command line of `nn check` and `nn summary`: FILE... and `--json`. */

/** Splits `--json` from the file arguments; returns an error message for unknown options. */
export function parseFileArgs(args: string[]): { files: string[]; json: boolean; bad?: string } {
  const files: string[] = [];
  let json = false;
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a.startsWith('-') && a !== '-') return { files, json, bad: a };
    else files.push(a);
  }
  return { files, json };
}
