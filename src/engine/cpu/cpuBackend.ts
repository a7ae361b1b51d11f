/**
 * The CPU backend: Float32Array buffers (in the SIMD runtime's wasm memory where it can hold
 * them, cpuBuffer.ts) and the kernels of cpuKernels.ts. Always available.
 */
import type { Backend, BufferHandle, Invocation, KernelRegistry, Runnable, StepContext } from '../backend';
import { CpuBuffer, cpuData } from './cpuBuffer';
import { prepareFused } from './cpuFused';
import { cpuKernels } from './cpuKernels';
import { isResident, releaseResident } from './simdMatmul';

/**
 * Gives back the wasm memory of a backend collected without dispose (a test's, an API caller's).
 * Tied to the backend, not to each array: every Program holds its backend, so no kernel still
 * runs on the memory then (a kernel may hold only a subarray of a buffer, which would not keep
 * the buffer's own array alive).
 */
const collected = new FinalizationRegistry<Float32Array[]>((arrays) => { for (const a of arrays) releaseResident(a); });

/** Runs every op on the host, single-threaded, with no allocation once a Program is prepared. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly kernels: KernelRegistry = cpuKernels;
  /** The buffers made here, to mark them released on dispose. */
  private buffers: WeakRef<CpuBuffer>[] = [];
  /** Their arrays in the wasm memory, given back on dispose or once this backend is collected. */
  private readonly resident: Float32Array[] = [];
  private pruneAt = 64;
  private disposed = false;

  constructor() {
    collected.register(this, this.resident, this);
  }

  /** A program's kernels, with bias + activation (and their gradients) fused where they meet (cpuFused.ts). */
  prepareAll(invs: Invocation[], ctx: StepContext): Runnable[] {
    return prepareFused(this, invs, ctx);
  }

  createBuffer(size: number, label: string): BufferHandle {
    this.alive();
    const buf = new CpuBuffer(size, label);
    if (isResident(buf.data)) this.resident.push(buf.data);
    this.buffers.push(new WeakRef(buf));
    if (this.buffers.length >= this.pruneAt) {
      this.buffers = this.buffers.filter((r) => r.deref() !== undefined);
      this.pruneAt = Math.max(64, 2 * this.buffers.length);
    }
    return buf;
  }

  write(buf: BufferHandle, data: Float32Array, offset = 0): void {
    const dst = cpuData(buf);
    if (offset + data.length > dst.length) {
      throw new Error(`write of ${data.length} values at ${offset} overflows buffer '${buf.label}' of ${dst.length}`);
    }
    dst.set(data, offset);
    // New values the optimizer has not seen: the weight check reads them.
    (buf as CpuBuffer).finite = undefined;
  }

  read(buf: BufferHandle): Promise<Float32Array> {
    try {
      return Promise.resolve(cpuData(buf).slice());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Synchronous view of a buffer (no copy): the training loop checks the loss every step with it. */
  view(buf: BufferHandle): Float32Array {
    return cpuData(buf);
  }

  beginStep(): void {
    // Nothing to batch: kernels run as they are called. A disposed backend's programs would run on memory given back.
    this.alive();
  }

  endStep(): void {
    // Nothing to submit.
  }

  /**
   * Gives the buffers' wasm memory back. Its programs, buffers and views must not be used after:
   * running a program, reading, writing or making a buffer then throws (a session closed while
   * an await was pending stops there instead of touching memory that a new session may own).
   */
  dispose(): void {
    this.disposed = true;
    for (const r of this.buffers.splice(0)) r.deref()?.release();
    for (const a of this.resident.splice(0)) releaseResident(a);
    collected.unregister(this);
  }

  private alive(): void {
    if (this.disposed) throw new Error('this CPU training or prediction session has ended (its memory was given back): start it again.');
  }
}
