/** A CLI failure already explained to the user; the command returns `code`. */
export class CliFailure extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}
