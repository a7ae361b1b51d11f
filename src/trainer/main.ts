/**
 * The training process (dist/trainer.js), started by the extension with child_process.fork and
 * 'advanced' serialization (typed arrays cross as typed arrays). It trains, streams updates and
 * obeys stop; it exits when the host goes away, so no orphan keeps computing.
 */
import { type FromTrainer, MalformedMessage, type ResponseMessage, ToTrainerMessage, TRAINER_LOG_PREFIX } from '../protocol';
import { TrainerCore } from './trainerCore';

if (!process.send) {
  process.stderr.write('dist/trainer.js is the Neural Canvas training process; VS Code starts it. Use `nn train FILE` on the command line.\n');
  process.exit(2);
}

const core = new TrainerCore((m: FromTrainer | ResponseMessage) => {
  // A send after the host disconnected throws; the disconnect handler below ends the process.
  if (process.connected) process.send?.(m);
});

// Nothing the host sends is trusted: a malformed message is logged (one line on stderr, which the
// host copies to its output channel) and dropped; a malformed request with a readable requestId
// is answered with why.
process.on('message', (raw: unknown) => {
  const m = ToTrainerMessage.validate(raw);
  if (m instanceof MalformedMessage) {
    process.stderr.write(`${TRAINER_LOG_PREFIX}${m.line}\n`);
    if (m.requestId !== undefined && process.connected) {
      process.send?.({ type: 'response', requestId: m.requestId, ok: false, error: `the training process refused the request: ${m.reason}` } satisfies ResponseMessage);
    }
    return;
  }
  core.receive(m);
});
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (e) => {
  if (process.connected) process.send?.({ type: 'update', update: { kind: 'error', runId: -1, message: `the training process failed: ${e.message}` } } satisfies FromTrainer);
  process.exit(1);
});
process.send({ type: 'ready', pid: process.pid } satisfies FromTrainer);
