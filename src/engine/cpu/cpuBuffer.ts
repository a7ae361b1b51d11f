/** The CPU backend's buffer: a Float32Array the kernels close over. */
import type { BufferHandle } from '../backend';
import { releaseResident, residentArray } from './simdMatmul';

/**
 * From this many floats a buffer lives in the SIMD products' wasm memory (simdArena.ts), where
 * the matrix products read and write it without copies. Smaller ones (a tiny or playground net's,
 * a bias) stay plain arrays: copying them costs next to nothing, and a net made only of them
 * never starts the SIMD runtime (its helper thread included).
 */
export const RESIDENT_FLOATS = 1024;

/** A buffer living in host memory: in the SIMD runtime's memory where it can be, a plain array otherwise. */
export class CpuBuffer implements BufferHandle {
  readonly data: Float32Array;
  /**
   * Set by the optimizer kernels, which see every weight they write: true when all of them were
   * finite, false when some was NaN/Inf. Undefined (unknown) for any other buffer and after a
   * write from the host: the CPU's per-step weight check then reads the buffer itself.
   */
  finite?: boolean;
  /** Set when the buffer's memory was given back (its backend's dispose): cpuData refuses it from then on. */
  released = false;
  constructor(readonly size: number, readonly label: string) {
    this.data = (size >= RESIDENT_FLOATS ? residentArray(size) : null) ?? new Float32Array(size);
  }

  /** Gives a resident buffer's memory back (its backend's dispose); the buffer must not be used after. */
  release(): void {
    this.released = true;
    releaseResident(this.data);
  }
}

/** The Float32Array behind a CPU buffer; a buffer from another backend is a programming error. */
export function cpuData(buf: BufferHandle): Float32Array {
  if (!(buf instanceof CpuBuffer)) throw new Error(`buffer '${buf.label}' does not belong to the cpu backend`);
  if (buf.released) throw new Error(`buffer '${buf.label}' belongs to a CPU training or prediction session that has ended (its memory was given back): start it again.`);
  return buf.data;
}
