import * as fs from 'node:fs';
import type { GPU, GPUAdapter, GPUDevice, GPURequestAdapterOptions } from './gpuTypes';

// One WebGPU device per process, acquired lazily through Dawn's Node binding (the `webgpu` npm
// package). Real GPUs get Dawn's default backend (Vulkan/Metal/D3D12); when that finds no
// adapter (a machine without a GPU) we fall back to OpenGL ES on Mesa in compatibility mode,
// which runs the same WGSL on the CPU (llvmpipe) — slow, but it lets CI run every kernel.

/** What we found and why: shown by `auto`, the 'start' event and error messages. */
export interface GpuAdapterReport {
  /** Human-readable adapter name, e.g. "llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)". */
  name: string;
  /** Which Dawn backend we asked for: the platform default, or the OpenGL ES fallback. */
  route: 'default' | 'opengles-compat';
  /** True for CPU rasterisers (llvmpipe, lavapipe, SwiftShader, WARP) and fallback adapters. */
  software: boolean;
  /** One sentence explaining the route taken. */
  reason: string;
}

/** A live device with the limits our kernels were sized for. */
export interface GpuContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  report: GpuAdapterReport;
  /** Largest workgroup (invocations) the device accepts; kernels never exceed 64 anyway. */
  maxInvocations: number;
  /** Storage buffers one shader stage may bind (compatibility mode: as low as 4). */
  maxStorageBuffers: number;
  /** Largest storage buffer, in bytes, one binding may cover. */
  maxBufferBytes: number;
  /** Errors the device reported asynchronously, oldest first; readers take and throw them. */
  errors: string[];
  /** Set once the device is lost (driver reset, GPU removed): nothing more can run on it. */
  lost?: string;
}

/** Raised when no WebGPU adapter can be had; the message says what to install. */
export class GpuUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `WebGPU is not available: ${detail}. ` +
        'On Linux without a GPU install Mesa\'s drivers: ' +
        '`sudo apt-get install libegl1 libgles2 libegl-mesa0 mesa-vulkan-drivers libvulkan1`; ' +
        'or train with --backend cpu.',
    );
    this.name = 'GpuUnavailableError';
  }
}

type WebGpuModule = { create(options: string[]): GPU; globals: object };
const WEBGPU_PACKAGE: string = 'webgpu';

let pending: Promise<GpuContext> | undefined;
let live: GpuContext | undefined;
// Dawn instances stay referenced for the life of the process: when the garbage collector
// finalises one while a device of another is running, Dawn's native threads crash (seen on Mesa).
const instances: GPU[] = [];

/** Names of CPU implementations of WebGPU/GL/Vulkan: a GPU kernel there gains nothing. */
const SOFTWARE_ADAPTERS = /llvmpipe|lavapipe|softpipe|swiftshader|warp|microsoft basic render/i;

/**
 * On Linux, whether any GPU device node exists (DRM render node, NVIDIA, WSL's /dev/dxg).
 * Without one, the only WebGPU adapter Dawn could find is a software one, so `auto` can decide
 * for the CPU without loading Dawn (and without its warnings on stderr). Elsewhere: undefined.
 */
export function gpuDeviceNodes(): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const found: string[] = [];
  try {
    for (const f of fs.readdirSync('/dev/dri')) if (f.startsWith('renderD') || f.startsWith('card')) found.push(`/dev/dri/${f}`);
  } catch {
    // No DRM devices at all.
  }
  try {
    for (const f of fs.readdirSync('/dev')) if (/^nvidia\d+$/.test(f) || f === 'dxg') found.push(`/dev/${f}`);
  } catch {
    // /dev unreadable: say nothing was found, the caller then probes with Dawn anyway.
    return undefined;
  }
  return found;
}

/** Returns the process-wide device, creating it on first use; concurrent callers share one. */
export function acquireGpu(): Promise<GpuContext> {
  if (!pending) {
    pending = openDevice().then((ctx) => (live = ctx));
    // A failed attempt is not cached forever: a later call may retry (e.g. after env changes).
    pending.catch(() => (pending = undefined));
  }
  return pending;
}

/** The device if one is already open, without starting one. */
export function currentGpu(): GpuContext | undefined {
  return live;
}

