// Row-wise and column-wise templates: softmax and its backward walk one row per invocation;
// the bias gradient walks one column per invocation (consecutive invocations read consecutive
// addresses, so the reduction over rows stays coalesced).
import { WORKGROUP_SIZE } from '../gpuRuntime';

/** A kernel with one invocation per row (`o` is the row's first element) or per column. */
export interface RowKernel {
  name: string;
  rows: number;
  cols: number;
  inputs: string[];
  outputs: string[];
  /** Statements for one row; sees `r` (row) and `o` (= r·COLS). */
  body: string;
  /** 'row' (default): one invocation per row; 'col': one per column, the body sees `c`. */
  per?: 'row' | 'col';
}

/** Number of invocations a row kernel launches. */
export function rowInvocations(k: Pick<RowKernel, 'rows' | 'cols' | 'per'>): number {
  return k.per === 'col' ? k.cols : k.rows;
}

/** Generates the WGSL module of a row (or column) kernel. */
export function rowWgsl(k: RowKernel): string {
  const lines: string[] = [`// ${k.name} ${k.rows}x${k.cols} per ${k.per ?? 'row'}`];
  let binding = 0;
  for (const name of k.inputs) lines.push(`@group(0) @binding(${binding++}) var<storage, read> ${name}: array<f32>;`);
  for (const name of k.outputs) lines.push(`@group(0) @binding(${binding++}) var<storage, read_write> ${name}: array<f32>;`);
  lines.push(`const ROWS = ${k.rows}u;`, `const COLS = ${k.cols}u;`);
  const index = k.per === 'col' ? `let c = idx;\n  if (c >= COLS) { return; }` : `let r = idx;\n  if (r >= ROWS) { return; }\n  let o = r * COLS;`;
  lines.push(`@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * ${WORKGROUP_SIZE}u;
  ${index}
  ${k.body}
}
`);
  return lines.join('\n');
}

/** WGSL for db (=|+=) Σ_rows dY. Bindings: 0 = dY, 1 = db. */
export function biasGradWgsl(rows: number, cols: number, accumulate: boolean): string {
  return rowWgsl({
    name: `biasGrad${accumulate ? ' accumulate' : ''}`, rows, cols, per: 'col', inputs: ['DY'], outputs: ['DB'],
    body: `var s = 0.0;
  for (var r = 0u; r < ROWS; r = r + 1u) { s = s + DY[r * COLS + c]; }
  DB[c] = ${accumulate ? 'DB[c] + s' : 's'};`,
  });
}
