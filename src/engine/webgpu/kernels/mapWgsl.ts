// The one template every element-wise kernel is written in: one invocation per element, named
// read-only inputs, read-write outputs, an optional uniform of per-step scalars, and a body that
// sees the index `i`. Sizes and attributes are baked in as constants, so equal shapes share one
// compiled pipeline and the step loop passes no parameters.
import { WORKGROUP_SIZE } from '../gpuRuntime';

/** What an element-wise kernel needs to know to be generated. */
export interface MapKernel {
  /** Comment naming the op (makes the shader text, hence the cache key, self-describing). */
  name: string;
  /** Elements to visit (one invocation each). */
  size: number;
  /** Read-only storage buffers, bound first (binding 0…). */
  inputs: string[];
  /** Read-write storage buffers, bound after the inputs. */
  outputs: string[];
  /** A uniform struct's fields (e.g. "step: u32"), bound last as `U`. */
  uniform?: string[];
  /** Extra WGSL at module scope (constants, helper functions). */
  prelude?: string;
  /** Statements run for each element index `i` (a u32 below SIZE). */
  body: string;
}

/** Generates the WGSL module of an element-wise kernel. */
export function mapWgsl(k: MapKernel): string {
  const lines: string[] = [`// ${k.name} size ${k.size}`];
  let binding = 0;
  for (const name of k.inputs) lines.push(`@group(0) @binding(${binding++}) var<storage, read> ${name}: array<f32>;`);
  for (const name of k.outputs) lines.push(`@group(0) @binding(${binding++}) var<storage, read_write> ${name}: array<f32>;`);
  if (k.uniform) {
    lines.push(`struct Uniforms { ${k.uniform.join(', ')} }`);
    lines.push(`@group(0) @binding(${binding++}) var<uniform> U: Uniforms;`);
  }
  lines.push(`const SIZE = ${k.size}u;`);
  if (k.prelude) lines.push(k.prelude);
  lines.push(`@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP_SIZE}u;
  if (i >= SIZE) { return; }
  ${k.body}
}
`);
  return lines.join('\n');
}

/** A WGSL f32 literal for a JS number (always with a decimal point or exponent, never NaN). */
export function f32(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`kernel constant must be finite, got ${v}`);
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * WGSL helpers shared by activation and loss kernels. Written out by hand because WGSL has no
 * expm1/log1p, and because some drivers return NaN from exp/tanh at extreme arguments.
 */
export const MATH_WGSL = `
fn sigmoid_(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn tanh_(x: f32) -> f32 {
  // tanh(±15) rounds to ±1 in float32; clamping keeps drivers that compute tanh via exp finite.
  return tanh(clamp(x, -15.0, 15.0));
}
fn expm1_(x: f32) -> f32 {
  // exp(x) − 1 cancels for small |x|; the cubic Taylor polynomial is exact to float32 there.
  if (abs(x) < 1e-3) { return x + x * x * 0.5 + x * x * x * (1.0 / 6.0); }
  return exp(x) - 1.0;
}
fn log1p_(x: f32) -> f32 {
  // Goldberg's trick: log(u) · x / (u − 1) with u = 1 + x recovers the bits lost in rounding u.
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn sign_(x: f32) -> f32 {
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}
`;
