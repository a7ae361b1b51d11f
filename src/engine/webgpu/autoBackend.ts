/**
 * `--backend auto|webgpu` for the WebGPU side: decides whether a network is worth a GPU, and
 * registers that decision with the engine's backend selection (selectBackend.ts). Dawn is only
 * loaded when the answer could be "yes", so small networks never pay its start-up or its noise.
 */
import { CpuBackend } from '../cpu/cpuBackend';
import { registerGpuPicker, workPerSample, type GpuPicker, type PickedBackend, type Workload } from '../selectBackend';
import { acquireGpu, gpuDeviceNodes, GpuUnavailableError, type GpuAdapterReport } from './gpuDevice';
import { WebGpuBackend } from './webgpuBackend';

/**
 * Parameters × batch below which the CPU wins even against a real GPU. A training step costs
 * about 6·params·batch flops. Measured on the 2-core build machine (npm run bench): our CPU
 * backend sustains ~5–8 GFLOP/s (mnist-like 8,240 samples/s ≈ 5.4 GFLOP/s; wide 612 ≈ 7.7).
 * A WebGPU step pays a fixed host cost — recording 20–30 dispatches, one submission, and a
 * completion round trip — of a few hundred µs through Dawn on a hardware GPU (an estimate: no
 * hardware GPU was at hand when this was set; on Mesa the same fixed cost measured 1.7–2.6 ms).
 * In 0.5 ms the CPU does ~3 Mflop, i.e. params·batch ≈ 5·10⁵; 10⁶ leaves a margin of two.
 */
export const GPU_MIN_WORK = 1_000_000;

/** What `auto` decided, in words a user sees in the 'start' event and `nn train` output. */
export interface AutoDecision {
  backend: 'cpu' | 'webgpu';
  reason: string;
}

/** Pure decision from the workload and the adapter (undefined: none found, or not probed). */
export function decideBackend(workload: Workload, adapter: GpuAdapterReport | undefined, probeError?: string): AutoDecision {
  const work = workPerSample(workload) * workload.batch;
  // An image network is weighed by its multiply-adds (see Workload), and says so.
  const size = workPerSample(workload) > workload.params
    ? `${workload.params.toLocaleString('en-US')} parameters, ${workPerSample(workload).toLocaleString('en-US')} multiply-adds per sample × batch ${workload.batch}`
    : `${workload.params.toLocaleString('en-US')} parameters × batch ${workload.batch}`;
  if (work < GPU_MIN_WORK) {
    return { backend: 'cpu', reason: `auto: the CPU is faster for this network (${size} is below the ${GPU_MIN_WORK.toLocaleString('en-US')} where a GPU starts to pay)` };
  }
  if (!adapter) return { backend: 'cpu', reason: `auto: no WebGPU adapter${probeError ? ` (${probeError})` : ''}, using the CPU` };
  if (adapter.software) {
    return { backend: 'cpu', reason: `auto: the only WebGPU adapter is a software renderer (${adapter.name}), slower than the CPU backend; using the CPU` };
  }
  return { backend: 'webgpu', reason: `auto: WebGPU on ${adapter.name} (${size} is large enough to gain from a GPU)` };
}

/** The picker selectBackend calls for `auto` and `webgpu`. */
export const webGpuPicker: GpuPicker = async (choice, workload): Promise<PickedBackend | undefined> => {
  if (choice === 'webgpu') {
    const ctx = await acquireGpu(); // throws GpuUnavailableError with the install hint
    const slow = ctx.report.software ? ' — a software adapter: expect it to be slower than --backend cpu' : '';
    return { backend: new WebGpuBackend(ctx), reason: `webgpu requested: ${ctx.report.reason}${slow}` };
  }
  const small = decideBackend(workload, undefined);
  if (workPerSample(workload) * workload.batch < GPU_MIN_WORK) return { backend: new CpuBackend(), reason: small.reason };
  if (gpuDeviceNodes()?.length === 0) {
    return { backend: new CpuBackend(), reason: 'auto: this machine has no GPU device (no /dev/dri render node, /dev/nvidia* or /dev/dxg), and WebGPU emulated on the CPU is slower than the CPU backend; using the CPU' };
  }
  let report: GpuAdapterReport | undefined;
  let problem: string | undefined;
  try {
    report = (await acquireGpu()).report;
  } catch (e) {
    if (!(e instanceof GpuUnavailableError)) throw e;
    problem = e.message;
  }
  const d = decideBackend(workload, report, problem);
  if (d.backend === 'webgpu') return { backend: new WebGpuBackend(await acquireGpu()), reason: d.reason };
  return { backend: new CpuBackend(), reason: d.reason };
};

let registered = false;

/** Makes `webgpu` (and a GPU-aware `auto`) selectable; idempotent. */
export function registerWebGpu(): void {
  if (registered) return;
  registered = true;
  registerGpuPicker(webGpuPicker);
}
