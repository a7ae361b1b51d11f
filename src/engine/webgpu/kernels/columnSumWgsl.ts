// Column sums of a tall row-major matrix (rows = batch·h·w, cols = channels) in two passes that
// keep a GPU busy: the rows are cut into chunks, one workgroup per (column block, chunk) sums
// its chunk into a partial, and a second pass adds each column's partials. Within a workgroup
// consecutive invocations take consecutive columns of one row, so loads are coalesced, and the
// row lanes are added in a tree. The bias gradient of a convolution (43,264 rows × 32 columns for
// a batch of 64 MNIST images) and the batch-norm statistics run on it.
import type { Runnable } from '../../backend';
import { gridFor, WORKGROUP_SIZE, type GpuBuffer, type GpuRuntime } from '../gpuRuntime';
import { mapWgsl } from './mapWgsl';
import { scratch } from './scratch';

/** How a rows×cols column sum is cut up. */
export interface ColumnPlan {
  rows: number;
  cols: number;
  /** Column lanes per workgroup (a power of two ≤ 64) and row lanes (64 / colLanes). */
  colLanes: number;
  rowLanes: number;
  /** Row chunks (one workgroup row each) and the rows in each. */
  chunks: number;
  chunkRows: number;
}

/** Most chunks a column is cut into (the second pass adds this many partials per column). */
const MAX_CHUNKS = 256;
/** Fewest rows each invocation adds up before a chunk is worth splitting off. */
const MIN_PER_LANE = 16;

export function columnPlan(rows: number, cols: number): ColumnPlan {
  let colLanes = 1;
  while (colLanes < cols && colLanes < 32) colLanes *= 2;
  const rowLanes = WORKGROUP_SIZE / colLanes;
  const chunks = Math.max(1, Math.min(MAX_CHUNKS, Math.floor(rows / (rowLanes * MIN_PER_LANE))));
  const chunkRows = Math.ceil(rows / chunks);
  return { rows, cols, colLanes, rowLanes, chunks: Math.ceil(rows / chunkRows), chunkRows };
}

/** Workgroups of the partial pass: X over column blocks, Y over chunks. */
export function columnPartialsGrid(p: ColumnPlan): [number, number] {
  return [Math.ceil(p.cols / p.colLanes), p.chunks];
}

/** Floats of partials a plan writes. */
export const partialsSize = (p: ColumnPlan): number => p.chunks * p.cols;

/**
 * The partial pass: P[base + chunk·COLS + c] = Σ over the chunk's rows r of `value` (a WGSL
 * expression of r and c). `bindings` declares the buffers, the partials' `buf` (default P)
 * among them, read_write; `setup` runs once per column before the sum (it may name values).
 */
export function columnPartialsWgsl(name: string, p: ColumnPlan, bindings: string, value: string, base: string, buf = 'P', setup = ''): string {
  return `// ${name} column partials ${p.rows}x${p.cols} in ${p.chunks} chunks of ${p.chunkRows}, ${p.colLanes} column lanes
${bindings}
const ROWS = ${p.rows}u;
const COLS = ${p.cols}u;
const CW = ${p.colLanes}u;
const RL = ${p.rowLanes}u;
const CHUNK = ${p.chunkRows}u;
var<workgroup> part: array<f32, ${WORKGROUP_SIZE}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let lane = t % CW;
  let rl = t / CW;
  let c = wg.x * CW + lane;
  let r0 = wg.y * CHUNK;
  let r1 = min(ROWS, r0 + CHUNK);
  var s = 0.0;
  if (c < COLS) {
    ${setup}
    for (var r = r0 + rl; r < r1; r = r + RL) { s = s + ${value}; }
  }
  part[t] = s;
  workgroupBarrier();
  for (var half = RL / 2u; half > 0u; half = half / 2u) {
    if (rl < half) { part[t] = part[t] + part[t + half * CW]; }
    workgroupBarrier();
  }
  // Row lane 0 reads back only the cell it wrote last: no other invocation's write to wait for.
  if (rl == 0u && c < COLS) { ${buf}[${base} + wg.y * COLS + c] = part[t]; }
}
`;
}

/** WGSL statements that set `total` to column c's sum of the partials at `base` in `buf`. */
export function columnTotal(p: ColumnPlan, base: string, total = 'total', buf = 'P'): string {
  return `var ${total} = 0.0;
  for (var k = 0u; k < ${p.chunks}u; k = k + 1u) { ${total} = ${total} + ${buf}[${base} + k * ${p.cols}u + c]; }`;
}

/** Rows from which biasGrad takes the two-pass column sum instead of one invocation per column. */
export const TALL_ROWS = 1024;

/**
 * db (=|+=) Σ_rows dY in two passes through the runtime's scratch (partials, then totals): for
 * tall inputs, where one invocation per column would walk every row alone.
 */
export function tallBiasGrad(rt: GpuRuntime, dy: GpuBuffer, db: GpuBuffer, rows: number, cols: number, accumulate: boolean): Runnable {
  const p = columnPlan(rows, cols);
  const partials = columnPartialsWgsl('biasGrad', p, `@group(0) @binding(0) var<storage, read> DY: array<f32>;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;`, 'DY[r * COLS + c]', '0u');
  const total = mapWgsl({
    name: `biasGrad total of ${p.chunks} partials${accumulate ? ' accumulate' : ''}`, size: cols, inputs: [], outputs: ['P', 'DB'],
    body: `let c = i;\n  ${columnTotal(p, '0u')}\n  DB[c] = ${accumulate ? 'DB[c] + total' : 'total'};`,
  });
  const s = scratch(rt, partialsSize(p));
  const [g1, g2] = [columnPartialsGrid(p), gridFor(cols)];
  rt.pipeline(partials);
  rt.pipeline(total);
  return () => {
    rt.dispatch(partials, [dy, s], g1);
    rt.dispatch(total, [s, db], g2);
  };
}
