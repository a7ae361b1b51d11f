/**
 * The backends every engine conformance test runs on. Each entry creates a fresh backend, or
 * returns undefined when it is unavailable and skipping was explicitly allowed (see unavailable).
 */
import type { Backend } from '../../../src/engine/backend';
import { CpuBackend } from '../../../src/engine/cpu/cpuBackend';
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
