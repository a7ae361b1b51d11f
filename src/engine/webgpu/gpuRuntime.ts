// The thin layer between kernels and Dawn: storage buffers, a pipeline cache keyed by shader
// text, bind groups cached per (pipeline, buffers), and a recorder that puts every dispatch of
// one step into a single compute pass and a single queue submission. Reads are copied to
// staging buffers inside that same submission, packed together: every read of one submission
// comes back through one mapAsync, so a step costs one round trip at most.
import type { GpuContext } from './gpuDevice';
import { BufferUsage, MapMode, type GPUBindGroup, type GPUBuffer, type GPUCommandEncoder, type GPUComputePassEncoder, type GPUComputePipeline, type GPUDevice } from './gpuTypes';

/** A float32 storage buffer on the device; `length` counts elements. */
export interface GpuBuffer {
  readonly id: number;
  readonly buffer: GPUBuffer;
  readonly length: number;
}

/** How many invocations each 1-D kernel uses; ≤ 128 keeps us inside compatibility limits. */
export const WORKGROUP_SIZE = 64;

/** Per-dispatch workgroup counts may not exceed 65,535 in X; larger work spills into Y. */
const MAX_GROUPS_X = 65535;

/** Bytes of the staging buffer that small reads of one submission share (losses, flags, predictions). */
const READ_GROUP_BYTES = 64 * 1024;

/** Reads of one submission that share one staging buffer and one mapAsync. */
interface ReadGroup {
  staging: GPUBuffer;
  /** Bytes of the staging buffer used so far. */
  used: number;
  entries: { byteOffset: number; length: number; resolve: (v: Float32Array) => void; reject: (e: Error) => void }[];
}

/** Splits `invocations` across X and Y so any size fits the per-dimension workgroup limit. */
export function gridFor(invocations: number, groupSize = WORKGROUP_SIZE): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / groupSize));
  if (groups <= MAX_GROUPS_X) return [groups, 1];
  const y = Math.ceil(groups / MAX_GROUPS_X);
  return [Math.ceil(groups / y), y];
}

/** Owns device memory and shader pipelines for one backend instance. */
export class GpuRuntime {
  private nextId = 1;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly pipelineIds = new WeakMap<GPUComputePipeline, number>();
  private readonly buffers = new Set<GpuBuffer>();
  private readonly staging = new Map<number, GPUBuffer[]>();
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private pendingReads: ReadGroup[] = [];
  /** Dispatches recorded since the runtime was created (benchmarks and tests read this). */
  dispatchCount = 0;
  /** Queue submissions since the runtime was created: one per step is the goal. */
  submitCount = 0;
  /** Device-to-host reads since the runtime was created: a step reads nothing unless asked. */
  readCount = 0;
  /** Staging buffers mapped (CPU↔GPU round trips): the reads of one submission share one. */
  mapCount = 0;
  /** Bind groups created (a replayed step creates none). */
  bindGroupCreateCount = 0;
  /** Storage, uniform and staging buffers created. */
  bufferCreateCount = 0;

  constructor(readonly ctx: GpuContext) {}

  get device(): GPUDevice {
    return this.ctx.device;
  }

