/**
 * The one way the `nn` commands read a design file: only a regular file (not a FIFO, a device
 * such as /dev/zero, or a folder) and only up to a size limit, both checked before a byte is read,
 * so `nn check /dev/zero` or a named pipe answers at once instead of reading forever.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The size limit when NN_MAX_FILE_MB is not set (the editor's neuralCanvas.maxFileSizeMB default). */
export const DEFAULT_MAX_FILE_MB = 10;

/** The environment variable that raises (or lowers) the limit, in megabytes. */
export const MAX_FILE_MB_ENV = 'NN_MAX_FILE_MB';

/** A design file read from disk: its absolute path and text, or why it was not read. */
export type DesignText = { ok: true; file: string; text: string } | { ok: false; message: string };

/** The limit in bytes, from NN_MAX_FILE_MB (a positive number of megabytes) or the default; a bad value is reported. */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): { bytes: number; problem?: string } {
  const raw = env[MAX_FILE_MB_ENV];
  if (raw === undefined || raw.trim() === '') return { bytes: DEFAULT_MAX_FILE_MB * 1024 * 1024 };
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    return { bytes: DEFAULT_MAX_FILE_MB * 1024 * 1024, problem: `${MAX_FILE_MB_ENV}=${JSON.stringify(raw)} is not a positive number of megabytes; using ${DEFAULT_MAX_FILE_MB} MB` };
  }
  return { bytes: Math.floor(mb * 1024 * 1024) };
}

/** What a non-regular file is, in words. */
function kindOf(s: fs.Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Reads `arg` (relative to `cwd`) as UTF-8 text. The file is opened without blocking (a FIFO with
 * no writer would otherwise hang the open), then refused unless it is a regular file within the
 * size limit; the messages name the file as the user wrote it and say what to do.
 */
export function readDesignText(arg: string, cwd: string, env: NodeJS.ProcessEnv = process.env): DesignText {
  const file = path.resolve(cwd, arg);
  const shown = JSON.stringify(arg).slice(1, -1);
  const limit = maxFileBytes(env);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, message: `${shown} is a folder; give a .nn file` };
    if (!stat.isFile()) return { ok: false, message: `cannot read ${shown}: it is ${kindOf(stat)}, not a regular file; give a .nn file` };
    if (stat.size > limit.bytes) {
      return { ok: false, message: `${shown} is ${megabytes(stat.size)}, above the ${megabytes(limit.bytes)} limit for a design; set ${MAX_FILE_MB_ENV} to a larger number of megabytes to read it anyway${limit.problem ? ` (${limit.problem})` : ''}` };
    }
    // Read at most one byte past the limit: a file that grows while it is read is still refused.
    let buffer = Buffer.alloc(Math.min(limit.bytes + 1, stat.size + 65536));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit.bytes) break;
        const grown = Buffer.alloc(Math.min(limit.bytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit.bytes) return { ok: false, message: `${shown} grew past the ${megabytes(limit.bytes)} limit while it was read; set ${MAX_FILE_MB_ENV} to read it anyway` };
    return { ok: true, file, text: buffer.toString('utf8', 0, length) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: `cannot read ${shown}: no such file (check the path)` };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, message: `cannot read ${shown}: permission denied` };
    if (code === 'EISDIR') return { ok: false, message: `${shown} is a folder; give a .nn file` };
    return { ok: false, message: `cannot read ${shown}: ${code ?? 'the file could not be opened'}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
