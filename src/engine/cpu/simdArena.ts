/**
 * The SIMD runtime's wasm memory as an arena: the CPU backend's buffers (weights, gradients,
 * activations) live there for the whole session, so the matrix product packs its operands and
 * writes its result where they lie instead of copying them in and out on every call; the
 * product's scratch space (packed panels, staged operands) is a block of the same arena.
 *
 * Blocks are cache-line aligned, handed out first fit from a free list (coalesced on release)
 * or past the top, growing the memory. Resident arrays are made only over a SHARED memory: its
 * views stay valid when it grows (a plain memory's would be detached). A block is released by
 * its owner only (the CPU backend: on dispose, or once the backend itself is collected), never
 * when its array is: a kernel may hold nothing but a subarray of it. Releasing an array twice,
 * or one the arena did not make, does nothing, so a stale array can never free a block that
 * someone else now owns.
 */
import type { WasmMemory } from './wasmApi';

/** Block alignment in bytes: one cache line. */
const ALIGN = 64;
const PAGE = 65536;
/**
 * At most this many bytes of resident arrays: the rest of the memory (1 GiB at most) stays free for
 * the products' scratch block, so a model too big for it falls back to plain arrays (staged, as
 * before) rather than leaving a product without room.
 */
export const RESIDENT_LIMIT = 512 * 2 ** 20;

interface Block { off: number; size: number }

/** First-fit allocator of byte ranges from `base` up, growing through `grow(end)` (false: no room). */
export class Arena {
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();
  private top: number;
  /** The highest top so far: memory past it has never been handed out, so it is still zero. */
  highWater: number;

  constructor(base: number, private readonly grow: (end: number) => boolean) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.highWater = this.top;
  }

  /** The byte offset of a fresh block of at least `bytes`, or null when the memory cannot grow that far. */
  alloc(bytes: number): number | null {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const i = this.free.findIndex((b) => b.size >= size);
    if (i >= 0) {
      const b = this.free[i];
      const off = b.off;
      if (b.size === size) this.free.splice(i, 1);
      else { b.off += size; b.size -= size; }
      this.used.set(off, size);
      return off;
    }
    if (!this.grow(this.top + size)) return null;
    const off = this.top;
    this.top += size;
    this.highWater = Math.max(this.highWater, this.top);
    this.used.set(off, size);
    return off;
  }

  /** Gives the block at `off` back; false when no block starts there (already released, or never handed out). */
  release(off: number): boolean {
    const size = this.used.get(off);
    if (size === undefined) return false;
    this.used.delete(off);
    let i = this.free.findIndex((b) => b.off > off);
    if (i < 0) i = this.free.length;
    this.free.splice(i, 0, { off, size });
    const next = this.free[i + 1];
    if (next && off + size === next.off) { this.free[i].size += next.size; this.free.splice(i + 1, 1); }
    const prev = this.free[i - 1];
    if (prev && prev.off + prev.size === off) { prev.size += this.free[i].size; this.free.splice(i, 1); i--; }
    const last = this.free[this.free.length - 1];
    if (last && last.off + last.size === this.top) { this.top = last.off; this.free.pop(); }
    return true;
  }

  /** Bytes handed out and not yet released (tests and diagnostics). */
  inUse(): number {
    let s = 0;
    for (const v of this.used.values()) s += v;
    return s;
  }
}

/**
 * The arena over one wasm memory, with the views on it: `f32` (the whole memory, renewed when it
 * grows), resident arrays for buffers, and the scratch block of the matrix product.
 */
export class ResidentMemory {
  readonly arena: Arena;
  f32: Float32Array;
  /** Every ArrayBuffer object this memory has shown (a shared memory shows a new one after each grow). */
  private readonly own = new WeakSet<ArrayBufferLike>();
  /** The block of each live resident array, by the array itself (a released one is no longer here). */
  private readonly live = new WeakMap<Float32Array, number>();
  private scratchOff = -1;
  private scratchBytes = 0;
  /** Bytes of live resident arrays (RESIDENT_LIMIT bounds them). */
  private residentBytes = 0;

  /** `base`: bytes at the start of the memory that stay outside the arena (the helper's control block). */
  constructor(private readonly mem: WasmMemory, readonly shared: boolean, base: number, private readonly limit = RESIDENT_LIMIT) {
    this.f32 = new Float32Array(mem.buffer);
    this.own.add(mem.buffer);
    this.arena = new Arena(base, (end) => this.growTo(end));
  }

  private growTo(end: number): boolean {
    const have = this.mem.buffer.byteLength;
    if (end <= have) return true;
    try {
      this.mem.grow(Math.ceil((end - have) / PAGE));
    } catch {
      return false; // past the memory's maximum, or the process is out of memory
    }
    this.f32 = new Float32Array(this.mem.buffer);
    this.own.add(this.mem.buffer);
    return true;
  }

  /** A zeroed array of `floats` floats in the memory, until released; null when the memory is not shared or is full. */
  alloc(floats: number): Float32Array | null {
    if (!this.shared || this.residentBytes + floats * 4 > this.limit) return null;
    const clean = this.arena.highWater;
    const off = this.arena.alloc(floats * 4);
    if (off === null) return null;
    this.residentBytes += floats * 4;
    const a = new Float32Array(this.mem.buffer, off, floats);
    // A reused block holds an earlier buffer's values; memory never handed out is zero already (and stays untouched, not committed).
    if (off < clean) a.fill(0, 0, Math.min(floats, (clean - off) / 4));
    this.live.set(a, off);
    return a;
  }

  /** Gives a resident array's block back; anything else (a plain array, one released before) is left alone. */
  release(a: Float32Array): boolean {
    const off = this.live.get(a);
    if (off === undefined) return false;
    this.live.delete(a);
    this.residentBytes -= a.byteLength;
    return this.arena.release(off);
  }

  /** The byte offset in this memory of `a` (a resident array or a view into one), or -1 when it lies elsewhere. */
  offsetOf(a: Float32Array): number {
    return this.own.has(a.buffer) ? a.byteOffset : -1;
  }

  /**
   * The float offset of a scratch block of at least `floats` floats (the product's panels and
   * staging), moved to a larger block when it is too small; `f32` is the view to use after it.
   */
  scratch(floats: number): number {
    const bytes = floats * 4;
    if (bytes > this.scratchBytes) {
      if (this.scratchOff >= 0) this.arena.release(this.scratchOff);
      this.scratchOff = -1;
      // Half as much again as asked: a session's products grow the block a few times, not at every new shape.
      let size = Math.max(bytes, Math.ceil(this.scratchBytes * 1.5));
      let off = this.arena.alloc(size);
      if (off === null) off = this.arena.alloc((size = bytes));
      if (off === null) {
        this.scratchBytes = 0;
        throw new Error(`the CPU backend's matrix product needs ${(bytes / 2 ** 20).toFixed(1)} MiB of WebAssembly memory, more than it can have: use smaller layers or batches.`);
      }
      this.scratchOff = off;
      this.scratchBytes = size;
    }
    return this.scratchOff / 4;
  }
}
