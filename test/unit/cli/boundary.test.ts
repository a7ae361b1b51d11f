/**
 * `nn boundary`: the class-change count a user reads as "smoothness", the PNG it draws (a valid
 * PNG of the asked size, in the editor's colours) and the house rule that an existing file is
 * never replaced without --force. Networks with inline weights make the counts exact.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { runCli } from '../../../src/cli/runCli';
import { crc32, encodePng } from '../../../src/cli/pngEncode';
import { classChanges } from '../../../src/trainer/boundary';

const root = path.resolve(__dirname, '../../..');

async function nn(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, cwd });
  return { code, out, err };
}

/** Reads a PNG written by encodePng back (8-bit RGBA, filter 0), checking signature and every CRC. */
function decodePng(bytes: Buffer): { width: number; height: number; rgba: Uint8Array } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let off = 8, width = 0, height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.toString('latin1', off + 4, off + 8);
    const data = bytes.subarray(off + 8, off + 8 + len);
    assert.equal(bytes.readUInt32BE(off + 8 + len), crc32(bytes.subarray(off + 4, off + 8 + len)), `${type} CRC`);
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 6, 0, 0, 0], '8-bit RGBA, no interlace');
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  assert.equal(types[0], 'IHDR');
  assert.equal(types[types.length - 1], 'IEND');
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, (width * 4 + 1) * height);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter type none');
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

/** A 2-1 sigmoid classifier with inline weights, p = σ(a·x1 + b·x2), on xor-generated points. */
function linearDesign(a: number, b: number): string {
  return JSON.stringify({
    format: 'nn/1', name: 'line', description: 'a fixed straight boundary',
    nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid', weights: [[a, b]], bias: [0] }],
    edges: [{ from: 'x', to: 'y' }],
    training: { data: { generator: 'xor', samples: 200, noise: 0 }, loss: 'binary_crossentropy', seed: 3 },
  }, null, 2);
}

describe('nn boundary', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-boundary-'));
    fs.writeFileSync(path.join(dir, 'level.nn'), linearDesign(0, 20));
    fs.writeFileSync(path.join(dir, 'upright.nn'), linearDesign(20, 0));
    fs.writeFileSync(path.join(dir, 'diagonal.nn'), linearDesign(20, 20));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts class changes between side-by-side and stacked cells', () => {
    const n = 5;
    assert.deepEqual(classChanges(new Int32Array(n * n), n), { changes: 0, pairs: 40 });
    const level = Int32Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) >= 2 ? 1 : 0));
    assert.equal(classChanges(level, n).changes, n);
    const checker = Int32Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) + (k % n)) % 2);
    assert.equal(classChanges(checker, n).changes, 40);
    const island = new Int32Array(n * n);
    island[2 * n + 2] = 1;
    assert.equal(classChanges(island, n).changes, 4);
  });

  it('a straight level or upright boundary costs exactly N; a diagonal one more', async () => {
    for (const [f, grid] of [['level.nn', '41'], ['upright.nn', '41'], ['level.nn', '10']] as const) {
      const r = await nn(dir, 'boundary', f, '--grid', grid, '--json');
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.equal(j.changes, Number(grid), `${f} on ${grid}×${grid}`);
      assert.equal(j.pairs, 2 * Number(grid) * (Number(grid) - 1));
    }
    const d = JSON.parse((await nn(dir, 'boundary', 'diagonal.nn', '--json')).out);
    assert.ok(d.changes > 41 && d.changes <= 82, `diagonal: ${d.changes}`);
    const text = await nn(dir, 'boundary', 'level.nn');
    assert.match(text.out, /class changes between neighbouring cells: 41 of 3280 \(lower = smoother\)/);
    assert.match(text.out, /accuracy: training \d+\.\d% \(160 rows\), validation \d+\.\d% \(40 rows\)/);
  });

  it('writes a valid PNG of the asked size in the editor\'s colours, points on top', async () => {
    const r = await nn(dir, 'boundary', 'level.nn', '--png', 'level.png', '--size', '64');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /boundary drawn to level\.png \(64×64\)/);
    const png = decodePng(fs.readFileSync(path.join(dir, 'level.png')));
    assert.equal(png.width, 64);
    assert.equal(png.height, 64);
    // p = σ(20·x2): blue (class 1) above, orange (class 0) below, as the editor tints them.
    const at = (x: number, y: number): number[] => [...png.rgba.subarray((y * 64 + x) * 4, (y * 64 + x) * 4 + 4)];
    const top = at(1, 1), bottom = at(62, 62);
    assert.ok(top[2] > top[0], `top-left is blue: ${top}`);
    assert.ok(bottom[0] > bottom[2], `bottom-right is orange: ${bottom}`);
    assert.equal(top[3], 255);
    // The data points are drawn: some pixels are their white rings (the tinted cells never are).
    let white = 0;
    for (let k = 0; k < png.rgba.length; k += 4) if (Math.min(png.rgba[k], png.rgba[k + 1], png.rgba[k + 2]) >= 240) white++;
    assert.ok(white > 20, `${white} white pixels`);
  });

  it('never replaces an existing PNG without --force', async () => {
    const file = path.join(dir, 'mine.png');
    fs.writeFileSync(file, 'my picture');
    const r = await nn(dir, 'boundary', 'level.nn', '--png', 'mine.png');
    assert.equal(r.code, 1);
    assert.match(r.err, /mine\.png already exists; not replacing it\. Give another name, or --force to replace it\./);
    assert.equal(fs.readFileSync(file, 'utf8'), 'my picture');
    const f = await nn(dir, 'boundary', 'level.nn', '--png', 'mine.png', '--force', '--size', '32');
    assert.equal(f.code, 0, f.err);
    assert.equal(decodePng(fs.readFileSync(file)).width, 32);
  });

  it('explains what it cannot draw: not two inputs, no data, bad options, a missing folder', async () => {
    const iris = await nn(root, 'boundary', 'examples/iris.nn');
    assert.equal(iris.code, 1);
    assert.match(iris.err, /takes 4 input features; nn boundary draws networks with exactly 2/);
    const doc = JSON.parse(linearDesign(0, 1));
    delete doc.training;
    fs.writeFileSync(path.join(dir, 'nodata.nn'), JSON.stringify(doc));
    assert.match((await nn(dir, 'boundary', 'nodata.nn')).err, /has no training\.data/);
    const bad = await nn(dir, 'boundary', 'level.nn', '--grid', '1');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--grid must be a whole number from 2 to 1000, got '1'/);
    const folder = await nn(dir, 'boundary', 'level.nn', '--png', 'no/such/folder.png');
    assert.equal(folder.code, 1);
    assert.match(folder.err, /cannot write no\/such\/folder\.png: no such folder/);
  });

  it('encodePng round-trips pixels', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const back = decodePng(encodePng(3, 2, rgba));
    assert.deepEqual([back.width, back.height], [3, 2]);
    assert.deepEqual([...back.rgba], [...rgba]);
  });
});
