/** A command body's failures, written for the user: a CliFailure's message and exit code. */
import { CliFailure } from './cliFailure';
import type { CliIo } from './cliIo';
import { isInternalError } from './internalError';

/** Runs a command body, turning CliFailure into its message and exit code. */
export async function guarded(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof CliFailure) {
      io.stderr(`${e.message}\n`);
      return e.code;
    }
    // A bug, not a failure with a message for the user: runCli reports it as an internal error.
    if (isInternalError(e)) throw e;
    io.stderr(`nn: ${(e as Error).message}\n`);
    return 1;
  }
}