  /** Allocates a zero-filled float32 buffer of `length` elements (at least one, as WebGPU requires). */
  createBuffer(length: number, label?: string): GpuBuffer {
    const bytes = Math.max(4, length * 4);
    if (bytes > this.ctx.maxBufferBytes) {
      throw new Error(
        `'${label ?? 'a tensor'}' needs ${(bytes / 2 ** 20).toFixed(1)} MiB, more than the ${(this.ctx.maxBufferBytes / 2 ** 20).toFixed(0)} MiB ` +
          `one buffer may hold on ${this.ctx.report.name}; use a smaller batch or layer, or --backend cpu.`,
      );
    }
    const buffer = this.device.createBuffer({
      label,
      size: Math.ceil(bytes / 16) * 16,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    this.bufferCreateCount++;
    const b: GpuBuffer = { id: this.nextId++, buffer, length };
    this.buffers.add(b);
    return b;
  }

  /** Frees a buffer and the bind groups that mention it. */
  destroyBuffer(b: GpuBuffer): void {
    if (!this.buffers.delete(b)) return;
    const tag = `#${b.id}#`;
    for (const key of [...this.bindGroups.keys()]) if (key.includes(tag)) this.bindGroups.delete(key);
    b.buffer.destroy();
  }

  /** Allocates a small uniform buffer of `length` 32-bit words (per-step scalars: Adam's t, dropout's step). */
  createUniform(length: number, label?: string): GpuBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.ceil(Math.max(16, length * 4) / 16) * 16, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    this.bufferCreateCount++;
    const b: GpuBuffer = { id: this.nextId++, buffer, length };
    this.buffers.add(b);
    return b;
  }

  /** Queues a host→device copy; ordered before the next submission. */
  upload(b: GpuBuffer, data: Float32Array | Uint32Array, offsetElements = 0): void {
    if (offsetElements + data.length > b.length) {
      throw new RangeError(`upload of ${data.length} floats at ${offsetElements} overflows a buffer of ${b.length}`);
    }
    // writeBuffer needs a multiple of 4 bytes, which float32 always is.
    this.device.queue.writeBuffer(b.buffer, offsetElements * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Returns the compute pipeline for this WGSL (compiled once per distinct shader text). */
  pipeline(wgsl: string): GPUComputePipeline {
    let p = this.pipelines.get(wgsl);
    if (!p) {
      const module = this.device.createShaderModule({ code: wgsl });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(wgsl, p);
      this.pipelineIds.set(p, this.pipelines.size);
    }
    return p;
  }

  /** Number of distinct pipelines compiled so far (the cache's size). */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /** Number of bind groups made so far: a replayed step must not add any. */
  get bindGroupCount(): number {
    return this.bindGroups.size;
  }

  /** Records one dispatch; bindings are @binding(0..n-1) of group 0 in the order given. */
  dispatch(wgsl: string, bindings: GpuBuffer[], groups: [number, number?, number?]): void {
    const pipeline = this.pipeline(wgsl);
    const key = `${this.pipelineIds.get(pipeline)}:${bindings.map((b) => `#${b.id}#`).join('')}`;
    let bg = this.bindGroups.get(key);
    if (!bg) {
      bg = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: bindings.map((b, i) => ({ binding: i, resource: { buffer: b.buffer } })),
      });
      this.bindGroups.set(key, bg);
      this.bindGroupCreateCount++;
    }
    const pass = this.currentPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
    this.dispatchCount++;
  }

  /**
   * Asks for `length` floats of `src`, as they are at this point of the recorded work, to come
   * back with the next submit(). Small reads share one staging buffer (one map for all of them).
   */
  requestRead(src: GpuBuffer, offset = 0, length = src.length - offset): Promise<Float32Array> {
    this.readCount++;
    const bytes = Math.max(4, length * 4);
    let group = this.pendingReads[this.pendingReads.length - 1];
    if (!group || group.used + bytes > group.staging.size) {
      group = { staging: this.takeStaging(Math.max(bytes, READ_GROUP_BYTES)), used: 0, entries: [] };
      this.pendingReads.push(group);
    }
    const byteOffset = group.used;
    group.used += bytes;
    this.endPass();
    this.currentEncoder().copyBufferToBuffer(src.buffer, offset * 4, group.staging, byteOffset, bytes);
    const g = group;
    return new Promise((resolve, reject) => {
      g.entries.push({ byteOffset, length, resolve, reject });
    });
  }

  /**
   * Ends the step: one submission. Reads requested since the last submit resolve once the GPU
   * has finished this work; the caller need not wait here (the next step can be recorded).
   */
  submit(): void {
    this.endPass();
    const reads = this.pendingReads;
    this.pendingReads = [];
    if (!this.encoder) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.submitCount++;
    for (const g of reads) void this.finishReads(g);
  }

  /** Convenience: read a buffer now (submits whatever was recorded). */
  read(src: GpuBuffer, offset = 0, length = src.length - offset): Promise<Float32Array> {
    const p = this.requestRead(src, offset, length);
    this.submit();
    return p;
  }

  private async finishReads(g: ReadGroup): Promise<void> {
    this.mapCount++;
    try {
      await g.staging.mapAsync(MapMode.READ, 0, g.used);
      this.throwDeviceErrors();
      const mapped = g.staging.getMappedRange(0, g.used);
      const outs = g.entries.map((e) => new Float32Array(mapped.slice(e.byteOffset, e.byteOffset + e.length * 4)));
      g.staging.unmap();
      this.giveStaging(g.staging);
      g.entries.forEach((e, i) => e.resolve(outs[i]));
    } catch (err) {
      const e = this.ctx.lost ? new Error(`the WebGPU device was lost (${this.ctx.lost}); train again, or use --backend cpu.`) : (err as Error);
      for (const entry of g.entries) entry.reject(e);
    }
  }

  /** Turns errors the device reported since the last read into an exception (they mean a bug). */
  private throwDeviceErrors(): void {
    if (this.ctx.errors.length === 0) return;
    const first = this.ctx.errors.splice(0).join('\n');
    throw new Error(`WebGPU reported an error, so results cannot be trusted: ${first}\nThis is a bug in Neural Canvas's WebGPU kernels: use --backend cpu, and please report it.`);
  }

  /** Frees every buffer this runtime made; the device itself stays open for others. */
  dispose(): void {
    for (const b of [...this.buffers]) this.destroyBuffer(b);
    for (const list of this.staging.values()) for (const s of list) s.destroy();
    this.staging.clear();
    this.bindGroups.clear();
    this.pipelines.clear();
  }

  private currentEncoder(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  private currentPass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.currentEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = undefined;
    }
  }

  private takeStaging(length: number): GPUBuffer {
    const size = Math.ceil(Math.max(4, length * 4) / 256) * 256;
    const list = this.staging.get(size);
    const reused = list?.pop();
    if (reused) return reused;
    this.bufferCreateCount++;
    return this.device.createBuffer({ size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  }

  private giveStaging(b: GPUBuffer): void {
    const list = this.staging.get(b.size) ?? [];
    list.push(b);
    this.staging.set(b.size, list);
  }
}
