/**
 * Which files in a folder an export wrote itself: a manifest, `.nn-export.json`, beside them lists
 * each written file with the SHA-256 of what was written. A file is the export's own (so exporting
 * again may replace it without asking) only while it is a regular file that the manifest lists
 * with exactly its current content: a file the user wrote, or one they edited since, is theirs.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The manifest's file name, in the export's folder. */
export const EXPORT_MANIFEST = '.nn-export.json';

const WRITTEN_BY = 'Neural Canvas export';

/** The manifest of one folder: file name → what the export wrote there. */
export interface ExportManifest {
  /** Whether a file by the manifest's name exists that is not a manifest of ours (then it is the user's). */
  foreign: boolean;
  files: Map<string, { sha256: string; from: string }>;
}

/** SHA-256 of a file's content, hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Reads `dir`'s manifest; an absent one is empty, an unreadable or foreign one is `foreign`. */
export function readManifest(dir: string): ExportManifest {
  const files = new Map<string, { sha256: string; from: string }>();
  const file = path.join(dir, EXPORT_MANIFEST);
  let text: string;
  try {
    if (!fs.lstatSync(file).isFile()) return { foreign: true, files };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { foreign: (e as NodeJS.ErrnoException).code !== 'ENOENT', files };
  }
  try {
    const json = JSON.parse(text) as { writtenBy?: unknown; files?: unknown };
    if (json.writtenBy !== WRITTEN_BY || typeof json.files !== 'object' || json.files === null) return { foreign: true, files };
    for (const [name, v] of Object.entries(json.files as Record<string, unknown>)) {
      const entry = v as { sha256?: unknown; from?: unknown };
      if (typeof entry?.sha256 === 'string') files.set(name, { sha256: entry.sha256, from: typeof entry.from === 'string' ? entry.from : '' });
    }
    return { foreign: false, files };
  } catch {
    return { foreign: true, files };
  }
}

/** Whether `dir/name` is a file the export wrote and nobody changed since. */
export function isExportOwned(dir: string, name: string, manifest: ExportManifest): boolean {
  const entry = manifest.files.get(name);
  if (!entry) return false;
  try {
    const file = path.join(dir, name);
    return fs.lstatSync(file).isFile() && sha256(fs.readFileSync(file)) === entry.sha256;
  } catch {
    return false;
  }
}

/** Writes the manifest with the files just written added (names sorted, so the file diffs well). */
export function writeManifest(dir: string, manifest: ExportManifest): void {
  const files: Record<string, { sha256: string; from: string }> = Object.create(null);
  for (const name of [...manifest.files.keys()].sort()) files[name] = manifest.files.get(name) as { sha256: string; from: string };
  const text = `${JSON.stringify({ writtenBy: WRITTEN_BY, note: 'Files nn export / Export… wrote here, with their SHA-256: exporting again replaces them only while unchanged.', files }, null, 2)}\n`;
  const file = path.join(dir, EXPORT_MANIFEST);
  if (fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(file);
  fs.writeFileSync(file, text);
}
