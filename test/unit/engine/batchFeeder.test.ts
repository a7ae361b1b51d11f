/** A mini-batch's rows land in the staging arrays in the epoch's order, whatever their width, shuffled or not. */
import * as assert from 'node:assert/strict';
import { gatherRows, type Feeder } from '../../../src/engine/batchFeeder';
import type { Dataset } from '../../../src/engine/data/dataset';
import type { TrainProgram } from '../../../src/engine/session';

/** Rows of `inputs` features (two inputs: the first `split` of them, then the rest) and `outputs` targets, every value distinct. */
function setup(rows: number, inputs: number, split: number, outputs: number, batch: number): { data: Dataset; f: Feeder } {
  const x = new Float32Array(rows * inputs).map((_, i) => i + 0.5);
  const y = new Float32Array(rows * outputs).map((_, i) => -i - 0.25);
  const data = { x, y, count: rows, inputSize: inputs, outputSize: outputs, featureNames: [], labelNames: [], task: 'regression' } as Dataset;
  const f: Feeder = { tp: { batch } as TrainProgram, xs: [new Float32Array(batch * split), new Float32Array(batch * (inputs - split))], y: new Float32Array(batch * outputs), offsets: [0, split], direct: true };
  return { data, f };
}

/** What the batch should hold: row by row, each input's slice and the targets. */
function expected(data: Dataset, rowsTaken: number[], split: number): { a: number[]; b: number[]; y: number[] } {
  const a: number[] = [], b: number[] = [], y: number[] = [];
  for (const r of rowsTaken) {
    const row = Array.from(data.x.subarray(r * data.inputSize, (r + 1) * data.inputSize));
    a.push(...row.slice(0, split));
    b.push(...row.slice(split));
    y.push(...Array.from(data.y.subarray(r * data.outputSize, (r + 1) * data.outputSize)));
  }
  return { a, b, y };
}

describe('gathering a mini-batch', () => {
  for (const [inputs, split, outputs] of [[3, 1, 1], [200, 130, 10]]) {
    it(`rows of ${inputs} features (two inputs) and ${outputs} target(s): in file order and shuffled`, () => {
      const rows = 11, batch = 4;
      const { data, f } = setup(rows, inputs, split, outputs, batch);
      const identity = Uint32Array.from({ length: rows }, (_, i) => i);
      // Rows 3 … 6 follow one another inside the shuffled order too.
      const shuffled = Uint32Array.from([7, 2, 9, 3, 4, 5, 6, 10, 1, 8, 0]);
      for (const [order, start] of [[identity, 0], [identity, 4], [shuffled, 0], [shuffled, 3], [shuffled, 4]] as Array<[Uint32Array, number]>) {
        gatherRows(data, order, start, f);
        const want = expected(data, Array.from(order.subarray(start, start + batch)), split);
        assert.deepEqual(Array.from(f.xs[0]), want.a, `first input, rows from ${start}`);
        assert.deepEqual(Array.from(f.xs[1]), want.b, `second input, rows from ${start}`);
        assert.deepEqual(Array.from(f.y), want.y, `targets, rows from ${start}`);
        if (order !== identity) continue;
        // An epoch not shuffled: the caller says so, and the same rows land without the order being read.
        f.xs[0].fill(0); f.xs[1].fill(0); f.y.fill(0);
        gatherRows(data, new Uint32Array(rows), start, f, true);
        assert.deepEqual([Array.from(f.xs[0]), Array.from(f.xs[1]), Array.from(f.y)], [want.a, want.b, want.y], `in order, rows from ${start}`);
      }
    });
  }
});
