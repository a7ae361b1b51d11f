/**
 * Keeps the files a design reads inside the workspace. Paths are compared after following every
 * symbolic link (fs.realpath) for both the workspace folder and the file, so a link inside the
 * workspace that points outside it does not smuggle an outside file into training or an export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_EXTENSIONS } from '../engine/data';
import type { DataSpec } from '../model';

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
  return pathOutside(shown, `training.data.csv "${csv}"`, path.resolve(baseDir, csv), roots, 'Copy the file into the workspace and use a relative path.');
}

/**
 * Checks every file a data spec reads against the workspace folders, after following links:
 * the CSV, both IDX files, or an image folder with each class folder and image in it. Returns a
 * message naming the first file outside, else undefined. No folders: nothing to confine to.
 */
export function dataSpecOutsideWorkspace(shown: string, spec: DataSpec, baseDir: string, roots: readonly string[] | undefined): string | undefined {
  if (!roots || roots.length === 0) return undefined;
  if ('csv' in spec) return dataOutsideWorkspace(shown, spec.csv, baseDir, roots);
  const fix = 'Copy the file into the workspace and use a relative path.';
  if ('idx' in spec) {
    return pathOutside(shown, `training.data.idx.images "${spec.idx.images}"`, path.resolve(baseDir, spec.idx.images), roots, fix)
      ?? pathOutside(shown, `training.data.idx.labels "${spec.idx.labels}"`, path.resolve(baseDir, spec.idx.labels), roots, fix);
  }
  if ('imageFolder' in spec) {
    const folder = path.resolve(baseDir, spec.imageFolder);
    const field = `training.data.imageFolder "${spec.imageFolder}"`;
    const copy = 'Copy the images into the workspace and use a relative path.';
    const top = pathOutside(shown, field, folder, roots, copy);
    if (top) return top;
    // Every class folder and image the loader would read (listImageFolder's rules), links followed.
    for (const entry of readableEntries(folder, () => true)) {
      const where = `${field}: ${path.join(spec.imageFolder, path.relative(folder, entry))}`;
      const out = pathOutside(shown, where, entry, roots, copy);
      if (out) return out;
      if (!fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of readableEntries(entry, isImageName)) {
        const inner = pathOutside(shown, `${field}: ${path.join(spec.imageFolder, path.relative(folder, file))}`, file, roots, copy);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** The visible entries of `dir` whose names pass `keep` (none when it is not a readable folder). */
function readableEntries(dir: string, keep: (name: string) => boolean): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => !n.startsWith('.') && keep(n)).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

/** The message for `target` (named by `what`) when it lies outside every root, else undefined. */
function pathOutside(shown: string, what: string, target: string, roots: readonly string[] | undefined, fix: string): string | undefined {
  if (!roots || roots.length === 0) return undefined;
  if (roots.some((r) => isReallyInside(r, target))) return undefined;
  const real = realPath(target);
  const lexicallyInside = roots.some((r) => {
    const rel = path.relative(path.resolve(r), target);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
  return lexicallyInside
    ? `${shown}: ${what} resolves outside the workspace (a symbolic link to ${real}); data files must stay inside the workspace folder. ${fix}`
    : `${shown}: ${what} points outside the workspace (${target}); data files must stay inside the workspace folder. ${fix}`;
}
