import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  decodeSafetensors, encodeSafetensors, readWeightsFile, SafetensorsError, weightsPathFor, writeWeightsFile, type WeightMap,
} from '../../../../src/engine/weights';

function sample(): WeightMap {
  return new Map([
    ['h1.weight', { shape: [3, 2], data: Float32Array.from([0.5, 0.1, -0.1, 0.3, 0.2, -0.1]) }],
    ['h1.bias', { shape: [3], data: Float32Array.from([-0.3, 0.2, 0.5]) }],
    ['out.weight', { shape: [1, 3], data: Float32Array.from([-0.2, -0.3, -0.15]) }],
  ]);
}

/** Python that writes a safetensors file by hand with numpy (Debian has no `safetensors` package; torch tensors hold the same bytes). */
const PY_WRITER = `
import json, struct, sys
import numpy as np
w = np.arange(6, dtype=np.float32).reshape(2, 3) / np.float32(7)
b = np.array([1.5, -2.25], dtype=np.float32)
d = np.array([0.1, 1e-30], dtype=np.float64)
blobs = [("d.weight", "F64", d), ("l.weight", "F32", w), ("l.bias", "F32", b)]
header, off = {"__metadata__": {"format": "pt"}}, 0
for name, dt, a in blobs:
    n = a.astype("<f8" if dt == "F64" else "<f4").nbytes
    header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + n]}
    off += n
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    for name, dt, a in blobs:
        f.write(a.astype("<f8" if dt == "F64" else "<f4").tobytes())
`;

