/** The CPU backend's buffer: a Float32Array the kernels close over. */
import type { BufferHandle } from '../backend';

/** A buffer living in host memory. */
export class CpuBuffer implements BufferHandle {
  readonly data: Float32Array;
  /**
   * Set by the optimizer kernels, which see every weight they write: true when all of them were
   * finite, false when some was NaN/Inf. Undefined (unknown) for any other buffer and after a
   * write from the host: the CPU's per-step weight check then reads the buffer itself.
   */
  finite?: boolean;
  constructor(readonly size: number, readonly label: string) {
    this.data = new Float32Array(size);
  }
}

/** The Float32Array behind a CPU buffer; a buffer from another backend is a programming error. */
export function cpuData(buf: BufferHandle): Float32Array {
  if (!(buf instanceof CpuBuffer)) throw new Error(`buffer '${buf.label}' does not belong to the cpu backend`);
  return buf.data;
}
