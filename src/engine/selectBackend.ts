/**
 * Backend selection for `--backend auto|cpu|webgpu`. The CPU backend is always here; the WebGPU
 * backend (src/engine/webgpu/, its own owner) registers a picker with `registerGpuPicker`, so the
 * core never loads Dawn unless asked and builds without it.
 */
import type { Backend } from './backend';
import { CpuBackend } from './cpu/cpuBackend';

/** What the user asked for. */
export type BackendChoice = 'auto' | 'cpu' | 'webgpu';

/** A backend and, in words, why it was picked (shown in the 'start' event and by `nn train`). */
export interface PickedBackend {
  backend: Backend;
  reason: string;
}

/** What auto selection weighs: the network's size and the batch. */
export interface Workload {
  params: number;
  batch: number;
  /**
   * Multiply-adds of one sample's forward pass, when known. A dense layer does one per weight,
   * but a conv layer reuses each kernel weight at every output position, so an image network
   * does far more work than its parameter count says; auto weighs the larger of the two.
   */
  multiplyAdds?: number;
}

/** The work auto selection weighs per sample: multiply-adds when known and larger than the parameter count. */
export function workPerSample(w: Workload): number {
  return Math.max(w.params, w.multiplyAdds ?? 0);
}

/**
 * The WebGPU side's picker. For 'webgpu' it returns the backend or throws a user-facing error
 * (no adapter: which packages to install); for 'auto' it returns undefined when the CPU is better.
 */
export type GpuPicker = (choice: 'auto' | 'webgpu', workload: Workload) => Promise<PickedBackend | undefined>;

let gpuPicker: GpuPicker | undefined;

/** Called once by the WebGPU backend module to make itself selectable. */
export function registerGpuPicker(picker: GpuPicker): void {
  gpuPicker = picker;
}

/** Picks the backend for a run. */
export async function pickBackend(choice: BackendChoice, workload: Workload): Promise<PickedBackend> {
  if (choice === 'cpu') return { backend: new CpuBackend(), reason: 'cpu requested' };
  if (choice === 'webgpu') {
    if (!gpuPicker) throw new Error('The WebGPU backend is not part of this build; use --backend cpu.');
    const picked = await gpuPicker('webgpu', workload);
    if (!picked) throw new Error('No WebGPU adapter is available; use --backend cpu.');
    return picked;
  }
  if (gpuPicker) {
    try {
      const picked = await gpuPicker('auto', workload);
      if (picked) return picked;
    } catch (e) {
      return { backend: new CpuBackend(), reason: `auto: WebGPU unavailable (${(e as Error).message}), using the CPU` };
    }
    return { backend: new CpuBackend(), reason: `auto: the CPU is faster for this network (${workload.params} parameters, batch ${workload.batch})` };
  }
  return { backend: new CpuBackend(), reason: 'auto: WebGPU is not available in this build, using the CPU' };
}
