/**
 * The Summary view shows what `nn summary --json` prints: for every shipped example the same
 * layers in the same order with the same types, shapes, parameters, formulas, inputs and FLOPs,
 * and the same totals; every message it builds passes the protocol's check.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/cliIo';
import { runCli } from '../../../src/cli/runCli';
import { summaryContent } from '../../../src/extension/summary/summaryContent';
import { ToSummaryMessage } from '../../../src/protocol';

const root = join(__dirname, '../../..');

async function summaryJson(file: string): Promise<{ layers: Record<string, unknown>[]; totalParams: number; trainableParams: number; nonTrainableParams: number; flops: number }> {
  let out = '';
  const io: CliIo = { stdout: (s) => { out += s; }, stderr: () => {}, isTTY: false, cwd: root };
  assert.equal(await runCli(['summary', file, '--json'], io), 0);
  return JSON.parse(out);
}

describe('the Summary view\'s content', () => {
  for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.nn'))) {
    it(`${f}: the rows and totals nn summary --json prints`, async () => {
      const cli = await summaryJson(`examples/${f}`);
      const shown = summaryContent(readFileSync(join(root, 'examples', f), 'utf8'), f);
      assert.equal(ToSummaryMessage.check(shown, ''), undefined);
      assert.equal(shown.problem, undefined);
      assert.deepEqual(shown.rows.map((r) => ({ ...r, outputShape: r.outputShape ?? null })), cli.layers.map((l) => ({ ...l })));
      assert.deepEqual(shown.totals, { total: cli.totalParams, trainable: cli.trainableParams, nonTrainable: cli.nonTrainableParams, flops: cli.flops });
    });
  }

  it('a design with errors still lists what can be analysed and says why the rest is unknown', () => {
    const text = readFileSync(join(root, 'examples/interview.nn'), 'utf8').replace('[[0.5, 0.1], [-0.1, 0.3], [0.2, -0.1]]', '[[0.5, 0.1, 0.7], [-0.1, 0.3], [0.2, -0.1]]');
    const shown = summaryContent(text, 'interview.nn');
    assert.equal(ToSummaryMessage.check(shown, ''), undefined);
    assert.match(shown.problem ?? '', /^interview\.nn has \d+ errors?/);
    assert.deepEqual(shown.rows.map((r) => r.layer), ['x', 'hidden', 'y']);
  });
});
