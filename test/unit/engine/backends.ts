/**
 * The backends every engine conformance test runs on. Each entry creates a fresh backend, or
 * returns undefined when it is unavailable and skipping was explicitly allowed (see unavailable).
 */
import type { Backend } from '../../../src/engine/backend';
import * as v8 from 'node:v8';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
import { forceRelaxedSimd, relaxedSimd, relaxedSimdSupported } from '../../../src/engine/cpu/relaxedSimd';
import { GpuUnavailableError } from '../../../src/engine/webgpu/gpuDevice';
import { createWebGpuBackend } from '../../../src/engine/webgpu/webgpuBackend';

/** A backend the conformance suite exercises. */
export interface BackendUnderTest {
  name: string;
  create(): Promise<Backend | undefined>;
}

/**
 * For a backend that cannot start: in CI (CI=true) or without an explicit opt-out this throws
 * (so the suite FAILS with the install hint); with NN_SKIP_<NAME>=1 it prints a loud notice and
 * returns undefined, and the tests for that backend are skipped.
 */
export function unavailable(name: string, hint: string): undefined {
  const optOut = `NN_SKIP_${name.toUpperCase()}`;
  if (process.env.CI !== 'true' && process.env[optOut] === '1') {
    process.stderr.write(`\n*** ${name} backend SKIPPED (${optOut}=1): ${hint} ***\n\n`);
    return undefined;
  }
  throw new Error(`the ${name} backend is unavailable: ${hint} (set ${optOut}=1 to skip locally; never in CI)`);
}

/** Every backend under test; the WebGPU backend adds itself here. */
export const backendsUnderTest: BackendUnderTest[] = [
  { name: 'cpu', create: async () => new CpuBackend() },
  {
    name: 'webgpu',
    create: async () => {
      // Mesa's EGL needs a display-less platform on CI machines; gpuDevice sets it too.
      process.env.EGL_PLATFORM ??= 'surfaceless';
      try {
        return await createWebGpuBackend();
      } catch (e) {
        if (e instanceof GpuUnavailableError) return unavailable('webgpu', e.message);
        throw e;
      }
    },
  },
];

/**
 * Puts the CPU's SIMD kernels on one path: fused multiply-adds (relaxed SIMD; on Node 20 its V8
 * flag is turned on for this process, as VS Code's extension host has it on) or multiply then add.
 * Returns false when the fused path cannot run here. undo() goes back to detection as it was.
 */
export function useRelaxedSimd(on: boolean): boolean {
  relaxedSimd(); // detect before any flag changes, so the rest of the process sees what it would have
  if (on && !relaxedSimdSupported()) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (on && !relaxedSimdSupported()) return false;
  forceRelaxedSimd(on);
  return true;
}

/** Goes back to the detected choice after useRelaxedSimd. */
export function undoRelaxedSimd(): void {
  forceRelaxedSimd(undefined);
}

/** A CPU backend that keeps its SIMD path until disposed. */
class CpuPathBackend extends CpuBackend {
  override dispose(): void {
    super.dispose();
    undoRelaxedSimd();
  }
}

/**
 * The CPU backend on each SIMD path, both always checked (whichever the runtime would pick):
 * fused multiply-adds, and the multiply-then-add fallback.
 */
export const cpuSimdPaths: BackendUnderTest[] = [
  {
    name: 'cpu (relaxed SIMD fused multiply-add)',
    create: async () => {
      if (useRelaxedSimd(true)) return new CpuPathBackend();
      process.stderr.write('\n*** cpu relaxed SIMD path SKIPPED: this runtime has no relaxed SIMD, even behind its flag ***\n\n');
      return undefined;
    },
  },
  { name: 'cpu (multiply then add)', create: async () => (useRelaxedSimd(false), new CpuPathBackend()) },
];
