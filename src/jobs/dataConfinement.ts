/**
 * Keeps the files a design reads inside the workspace. Paths are compared after following every
 * symbolic link (fs.realpath) for both the workspace folder and the file, so a link inside the
 * workspace that points outside it does not smuggle an outside file into training or an export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real path of `p`: every symbolic link followed. A path that does not exist (yet) keeps its
 * missing tail under the real path of its deepest existing folder.
 */
export function realPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realPath(parent), path.basename(abs));
  }
}

/** Whether `target` lies inside `root` once both are real paths (links followed, `..` resolved). */
export function isReallyInside(root: string, target: string): boolean {
  const rel = path.relative(realPath(root), realPath(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Checks a CSV data path of a design (relative to `baseDir`) against the workspace folders;
 * returns a message for the user naming the file when it resolves outside all of them, else
 * undefined. No folders means no workspace to confine to (the CLI).
 */
export function dataOutsideWorkspace(shown: string, csv: string, baseDir: string, roots: readonly string[] | undefined): string | undefined {
  if (!roots || roots.length === 0) return undefined;
  const target = path.resolve(baseDir, csv);
  if (roots.some((r) => isReallyInside(r, target))) return undefined;
  const real = realPath(target);
  const lexicallyInside = roots.some((r) => {
    const rel = path.relative(path.resolve(r), target);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
  return lexicallyInside
    ? `${shown}: training.data.csv "${csv}" resolves outside the workspace (a symbolic link to ${real}); data files must stay inside the workspace folder. Copy the file into the workspace and use a relative path.`
    : `${shown}: training.data.csv "${csv}" points outside the workspace (${target}); data files must stay inside the workspace folder. Copy the file into the workspace and use a relative path.`;
}
