/**
 * What `nn` says when something fails that no message was written for: a bug in Neural Canvas,
 * never the user's fault. The user sees what to report and where the details are, never a raw
 * JavaScript error text ("Cannot read properties of undefined …") or a stack trace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The exit code of an internal error (1 is a failure explained to the user, 2 a usage error). */
export const INTERNAL_ERROR_EXIT = 3;

/** Message text that only JavaScript itself writes. */
const JS_ERROR_TEXT = /Cannot read properties|Cannot set properties|is not a function|is not iterable|is not defined|undefined \(reading|Maximum call stack|Invalid array length/;

/** Whether `e` is a bug rather than a failure with a message for the user. */
export function isInternalError(e: unknown): boolean {
  if (!(e instanceof Error)) return true;
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError || e instanceof SyntaxError || e instanceof EvalError || e instanceof URIError) return true;
  return /^internal\b/i.test(e.message) || JS_ERROR_TEXT.test(e.message);
}

/**
 * The message for an internal error in `nn <command>`. The details (error and stack) go to a
 * report file in the temp folder, or to the message itself when NN_DEBUG=1.
 */
export function internalErrorMessage(command: string, argv: readonly string[], e: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const details = `nn ${argv.join(' ')}\n${e instanceof Error ? e.stack ?? `${e.name}: ${e.message}` : String(e)}\n`;
  const head = `nn: internal error in 'nn ${command}': this is a bug in Neural Canvas, not a problem with your file.`;
  if (env.NN_DEBUG === '1') return `${head}\n${details}`;
  let where: string;
  try {
    const file = path.join(os.tmpdir(), `nn-internal-error-${process.pid}-${Date.now()}.txt`);
    fs.writeFileSync(file, details);
    where = `the details are in ${file}`;
  } catch {
    where = 'run it again with NN_DEBUG=1 to see the details';
  }
  return `${head}\nPlease report it to the Neural Canvas maintainers with the command you ran, the .nn file and the details: ${where}.`;
}
