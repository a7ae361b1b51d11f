import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsvData, splitData, type Dataset } from '../../../../src/engine/data';
import { cellNumber, NUMBER } from '../../../../src/engine/data/csvTable';
import { decodeSafetensors, encodeSafetensors, type WeightMap } from '../../../../src/engine/weights';

/** Any float32 value, NaN and ±Infinity included (weights files must carry them bit for bit). */
const float32 = fc.float({ noDefaultInfinity: false, noNaN: false });

describe('data and weights properties (fast-check)', () => {
  it('safetensors: decode(encode(m)) === m for any tensors and metadata', () => {
    const tensor = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }).chain((shape) =>
      fc.array(float32, { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
        .map((values) => ({ shape, data: Float32Array.from(values) })));
    const names = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '__metadata__'), { maxLength: 5 });
    fc.assert(fc.property(names.chain((ns) => fc.tuple(fc.constant(ns), fc.array(tensor, { minLength: ns.length, maxLength: ns.length }))),
      fc.dictionary(fc.string(), fc.string()), ([ns, ts], metadata) => {
        const m: WeightMap = new Map(ns.map((n, i) => [n, ts[i]]));
        const back = decodeSafetensors(encodeSafetensors(m, metadata));
        assert.deepEqual([...back.tensors.keys()].sort(), [...ns].sort());
        // Order is the write order; empty tensors occupy no bytes, so only non-empty ones have a place in it.
        const nonEmpty = (keys: string[]) => keys.filter((k) => m.get(k)!.data.length > 0);
        assert.deepEqual(nonEmpty([...back.tensors.keys()]), nonEmpty(ns));
        for (const [k, v] of m) {
          assert.deepEqual(back.tensors.get(k)!.shape, v.shape);
          assert.deepEqual(new Uint32Array(back.tensors.get(k)!.data.buffer), new Uint32Array(v.data.buffer)); // bit for bit
        }
        assert.deepEqual(back.metadata, Object.keys(metadata).length ? { ...metadata } : {});
      }), { numRuns: 150 });
  });

  it('splitData: train and validation partition the rows, whatever the split and seed', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 60 }), fc.double({ min: 0, max: 0.95, noNaN: true }), fc.integer(), fc.boolean(), (n, split, seed, shuffle) => {
      const ds: Dataset = {
        x: Float32Array.from({ length: n }, (_, i) => i), y: Float32Array.from({ length: n }, (_, i) => i),
        count: n, inputSize: 1, outputSize: 1, featureNames: ['i'], labelNames: ['i'], task: 'regression',
      };
      const { train, validation } = splitData(ds, split, { seed, shuffle });
      const all = [...train.y, ...(validation?.y ?? [])].sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: n }, (_, i) => i));
      assert.deepEqual(train.x, train.y);
      assert.ok(train.count >= 1);
    }), { numRuns: 200 });
  });

  it('CSV: any table of numbers reads back as written (last column the label)', () => {
    const cell = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => Math.fround(v) + 0); // + 0: String(-0) is "0"
    fc.assert(fc.property(fc.integer({ min: 2, max: 5 }).chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 20 })), (rows) => {
      const cols = rows[0].length;
      const header = Array.from({ length: cols }, (_, j) => `c${j}`);
      const text = [header.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n');
      const ds = parseCsvData(text, 'p.csv', {});
      assert.equal(ds.count, rows.length);
      assert.deepEqual(Array.from(ds.x), rows.flatMap((r) => r.slice(0, -1)));
      assert.deepEqual(Array.from(ds.y), rows.map((r) => r[cols - 1]));
    }), { numRuns: 150 });
  });
});

describe('cellNumber', () => {
  it('accepts exactly what the NUMBER pattern accepts', () => {
    const samples = ['0', '-0', '+1', '1.', '.5', '-.5', '1e3', '1E-3', '2.5e+2', '', ' ', '0x10', '0X1f', '0b1', '0o7', 'Infinity', '-Infinity',
      'NaN', '1,5', '1.2.3', 'e5', '1e', '--1', '00', '007', '1_000', 'abc', '.', '+', '-', '+.e1', ' 1', '1 ', '\u00a01', '1\t'];
    for (const v of samples) assert.equal(!Number.isNaN(cellNumber(v)), NUMBER.test(v), `'${v}'`);
    fc.assert(fc.property(fc.stringMatching(/^[-+0-9.eExXbo \t]{0,8}$/), (v) => {
      assert.equal(!Number.isNaN(cellNumber(v)), NUMBER.test(v), `'${v}'`);
    }), { numRuns: 2000 });
  });
});
