/** The CPU backend: Float32Array buffers and the kernels of cpuKernels.ts. Always available. */
import type { Backend, BufferHandle, KernelRegistry } from '../backend';
import { CpuBuffer, cpuData } from './cpuBuffer';
import { cpuKernels } from './cpuKernels';

/** Runs every op on the host, single-threaded, with no allocation once a Program is prepared. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly kernels: KernelRegistry = cpuKernels;

  createBuffer(size: number, label: string): BufferHandle {
    return new CpuBuffer(size, label);
  }

  write(buf: BufferHandle, data: Float32Array, offset = 0): void {
    const dst = cpuData(buf);
    if (offset + data.length > dst.length) {
      throw new Error(`write of ${data.length} values at ${offset} overflows buffer '${buf.label}' of ${dst.length}`);
    }
    dst.set(data, offset);
  }

  read(buf: BufferHandle): Promise<Float32Array> {
    return Promise.resolve(cpuData(buf).slice());
  }

  /** Synchronous view of a buffer (no copy): the training loop checks the loss every step with it. */
  view(buf: BufferHandle): Float32Array {
    return cpuData(buf);
  }

  beginStep(): void {
    // Nothing to batch: kernels run as they are called.
  }

  endStep(): void {
    // Nothing to submit.
  }

  dispose(): void {
    // Buffers are garbage-collected.
  }
}
