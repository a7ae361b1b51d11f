/**
 * Which files opening a lecture example copies into the workspace, and where: the example's
 * .nn and the data files it reads by a relative path (a CSV, IDX files), so that Train finds them
 * inside the workspace. Never a file that already exists there: a copy the user has changed is
 * theirs and is opened as it is. Pure: the caller reads and writes the files.
 */
import { checkNetwork } from '../../model';

/** The folder of the workspace the examples are copied into. */
export const EXAMPLES_FOLDER = 'neural-canvas-examples';

/** An example's file name: letters, digits and dashes, ending in .nn (no path). */
export function isExampleName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-z0-9][a-z0-9-]*\.nn$/i.test(name);
}

/** A relative path that stays below its folder (no absolute path, no '..', no backslash). */
function staysBelow(p: string): boolean {
  return p.length > 0 && !p.startsWith('/') && !p.includes('\\') && !/^[a-z]:/i.test(p) && p.split('/').every((part) => part !== '..' && part !== '');
}

/** The data files an example reads by relative path (normalised, "./" dropped), in the order it names them. */
export function exampleDataFiles(text: string): string[] {
  const data = checkNetwork(text).parsed.doc?.training?.data;
  if (!data) return [];
  const paths: string[] = [];
  if ('csv' in data) paths.push(data.csv);
  if ('idx' in data) paths.push(data.idx.images, data.idx.labels);
  return paths.map((p) => p.replace(/^(\.\/)+/, '')).filter(staysBelow);
}

/** What to copy: every file of `wanted` (relative to the examples folder) that `exists` says is not in the workspace yet. */
export async function filesToCopy(wanted: readonly string[], exists: (relative: string) => Promise<boolean>): Promise<string[]> {
  const out: string[] = [];
  for (const f of wanted) if (!(await exists(f))) out.push(f);
  return out;
}