/** Destroys the device so Node can exit; the next acquireGpu() opens a fresh one. */
export async function releaseGpu(): Promise<void> {
  const p = pending;
  pending = undefined;
  live = undefined;
  if (!p) return;
  try {
    const ctx = await p;
    ctx.device.destroy();
  } catch {
    // Nothing was opened, so nothing to release.
  }
}

async function loadDawn(): Promise<WebGpuModule> {
  try {
    // A dynamic import: the package is ESM, external to our bundles and loaded only when used,
    // so the CPU backend never pays for (or fails on) the native module. The specifier is a
    // variable so TypeScript does not load the package's types, which pull in @webgpu/types'
    // DOM globals (HTMLCanvasElement…) for the whole program; gpuTypes.ts declares what we use.
    return (await import(WEBGPU_PACKAGE)) as WebGpuModule;
  } catch (err) {
    throw new GpuUnavailableError(`the native module of the "webgpu" package did not load (${(err as Error).message})`);
  }
}

async function openDevice(): Promise<GpuContext> {
  // Mesa's EGL needs a platform without a display server; set it before Dawn loads EGL.
  if (process.platform === 'linux' && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
  const dawn = await loadDawn();
  Object.assign(globalThis, dawn.globals);

  let route: GpuAdapterReport['route'] = 'default';
  let adapter: GPUAdapter | null = null;
  // Without a GPU device node (Linux) the default backend can only fail, and Vulkan's attempt
  // prints driver warnings on stderr: go straight to the OpenGL ES fallback.
  if (gpuDeviceNodes()?.length !== 0) {
    const first = dawn.create([]);
    instances.push(first);
    adapter = await requestQuietly(first, { powerPreference: 'high-performance' });
  }
  if (!adapter) {
    route = 'opengles-compat';
    const gl = dawn.create(['backend=opengles']);
    instances.push(gl);
    adapter = await requestQuietly(gl, { featureLevel: 'compatibility' });
  }
  if (!adapter) throw new GpuUnavailableError('Dawn found no GPU adapter (neither the default backend nor OpenGL ES)');

  const limits = adapter.limits;
  // Ask for what the adapter can do rather than the conservative defaults of compatibility mode.
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  const report = describeAdapter(adapter, route);
  const ctx: GpuContext = {
    device,
    adapter,
    report,
    maxInvocations: device.limits.maxComputeInvocationsPerWorkgroup,
    maxStorageBuffers: device.limits.maxStorageBuffersPerShaderStage,
    maxBufferBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
    errors: [],
  };
  device.addEventListener('uncapturederror', (ev) => {
    // Errors arrive asynchronously and would otherwise leave results silently stale: keep them
    // so the next read fails with the message (GpuRuntime.read).
    if (ctx.errors.length < 10) ctx.errors.push(ev.error.message);
  });
  void device.lost.then((info) => {
    ctx.lost = info.message || info.reason;
    // A lost device cannot be revived: let the next acquireGpu() open a new one.
    if (live === ctx) {
      live = undefined;
      pending = undefined;
    }
  });
  return ctx;
}

/** requestAdapter, treating a driver that throws like one that has no adapter. */
async function requestQuietly(gpu: GPU, options: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
  try {
    return await gpu.requestAdapter(options);
  } catch {
    return null;
  }
}

/** Builds the adapter report from what Dawn tells us (fields are often empty on GL). */
export function describeAdapter(adapter: GPUAdapter, route: GpuAdapterReport['route']): GpuAdapterReport {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device].filter((s) => s && s.length > 0);
  const base = parts.join(' ').replace(/-+$/, '') || 'unknown adapter';
  const name = info.description ? `${base} (${info.description})` : base;
  const software = info.isFallbackAdapter === true || SOFTWARE_ADAPTERS.test(`${name}`);
  const reason =
    route === 'default'
      ? `Dawn's default backend found ${software ? 'a software' : 'a hardware'} adapter: ${name}`
      : `no GPU adapter on the default backend, so Mesa's OpenGL ES driver in compatibility mode runs WebGPU on the CPU: ${name}`;
  return { name, route, software, reason };
}
