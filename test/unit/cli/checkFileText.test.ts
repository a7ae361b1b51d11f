import { strict as assert } from 'assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../../../src/cli/runCli';
import type { CliIo } from '../../../src/cli/cliIo';

const root = join(__dirname, '../../..');

async function nn(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** Characters a terminal acts on: C0/C1 controls, DEL, separators, bidi overrides. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('nn check: what a file holds reaches the terminal safely', () => {
  let dir: string;
  const interview = readFileSync(join(root, 'examples/interview.nn'), 'utf8');
  before(() => { dir = mkdtempSync(join(tmpdir(), 'nn-check-text-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a file that starts with a UTF-8 byte order mark', async () => {
    writeFileSync(join(dir, 'bom.nn'), `\uFEFF${interview}`);
    const r = await nn(['check', 'bom.nn'], dir);
    assert.equal(r.out, '');
    assert.match(r.err, /1 file checked, no errors/);
    assert.equal(r.code, 0);
  });

  it('escapes terminal control characters from field names and ids, one diagnostic per line', async () => {
    const evil = interview
      .replace('"format": "nn/1",', '"format": "nn/1",\n  "\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202e": 1,')
      .replace('"id": "y"', '"id": "y\\nfake.nn:1:1: error: ok \\u001b[0m"');
    writeFileSync(join(dir, 'evil.nn'), evil);
    const r = await nn(['check', 'evil.nn'], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out, RAW_CONTROL);
    const lines = r.out.trimEnd().split('\n');
    assert.ok(lines.every((l) => l.startsWith('evil.nn:')), r.out);
    assert.ok(lines.some((l) => l.includes("unknown top-level field '\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202e'")), r.out);
    assert.ok(lines.some((l) => l.includes('y\\nfake.nn:1:1') && l.includes('[invalid-id]')), r.out);
    const json = await nn(['check', 'evil.nn', '--json'], dir);
    assert.doesNotMatch(json.out, RAW_CONTROL);
    const report = JSON.parse(json.out) as { diagnostics: { message: string }[] }[];
    assert.ok(report[0].diagnostics.some((d) => d.message.includes('\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202e')), 'the JSON keeps the exact text');
  });

  it('reports a key written twice as an error at its line:col', async () => {
    writeFileSync(join(dir, 'dup.nn'), interview.replace('"id": "hidden",', '"id": "hidden", "id": "hidden\\nimport os",'));
    const r = await nn(['check', 'dup.nn'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^dup\.nn:\d+:\d+: error: node 'hidden': 'id' is written twice.*\[duplicate-field\]$/m);
  });
});