describe('safetensors', () => {
  it('decode(encode(x)) gives back the same tensors, order and metadata', () => {
    const bytes = encodeSafetensors(sample(), { 'neural-canvas.format': 'nn/1' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    assert.deepEqual([...tensors.keys()], ['h1.weight', 'h1.bias', 'out.weight']);
    for (const [k, v] of sample()) assert.deepEqual(tensors.get(k), v);
    assert.deepEqual(metadata, { 'neural-canvas.format': 'nn/1' });
  });

  it('writes the layout: u64 LE header length, space-padded JSON to 8 bytes, F32 data at the given offsets', () => {
    const bytes = encodeSafetensors(sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    assert.match(header, /^\{.*\} *$/);
    const json = JSON.parse(header);
    assert.deepEqual(json['h1.bias'], { dtype: 'F32', shape: [3], data_offsets: [24, 36] });
    assert.equal(new DataView(bytes.buffer).getFloat32(8 + n + 24, true), Math.fround(-0.3));
    assert.equal(bytes.length, 8 + n + 48);
    assert.equal(json.__metadata__, undefined);
  });

  it('decodes from an unaligned view (a Buffer slice)', () => {
    const bytes = encodeSafetensors(sample());
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.deepEqual(decodeSafetensors(shifted.subarray(1)).tensors.get('h1.weight'), sample().get('h1.weight'));
  });

  it('decodes a file written by Debian python (numpy) to the same numbers', function () {
    this.timeout(30000); // starting Python on a busy machine
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.log(`      skipped: /usr/bin/python3 cannot import numpy (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})`);
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-st-'));
    try {
      const file = path.join(dir, 'ref.safetensors');
      execFileSync('/usr/bin/python3', ['-c', PY_WRITER, file]);
      const { tensors, metadata } = decodeSafetensors(fs.readFileSync(file));
      assert.deepEqual(metadata, { format: 'pt' });
      assert.deepEqual(tensors.get('l.weight'), { shape: [2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5].map((v) => v / 7)) });
      assert.deepEqual(tensors.get('l.bias'), { shape: [2], data: Float32Array.from([1.5, -2.25]) });
      assert.deepEqual(tensors.get('d.weight')!.data, Float32Array.from([0.1, 1e-30]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains corrupt files', () => {
    const good = encodeSafetensors(sample());
    const expectError = (bytes: Uint8Array, re: RegExp) => assert.throws(() => decodeSafetensors(bytes), (e: unknown) => e instanceof SafetensorsError && re.test(e.message));
    expectError(new Uint8Array(3), /3 bytes long, too short/);
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expectError(huge, /header claims 1099511627776 bytes/);
    expectError(good.subarray(0, good.length - 4), /tensor 'out.weight' ends at byte 48 of the data but the file holds 44; the file is truncated/);
    const notJson = good.slice();
    notJson[8] = 0x78; // 'x' instead of '{'
    expectError(notJson, /header is not valid JSON/);
    const text = (h: object) => {
      const j = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + j.length + 8);
      new DataView(out.buffer).setBigUint64(0, BigInt(j.length), true);
      out.set(j, 8);
      return out;
    };
    expectError(text({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }), /tensor 'a' has dtype "I64"; only F32, F64, F16 and BF16/);
    expectError(text({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), /shape \[3\] \(12 bytes as F32\) but data_offsets span 8 bytes/);
    expectError(text({ __metadata__: { a: 1 } }), /__metadata__ entry 'a' is not a string/);
    expectError(text({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }),
      /tensor 'b' starts at byte 4 of the data but the previous tensor ends at 8; the header's data_offsets overlap or leave a gap/);
    expectError(text({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }), /the tensors cover 4 bytes of data but the file holds 8/);
    const padded = new Uint8Array(good.length + 4);
    padded.set(good);
    expectError(padded, /cover 48 bytes of data but the file holds 52/);
  });

  it('reads F16 and BF16 tensors as float32', () => {
    const h = new TextEncoder().encode(JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] }, b: { dtype: 'BF16', shape: [1], data_offsets: [6, 8] },
    }));
    const out = new Uint8Array(8 + h.length + 8);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    const d = 8 + h.length;
    v.setUint16(d, 0x3c00, true); // 1
    v.setUint16(d + 2, 0xc000, true); // -2
    v.setUint16(d + 4, 0x0001, true); // smallest subnormal 2^-24
    v.setUint16(d + 6, 0x3fc0, true); // bf16 1.5
    const t = decodeSafetensors(out).tensors;
    assert.deepEqual(Array.from(t.get('h')!.data), [1, -2, Math.fround(2 ** -24)]);
    assert.deepEqual(Array.from(t.get('b')!.data), [1.5]);
  });

  it('refuses to encode a tensor whose data does not fit its shape', () => {
    assert.throws(() => encodeSafetensors(new Map([['x', { shape: [2, 2], data: new Float32Array(3) }]])), /shape \[2, 2\] \(4 values\) but 3 values/);
  });

  it('weightsPathFor puts name.weights.safetensors beside name.nn', () => {
    assert.equal(weightsPathFor('/a/b/spiral.nn'), '/a/b/spiral.weights.safetensors');
    assert.equal(weightsPathFor('c:\\x\\net.nn'), 'c:\\x\\net.weights.safetensors');
  });

  it('writeWeightsFile/readWeightsFile round-trip on disk; a missing file says to train first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-wf-'));
    try {
      const file = weightsPathFor(path.join(dir, 'net.nn'));
      await writeWeightsFile(file, sample(), { k: 'v' });
      assert.deepEqual(fs.readdirSync(dir), ['net.weights.safetensors']); // no temporary file left behind
      const back = await readWeightsFile(file);
      assert.deepEqual(back.tensors.get('h1.bias'), sample().get('h1.bias'));
      assert.deepEqual(back.metadata, { k: 'v' });
      await assert.rejects(readWeightsFile(path.join(dir, 'none.weights.safetensors')), /none.weights.safetensors: no weights file; train the network first/);
      fs.writeFileSync(file, 'junk');
      await assert.rejects(readWeightsFile(file), /net.weights.safetensors: the file is 4 bytes long, too short to be safetensors.*Delete it and train again/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
