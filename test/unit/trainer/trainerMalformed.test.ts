/**
 * The training process receives messages it must not trust: garbage, a stop without a runId,
 * unknown types, fields of the wrong type, huge numbers. Each is logged on stderr (one line naming
 * the type and what is wrong) and dropped; the process lives and still trains afterwards.
 * The process is forked directly (src/trainer/main.ts through tsx) so the test can send raw IPC.
 */
import * as assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FromTrainer, ResponseMessage } from '../../../src/protocol';

const root = path.resolve(__dirname, '../../..');
const fixture = path.join(__dirname, 'fixtures/spiral.nn');

describe('training process: malformed messages from the host', function () {
  this.timeout(30000);
  let child: ChildProcess | undefined;
  afterEach(() => { child?.kill(); child = undefined; });

  it('logs and drops each malformed message, stays alive, and still trains afterwards', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-malformed-'));
    const file = path.join(dir, 'spiral.nn');
    fs.copyFileSync(fixture, file);
    const text = fs.readFileSync(file, 'utf8');
    const job = { text, file, allowedRoots: [dir] };

    const proc = fork(path.join(root, 'src/trainer/main.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const received: Array<FromTrainer | ResponseMessage> = [];
    const waiters: Array<() => void> = [];
    proc.on('message', (m) => { received.push(m as FromTrainer | ResponseMessage); for (const w of waiters.splice(0)) w(); });
    const waitFor = (pred: (m: FromTrainer | ResponseMessage) => boolean, what: string, ms = 20000): Promise<FromTrainer | ResponseMessage> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; stderr: ${stderr}; exit ${proc.exitCode}`)), ms);
        const check = (): void => {
          const hit = received.find(pred);
          if (hit) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
        };
        check();
      });
    await waitFor((m) => m.type === 'ready', 'ready');

    const malformed: unknown[] = [
      'garbage',
      42,
      [1, 2, 3],
      { kind: 'stop' },
      { type: 5 },
      { type: 'stop' },
      { type: 'stop', runId: '1' },
      { type: 'stop', runId: 1e308 },
      { type: 'stop', runId: -1 },
      { type: 'stop', runId: 1, extra: true },
      { type: 'format-disk' },
      { type: '__proto__' },
      { type: 'constructor' },
      { type: 'toString' },
      { type: 'response', requestId: 1, ok: true },
      { type: 'resetStep', now: 'please' },
      { type: 'train' },
      { type: 'train', runId: 1, overrides: { epochs: 1e300 }, ...job },
      { type: 'train', runId: 1, overrides: { learningRate: Number.POSITIVE_INFINITY }, ...job },
      { type: 'train', runId: 1, overrides: {}, ...job, text: 42 },
      { type: 'train', runId: 1, overrides: {}, ...job, allowedRoots: 'everywhere' },
      { type: 'train', runId: 1, overrides: {}, ...job, boundarySize: 1e9 },
      { type: 'step', requestId: 1e400, runId: 1, ...job },
      { type: 'export', requestId: 8, format: 'tflite', ...job },
      { type: 'checkGradients', requestId: 9, ...job, file: { path: file } },
    ];
    for (const m of malformed) proc.send(m as object);
    // A malformed request with a readable requestId is answered with why, not left to time out.
    const predict = { type: 'predict', requestId: 7, inputs: '2.3, 10.2', ...job };
    proc.send(predict);
    const answer = await waitFor((m) => m.type === 'response' && m.requestId === 7, 'answer to the malformed predict');
    assert.ok(answer.type === 'response' && !answer.ok);
    assert.match(answer.error ?? '', /"inputs" must be a list/);

    // Still alive, and still trains.
    const runId = 3;
    proc.send({ type: 'train', runId, overrides: { epochs: 2, backend: 'cpu' }, ...job });
    const done = await waitFor((m) => m.type === 'update' && (m.update.kind === 'done' || m.update.kind === 'error') && m.update.runId === runId, 'the end of the run');
    assert.ok(done.type === 'update' && done.update.kind === 'done', JSON.stringify(done));
    assert.equal(proc.exitCode, null, 'the process is alive');

    const lines = stderr.split('\n').filter((l) => l.includes('ignored a malformed'));
    assert.equal(lines.length, malformed.length + 1, `one line per malformed message:\n${stderr}`);
    assert.ok(lines.some((l) => /"stop" message: "runId" is missing/.test(l)), stderr);
    assert.ok(lines.some((l) => /unknown message type "format-disk"/.test(l)), stderr);
    assert.ok(lines.some((l) => /"overrides\.epochs" must be a whole number/.test(l)), stderr);
    assert.ok(lines.some((l) => /"export" message: cannot export to 'tflite': choose one of pytorch, keras, onnx/.test(l)), stderr);
    assert.ok(!/TypeError|Cannot read/.test(stderr), stderr);
  });
});
