/**
 * The slice of the WebGPU API this backend uses, declared as module types. We do not reference
 * @webgpu/types: it declares globals (HTMLCanvasElement, navigator.gpu…) that would leak into
 * every file of the host program, which has no DOM, and break code that brings its own.
 * Names and members follow the WebGPU specification; flag values are the spec's constants.
 */

/** GPUBufferUsage flags (WebGPU §5.1). */
export const BufferUsage = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 } as const;

/** GPUMapMode flags. */
export const MapMode = { READ: 0x0001 } as const;

/** The entry point `navigator.gpu` (Dawn's `create()` returns one). */
export interface GPU {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

/** Options for requestAdapter; featureLevel 'compatibility' admits OpenGL ES adapters. */
export interface GPURequestAdapterOptions {
  powerPreference?: 'low-power' | 'high-performance';
  featureLevel?: 'core' | 'compatibility';
  forceFallbackAdapter?: boolean;
}

/** What an adapter says about itself (often empty strings on OpenGL ES). */
export interface GPUAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean;
}

/** Limits we read or request; keyed access covers the rest. */
export interface GPUSupportedLimits {
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

/** A physical (or emulated) device. */
export interface GPUAdapter {
  readonly info: GPUAdapterInfo;
  readonly limits: GPUSupportedLimits;
  requestDevice(descriptor?: { requiredLimits?: Record<string, number> }): Promise<GPUDevice>;
}

/** Why a device was lost. */
export interface GPUDeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}

/** An error the device raised asynchronously. */
export interface GPUUncapturedErrorEvent {
  readonly error: { readonly message: string };
}

/** The logical device. */
export interface GPUDevice {
  readonly limits: GPUSupportedLimits;
  readonly queue: GPUQueue;
  readonly lost: Promise<GPUDeviceLostInfo>;
  createBuffer(descriptor: { label?: string; size: number; usage: number }): GPUBuffer;
  createShaderModule(descriptor: { code: string }): object;
  createComputePipeline(descriptor: { layout: 'auto'; compute: { module: object; entryPoint: string } }): GPUComputePipeline;
  createBindGroup(descriptor: { layout: object; entries: Array<{ binding: number; resource: { buffer: GPUBuffer } }> }): GPUBindGroup;
  createCommandEncoder(): GPUCommandEncoder;
  addEventListener(type: 'uncapturederror', listener: (ev: GPUUncapturedErrorEvent) => void): void;
  destroy(): void;
}

/** Device memory. */
export interface GPUBuffer {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** The device's queue. */
export interface GPUQueue {
  submit(buffers: object[]): void;
  writeBuffer(buffer: GPUBuffer, offset: number, data: ArrayBufferLike, dataOffset?: number, size?: number): void;
  /** Resolves once the GPU has finished everything submitted so far (bench/gpuProfile.ts times kernels by it). */
  onSubmittedWorkDone(): Promise<void>;
}

/** A compiled compute pipeline. */
export interface GPUComputePipeline {
  getBindGroupLayout(index: number): object;
}

/** Resources bound to a pipeline. */
export type GPUBindGroup = object;

/** Records commands for one submission. */
export interface GPUCommandEncoder {
  beginComputePass(): GPUComputePassEncoder;
  copyBufferToBuffer(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void;
  finish(): object;
}

/** Records dispatches. */
export interface GPUComputePassEncoder {
  setPipeline(pipeline: GPUComputePipeline): void;
  setBindGroup(index: number, group: GPUBindGroup): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}
