// One scratch buffer per runtime, shared by every kernel that needs temporary storage between
// its passes (batch-norm statistics, partial sums): each such kernel fills the part it reads
// within its own Runnable, and a step's dispatches run in order, so no two uses overlap.
import type { GpuBuffer, GpuRuntime } from '../gpuRuntime';

const scratchByRuntime = new WeakMap<GpuRuntime, GpuBuffer>();

/**
 * A scratch buffer of at least `floats` elements. A larger need makes a new one (at least twice
 * the old); runnables prepared earlier keep the one they were given.
 */
export function scratch(rt: GpuRuntime, floats: number): GpuBuffer {
  const have = scratchByRuntime.get(rt);
  if (have && have.length >= floats) return have;
  const grown = Math.min(Math.max(floats, 2 * (have?.length ?? 0)), Math.floor(rt.ctx.maxBufferBytes / 4));
  const b = rt.createBuffer(Math.max(floats, grown), 'scratch of the multi-pass kernels');
  scratchByRuntime.set(rt, b);
  return b;
}
