/**
 * The host's side of the training process: TrainerClient validates what the process sends and
 * what it is about to send. Driven with a fake child (fixtures/fakeTrainer.cjs) that mixes
 * malformed messages with well-formed ones.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainerClient } from '../../../src/extension/training/trainerClient';
import type { TrainingUpdate } from '../../../src/protocol';

const fake = path.join(__dirname, 'fixtures/fakeTrainer.cjs');
const job = { text: '{}', file: '/tmp/x.nn', allowedRoots: ['/tmp'] };

describe('TrainerClient: messages from and to the training process', function () {
  this.timeout(15000);
  let client: TrainerClient;
  let log: string[];
  beforeEach(() => {
    log = [];
    client = new TrainerClient({ script: fake }, (l) => log.push(l));
  });
  afterEach(() => client.dispose());

  it('drops malformed updates (logging one line each) and forwards the well-formed ones', async () => {
    const seen: TrainingUpdate[] = [];
    const finished = new Promise<void>((resolve) => client.onUpdate((u) => { seen.push(u); if (u.kind === 'done') resolve(); }));
    const runId = client.newRunId();
    client.train({ runId, overrides: {}, ...job });
    await finished;
    assert.deepEqual(seen.map((u) => u.kind), ['progress', 'done'], 'only the well-formed updates reach the views');
    assert.ok(seen[0].kind === 'progress' && seen[0].loss === 0.25);
    assert.equal(client.runningRun, undefined, 'the run ended with its done');
    const dropped = log.filter((l) => l.includes('ignored a malformed'));
    assert.equal(dropped.length, 8, log.join('\n'));
    assert.ok(dropped.every((l) => !l.includes('\n')), 'one line each');
    assert.ok(dropped.some((l) => /"update" message: "update\.epoch" must be a whole number/.test(l)), log.join('\n'));
    assert.ok(dropped.some((l) => /unknown update kind "format-disk"/.test(l)), log.join('\n'));
    assert.ok(dropped.some((l) => /unexpected field "update\.extra"/.test(l)), log.join('\n'));
    assert.ok(dropped.some((l) => /"update\.values" must be a Float32Array/.test(l)), log.join('\n'));
    assert.ok(dropped.some((l) => /unknown message type "toString"/.test(l)), log.join('\n'));
  });

  it('settles a request whose answer is malformed at once, saying why', async () => {
    const t0 = Date.now();
    await assert.rejects(client.request({ type: 'predict', inputs: [1, 2], ...job }), /malformed answer: "ok" must be true or false/);
    assert.ok(Date.now() - t0 < 5000, 'no wait for the request timeout');
    const value = await client.request({ type: 'checkGradients', ...job });
    assert.deepEqual(value, { rows: [], what: 'w', file: 'f.nn' }, 'a well-formed answer still arrives');
  });

  it('refuses to send a malformed request and says why, without starting the process', async () => {
    const seen: TrainingUpdate[] = [];
    client.onUpdate((u) => seen.push(u));
    client.train({ runId: 1, overrides: { epochs: 1e300 }, ...job });
    assert.equal(seen.length, 1);
    assert.ok(seen[0].kind === 'error' && /"overrides\.epochs" must be a whole number from 1 to 1000000/.test(seen[0].message), JSON.stringify(seen[0]));
    assert.equal(client.runningRun, undefined);
    await assert.rejects(client.request({ type: 'predict', inputs: [Number.NaN], ...job }), /not sent to the training process: "inputs\[0\]" must be a number/);
    assert.equal(client.pid, undefined, 'no process was started for requests that were never sent');
  });

  it('copies the training process\'s own log lines (a message it dropped) to the output channel', async function () {
    this.timeout(30000);
    const root = path.resolve(__dirname, '../../..');
    const real = new TrainerClient({ script: path.join(root, 'src/trainer/main.ts'), execArgv: ['--import', 'tsx'] }, (l) => log.push(l));
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-client-'));
      const file = path.join(dir, 'interview.nn');
      fs.copyFileSync(path.join(root, 'examples/interview.nn'), file);
      const predictJob = { type: 'predict' as const, inputs: [2.3, 10.2], text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir] };
      await real.request(predictJob);
      // What a confused or hostile host would send; the client itself never lets it out.
      (real as unknown as { child: ChildProcess }).child.send({ type: 'stop' });
      const end = Date.now() + 10000;
      while (!log.some((l) => l.includes('ignored a malformed')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const line = log.find((l) => l.includes('ignored a malformed'));
      assert.match(line ?? log.join('\n'), new RegExp(`^training process ${real.pid}: ignored a malformed "stop" message: "runId" is missing$`));
      const again = (await real.request(predictJob)) as { outputs: number[] };
      assert.ok(Math.abs(again.outputs[0] - 0.226) < 5e-4, 'the process lives and still answers');
    } finally {
      real.dispose();
    }
  });
});
