/**
 * Whether the SIMD kernels may use relaxed SIMD's fused multiply-add (f32x4.relaxed_madd): one
 * instruction and one rounding instead of a multiply and an add, about 1.4× the matmul's speed
 * where the runtime has it (VS Code's extension host and Node ≥ 22 do; Node 20 only behind
 * --experimental-wasm-relaxed-simd). Detected by validating a one-instruction module; anything
 * else (no WebAssembly, a validator that says no or throws) falls back to multiply then add.
 *
 * NN_RELAXED_SIMD=0 forces the fallback (to compare both paths, or if a runtime's FMA misbehaves).
 */
import { fmadd4, moduleBytes } from './wasmBytes';

/** A module with one function (v128, v128, v128) → v128 returning relaxed_madd of its arguments. */
export function relaxedSimdProbe(): Uint8Array {
  const body = [0, 0x20, 0, 0x20, 1, 0x20, 2, ...fmadd4(), 0x0b];
  return moduleBytes([[0x60, 3, 0x7b, 0x7b, 0x7b, 1, 0x7b]], [0], ['madd'], [[body.length, ...body]]);
}

type Validate = (bytes: Uint8Array) => boolean;

const runtimeValidate: Validate | undefined = (() => {
  const api = (globalThis as unknown as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
  return api ? (b) => api.validate(b) : undefined;
})();

/** Whether `validate` (the runtime's WebAssembly.validate by default) accepts relaxed SIMD's multiply-add. */
export function relaxedSimdSupported(validate: Validate | undefined = runtimeValidate): boolean {
  if (!validate) return false;
  try {
    return validate(relaxedSimdProbe()) === true;
  } catch {
    return false;
  }
}

let detected: boolean | undefined;
let forced: boolean | undefined;

/**
 * For tests that check both paths in one process: `false` forces multiply-then-add, `true` the
 * fused kernels (only where relaxedSimdSupported() says yes), `undefined` goes back to detection.
 * The next product uses the choice.
 */
export function forceRelaxedSimd(use: boolean | undefined): void {
  forced = use;
}

/** Whether the kernels use the fused multiply-add now (detected once; NN_RELAXED_SIMD=0 says no). */
export function relaxedSimd(): boolean {
  if (forced !== undefined) return forced;
  if (process.env.NN_RELAXED_SIMD === '0') return false;
  detected ??= relaxedSimdSupported();
  return detected;
}
