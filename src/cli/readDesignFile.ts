/** Reading a design for `nn check` and `nn summary`: the text, or why it could not be read. */
import type { CliIo } from './cliIo';
import { readDesignText } from './readDesignText';

/** A design file read from disk: its text, or why it could not be read. */
export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** Reads a file relative to the CLI's cwd (a regular file within the size limit); the failure message is written for the user. */
export function readDesignFile(arg: string, io: CliIo): ReadResult {
  const read = readDesignText(arg, io.cwd);
  return read.ok ? { ok: true, text: read.text } : read;
}
