/**
 * Reading a binary data file a design names (IDX files, images): the path resolved against the
 * .nn file's folder, errors that name the file as written and say what to do, gzip unpacked when
 * the bytes are gzip (whatever the name), and a size limit so a wrong path cannot exhaust memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError } from './dataset';

/** Files (or their unpacked contents) larger than this are refused: 1 GiB, an order above MNIST's 47 MB. */
export const DATA_FILE_MAX_BYTES = 1024 * 1024 * 1024;

/** The byte limit for one data file: DATA_FILE_MAX_BYTES, or less when free memory is short (the floats take 4× the bytes). */
export function dataFileByteLimit(): number {
  return Math.min(DATA_FILE_MAX_BYTES, Math.floor(os.freemem() / 8));
}

/** Whether `bytes` start with gzip's magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads `where` (relative to `baseDir`) and unpacks it when it is gzip. Errors name it as `shown`
 * (default: `where`, as written in the design) and `field`, the design's field.
 */
export async function readDataFile(
  where: string, baseDir: string, field: string, opts: { shown?: string; maxBytes?: number } = {},
): Promise<Buffer> {
  const abs = path.resolve(baseDir, where);
  const file = opts.shown ?? where;
  const maxBytes = opts.maxBytes ?? dataFileByteLimit();
  let raw: Buffer;
  try {
    const st = await fs.promises.stat(abs);
    if (!st.isFile()) throw new DataError(`${file}: is not a file (${abs}); ${field} must name a file.`, { file });
    if (st.size > maxBytes) throw new DataError(`${file} is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} this machine can load; train on a part of it.`, { file });
    raw = await fs.promises.readFile(abs);
  } catch (e) {
    if (e instanceof DataError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataError(`${file}: no such file (looked for ${abs}); ${field} paths are relative to the .nn file's folder.`, { file });
    }
    throw new DataError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the file's permissions.`, { file });
  }
  if (!isGzip(raw)) return raw;
  try {
    return zlib.gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError(`${file} unpacks to more than the ${formatBytes(maxBytes)} this machine can load; train on a part of it.`, { file });
    }
    throw new DataError(`${file}: the gzip data is damaged or cut short (${code === 'Z_BUF_ERROR' ? 'unexpected end of file' : (e as Error).message}); download or copy the file again.`, { file });
  }
}

/** 1.5 MB, 12.0 KB, 300 bytes. */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}
