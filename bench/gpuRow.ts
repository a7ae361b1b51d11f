/**
 * Whether the bench can measure its GPU row: ours through train() on WebGPU against PyTorch on
 * CUDA (issue 15's "WebGPU ≥ 0.5× PyTorch CUDA on wide"). That needs a hardware adapter — Mesa's
 * software OpenGL ES route says nothing about GPUs — and a PyTorch that sees a CUDA device.
 */
import { acquireGpu, releaseGpu } from '../src/engine/webgpu/gpuDevice';
import { pytorchCudaUnavailable } from './peers/pytorch';

/** Why the GPU row cannot be measured here, or undefined when it can. */
export async function gpuRowUnavailable(): Promise<string | undefined> {
  let adapter: string;
  try {
    const ctx = await acquireGpu();
    adapter = ctx.report.name;
    if (ctx.report.software) return `the only WebGPU adapter is a software one (${adapter})`;
  } catch (e) {
    return `no WebGPU adapter (${(e as Error).message})`;
  } finally {
    await releaseGpu();
  }
  const noCuda = pytorchCudaUnavailable();
  return noCuda ? `${noCuda} (WebGPU adapter: ${adapter})` : undefined;
}
