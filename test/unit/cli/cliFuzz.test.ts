/**
 * No `nn` message is ever a JavaScript error text. Every command (check, summary, train, predict,
 * grad, export in each format) runs in-process over a corpus of broken designs, made by mutating
 * the examples deterministically (nodes deleted, edges dropped or pointing nowhere, wrong types,
 * outputs removed, truncated text, …), and no line it prints may read like a JavaScript error or
 * an internal error: each of those is a bug with a cause to fix.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { commands } from '../../../src/cli/commands';
import { internalErrorMessage } from '../../../src/cli/internalError';
import { guarded } from '../../../src/cli/guarded';
import { runCli } from '../../../src/cli/runCli';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** Text only JavaScript (or a stack trace) writes. */
const JS_TEXT = /Cannot read properties|is not a function|undefined \(reading|TypeError|ReferenceError|at .*\.ts:\d+/;

type Json = Record<string, unknown> & { nodes?: Record<string, unknown>[]; edges?: Record<string, unknown>[]; training?: Record<string, unknown> };

/** Deterministic numbers in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mutations: each takes a parsed example and a generator and returns the new text. */
const MUTATIONS: { name: string; apply: (doc: Json, r: () => number, text: string) => string }[] = [
  { name: 'unchanged (every command runs to the end)', apply: (_d, _r, text) => text },
  { name: 'delete a node', apply: (d, r) => { d.nodes?.splice(Math.floor(r() * d.nodes.length), 1); return JSON.stringify(d, null, 2); } },
  { name: 'drop an edge', apply: (d, r) => { d.edges?.splice(Math.floor(r() * d.edges.length), 1); return JSON.stringify(d, null, 2); } },
  { name: 'drop every edge', apply: (d) => { d.edges = []; return JSON.stringify(d, null, 2); } },
  { name: 'keep only the inputs (no outputs)', apply: (d) => { d.nodes = d.nodes?.filter((n) => n.type === 'input'); d.edges = []; return JSON.stringify(d, null, 2); } },
  { name: 'no nodes', apply: (d) => { d.nodes = []; d.edges = []; return JSON.stringify(d, null, 2); } },
  { name: 'edge to a missing node', apply: (d) => { d.edges?.push({ from: String(d.nodes?.[0]?.id), to: 'ghost' }); return JSON.stringify(d, null, 2); } },
  { name: 'reverse an edge (cycle)', apply: (d, r) => { const e = d.edges?.[Math.floor(r() * (d.edges?.length ?? 0))]; if (e) d.edges?.push({ from: e.to, to: e.from }); return JSON.stringify(d, null, 2); } },
  { name: 'a node changes type', apply: (d, r) => { const n = d.nodes?.[Math.floor(r() * d.nodes.length)]; if (n) n.type = ['input', 'dense', 'activation', 'dropout', 'add', 'multiply', 'concat', 'conv2d'][Math.floor(r() * 8)]; return JSON.stringify(d, null, 2); } },
  { name: 'units of the wrong type', apply: (d, r) => { const n = d.nodes?.find((x) => 'units' in x); if (n) n.units = ['3', -1, 0, 1.5, null, [2], {}][Math.floor(r() * 7)]; return JSON.stringify(d, null, 2); } },
  { name: 'weights of the wrong shape', apply: (d) => { const n = d.nodes?.find((x) => x.type === 'dense'); if (n) { n.weights = [[1], [2, 3]]; n.bias = 'b'; } return JSON.stringify(d, null, 2); } },
  { name: 'activation unknown', apply: (d) => { for (const n of d.nodes ?? []) if ('activation' in n) n.activation = 7; return JSON.stringify(d, null, 2); } },
  { name: 'training of the wrong types', apply: (d, r) => { d.training = [{ data: 'spiral' }, { loss: 'hinge', optimizer: 'sgd' }, { data: { csv: 'missing.csv', labels: ['y'] } }, { data: { generator: 'nope' } }, { batchSize: 0, epochs: -1 }, null][Math.floor(r() * 6)] as Record<string, unknown>; return JSON.stringify(d, null, 2); } },
  { name: 'input feeds itself', apply: (d) => { const id = d.nodes?.[0]?.id; d.edges?.push({ from: id, to: id }); return JSON.stringify(d, null, 2); } },
  { name: 'truncated text', apply: (_d, r, text) => text.slice(0, Math.floor(r() * text.length)) },
  { name: 'nodes is an object', apply: (d) => { (d as Record<string, unknown>).nodes = { a: 1 }; return JSON.stringify(d, null, 2); } },
];

/** Every command line run on each mutated file. */
function commandLines(file: string, inputs: string): string[][] {
  return [
    ['check', file], ['summary', file],
    ['train', file, '--epochs', '1', '--backend', 'cpu', '--json'],
    ['predict', file, '--input', inputs], ['grad', file, '--input', inputs],
    ['export', file, '--format', 'pytorch', '-o', 'out'], ['export', file, '--format', 'keras', '-o', 'out'], ['export', file, '--format', 'onnx', '-o', 'out'],
  ];
}

/** Comma-separated zeros, as many as the mutated design's inputs take (2 when it cannot tell). */
function inputRow(d: Json): string {
  const width = (Array.isArray(d.nodes) ? d.nodes : []).filter((n) => n?.type === 'input').reduce((s, n) => s + (typeof n.units === 'number' && n.units > 0 && n.units < 10_000 ? n.units : 0), 0);
  return Array.from({ length: width || 2 }, () => '0.5').join(',');
}

describe('nn: no message is a JavaScript error, over a corpus of broken designs', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nn-cli-fuzz-'));
    mkdirSync(path.join(dir, 'data'));
    copyFileSync(path.join(EXAMPLES, 'data', 'pass-class.csv'), path.join(dir, 'data', 'pass-class.csv'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check, summary, train, predict, grad and export print only messages written for the user', async () => {
    const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.nn')).sort();
    const r = rng(20261130);
    const bad: string[] = [];
    let cases = 0;
    const succeeded = new Set<string>();
    for (const example of examples) {
      const text = readFileSync(path.join(EXAMPLES, example), 'utf8');
      // The example itself (every command runs to its end), then five mutations picked by the
      // seeded generator: about 70 cases in all.
      for (let k = 0; k < 6; k++) {
        const m = k === 0 ? MUTATIONS[0] : MUTATIONS[1 + Math.floor(r() * (MUTATIONS.length - 1))];
        const doc = JSON.parse(text) as Json;
        const mutated = m.apply(doc, r, text);
        const file = `${example.replace(/\.nn$/, '')}-${k}.nn`;
        writeFileSync(path.join(dir, file), mutated);
        cases++;
        for (const args of commandLines(file, inputRow(doc))) {
          let out = '';
          const code = await runCli(args, { stdout: (s) => { out += s; }, stderr: (s) => { out += s; }, isTTY: false, cwd: dir });
          const lines = out.split('\n').filter((l) => JS_TEXT.test(l) || /internal error/.test(l));
          if (code === 0) succeeded.add(args[0] === 'export' ? `export ${args[3]}` : args[0]);
          if (lines.length || code === 3) bad.push(`${file} (${m.name}): nn ${args.join(' ')} → exit ${code}\n    ${lines.slice(0, 3).join('\n    ')}`);
        }
      }
    }
    assert.ok(cases >= 50, `${cases} cases`);
    // The corpus reaches the end of every command, not only its first check.
    assert.deepEqual([...succeeded].sort(), ['check', 'export keras', 'export onnx', 'export pytorch', 'grad', 'predict', 'summary', 'train']);
    assert.deepEqual(bad, [], `${bad.length} command(s) printed a JavaScript error or an internal error:\n${bad.join('\n')}`);
  });

  it('an unexpected exception becomes an internal-error message that says what to report, never the raw text', async () => {
    let err: unknown;
    try {
      (undefined as unknown as { id: string }).id.toString();
    } catch (e) { err = e; }
    const msg = internalErrorMessage('export', ['export', 'a.nn'], err, {});
    assert.match(msg, /^nn: internal error in 'nn export': this is a bug in Neural Canvas/);
    assert.match(msg, /report it .* with the command you ran, the \.nn file and the details: the details are in \S+nn-internal-error-\S+\.txt/);
    for (const line of msg.split('\n')) assert.doesNotMatch(line, JS_TEXT);
    const file = /the details are in (\S+)\./.exec(msg)?.[1] as string;
    assert.match(readFileSync(file, 'utf8'), /Cannot read properties of undefined/);
    rmSync(file);
  });

  it('runCli turns a bug inside a command into that message (exit 3), and still prints a user failure as it is', async () => {
    const broken = {
      name: 'broken', summary: '', usage: '',
      run: (args: string[], io: Parameters<typeof guarded>[0]) => guarded(io, async () => {
        if (args[0] === 'user') throw new Error('data.csv:3: not a number');
        return (undefined as unknown as { id: string }).id.length;
      }),
    };
    commands.push(broken);
    try {
      let out = '';
      const io = { stdout: (s: string) => { out += s; }, stderr: (s: string) => { out += s; }, isTTY: false, cwd: dir };
      assert.equal(await runCli(['broken'], io), 3);
      assert.match(out, /^nn: internal error in 'nn broken': this is a bug in Neural Canvas/);
      for (const line of out.split('\n')) assert.doesNotMatch(line, JS_TEXT);
      rmSync(/the details are in (\S+)\./.exec(out)?.[1] as string);
      out = '';
      assert.equal(await runCli(['broken', 'user'], io), 1);
      assert.equal(out, 'nn: data.csv:3: not a number\n');
    } finally {
      commands.splice(commands.indexOf(broken), 1);
    }
  });
});
