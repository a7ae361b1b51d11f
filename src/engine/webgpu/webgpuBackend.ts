/**
 * The WebGPU backend: float32 storage buffers on the process's Dawn device and the WGSL kernels
 * of webgpuKernels.ts. A Program step is recorded into one compute pass and sent as one
 * submission (endStep); reads copy into staging buffers and wait only for that work.
 */
import type { Backend, BufferHandle, KernelRegistry, Runnable } from '../backend';
import { acquireGpu, type GpuAdapterReport, type GpuContext } from './gpuDevice';
import { gridFor, GpuRuntime } from './gpuRuntime';
import { mapWgsl } from './kernels/mapWgsl';
import { gpuData, makeWebGpuKernels, WebGpuBuffer } from './webgpuKernels';

/** Runs every op as WGSL compute kernels on a WebGPU device. */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly kernels: KernelRegistry;
  /** Exposed for tests and benchmarks: dispatch/submit counters and the pipeline cache. */
  readonly runtime: GpuRuntime;
  private disposed = false;

  constructor(ctx: GpuContext) {
    this.runtime = new GpuRuntime(ctx);
    this.kernels = makeWebGpuKernels(this.runtime);
  }

  /** Which adapter this backend runs on, and why it was chosen. */
  get adapter(): GpuAdapterReport {
    return this.runtime.ctx.report;
  }

  createBuffer(size: number, label: string): BufferHandle {
    return new WebGpuBuffer(this.runtime.createBuffer(size, label), label);
  }

  write(buf: BufferHandle, data: Float32Array, offset = 0): void {
    const b = gpuData(buf);
    if (offset + data.length > b.length) {
      throw new Error(`write of ${data.length} values at ${offset} overflows buffer '${buf.label}' of ${b.length}`);
    }
    this.runtime.upload(b, data, offset);
  }

  read(buf: BufferHandle): Promise<Float32Array> {
    return this.runtime.read(gpuData(buf));
  }

  readLater(buf: BufferHandle): Promise<Float32Array> {
    // The copy is recorded now and travels with the next submission: no extra round trip.
    return this.runtime.requestRead(gpuData(buf));
  }

  watchFinite(bufs: BufferHandle[]): { flag: BufferHandle; record: Runnable } {
    const flag = this.createBuffer(1, 'nonFiniteFlag');
    const flagGpu = gpuData(flag);
    const parts = bufs.filter((b) => b.size > 0).map((b) => {
      // NaN/Inf by their bits (exponent all ones): compilers may assume float comparisons never see NaN.
      const wgsl = mapWgsl({ name: 'nonFiniteFlag', size: b.size, inputs: ['P'], outputs: ['F'], body: 'if ((bitcast<u32>(P[i]) & 0x7f800000u) == 0x7f800000u) { F[0] = 1.0; }' });
      this.runtime.pipeline(wgsl);
      const bindings = [gpuData(b), flagGpu];
      const grid = gridFor(b.size);
      return () => this.runtime.dispatch(wgsl, bindings, grid);
    });
    return { flag, record: () => { for (const r of parts) r(); } };
  }

  beginStep(): void {
    // The encoder opens lazily at the first dispatch; nothing to do before it.
  }

  endStep(): void {
    this.runtime.submit();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runtime.dispose();
  }
}

/** Opens (or reuses) the process's GPU device and returns a fresh backend on it. */
export async function createWebGpuBackend(): Promise<WebGpuBackend> {
  return new WebGpuBackend(await acquireGpu());
}
