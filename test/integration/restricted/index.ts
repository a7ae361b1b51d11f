/**
 * Entry point of the Restricted Mode suite, loaded by a second, untrusted window (Workspace
 * Trust on, the folder not trusted): runs every `*.test.js` beside it, like the main suite.
 */
export { run } from '../index';
