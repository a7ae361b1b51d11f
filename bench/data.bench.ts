/**
 * Data-path figures: CSV parsing and encoding, and the safetensors codec on the wide workload's
 * weights. Prints its own figures (they are not training throughput, so no BenchResult rows).
 */
import { parseCsvData } from '../src/engine/data/csv';
import { Random } from '../src/engine/random';
import { decodeSafetensors, encodeSafetensors, type WeightMap } from '../src/engine/weights/safetensors';
import { initialParams, WORKLOADS } from './workloads';

/** Median seconds of `runs` calls of `f`. */
function seconds(f: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push((performance.now() - t) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** Prints CSV MB/s and rows/s, and safetensors encode/decode MB/s. */
export default function run(): void {
  const rng = new Random(7);
  const rows = 100_000;
  const lines = ['a,b,c,d,e,f,g,h,smoker,bp,label'];
  for (let r = 0; r < rows; r++) {
    const nums = Array.from({ length: 8 }, () => rng.normal().toFixed(4));
    lines.push(`${nums.join(',')},${rng.next() < 0.5 ? 'yes' : 'no'},${110 + rng.int(40)}/${70 + rng.int(25)},${rng.int(3)}`);
  }
  const text = lines.join('\n');
  const mb = text.length / 1e6;
  const csv = seconds(() => parseCsvData(text, 'bench.csv', { categorical: ['label'] }), 3);
  console.log(`  CSV          ${mb.toFixed(1)} MB, ${rows.toLocaleString('en-US')} rows × 11 columns (numbers, yes/no, 120/80, a class): ${(mb / csv).toFixed(1)} MB/s, ${Math.round(rows / csv).toLocaleString('en-US')} rows/s`);

  const wide = WORKLOADS.find((w) => w.name === 'wide')!;
  const weights: WeightMap = new Map();
  initialParams(wide).forEach((p, i) => {
    weights.set(`d${i + 1}.weight`, { shape: [wide.layers[i].units, p.weight.length / wide.layers[i].units], data: p.weight });
    weights.set(`d${i + 1}.bias`, { shape: [p.bias.length], data: p.bias });
  });
  let bytes: Uint8Array = new Uint8Array(0);
  const enc = seconds(() => (bytes = encodeSafetensors(weights)), 5);
  const dec = seconds(() => decodeSafetensors(bytes), 5);
  const size = bytes.length / 1e6;
  console.log(`  safetensors  ${size.toFixed(1)} MB (wide workload's weights): encode ${(size / enc).toFixed(0)} MB/s, decode ${(size / dec).toFixed(0)} MB/s`);
}
