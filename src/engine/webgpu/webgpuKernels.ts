/**
 * WebGPU kernels for every op in OP_NAMES. Preparing an invocation generates its WGSL (shapes
 * and attributes baked in), compiles it through the runtime's pipeline cache and makes its bind
 * group; the returned Runnable only records a dispatch into the step's single compute pass.
 */
import type { BufferHandle, Invocation, KernelRegistry, Runnable, StepContext } from '../backend';
import { gridFor, type GpuBuffer, type GpuRuntime } from './gpuRuntime';
import { activationGradWgsl, activationWgsl } from './kernels/activationWgsl';
import { tallBiasGrad, TALL_ROWS } from './kernels/columnSumWgsl';
import { makeImageKernels } from './kernels/imageKernels';
import { lossWgsl } from './kernels/lossWgsl';
import { f32, mapWgsl } from './kernels/mapWgsl';
import { matmulGrid, matmulWgsl } from './kernels/matmulWgsl';
import { biasGradWgsl, rowInvocations } from './kernels/rowWgsl';
import { adamUniform, adamWgsl, dropoutWgsl, rmspropWgsl, sgdWgsl } from './kernels/updateWgsl';

/** A BufferHandle of the WebGPU backend: the device buffer behind it. */
export class WebGpuBuffer implements BufferHandle {
  constructor(readonly gpu: GpuBuffer, readonly label: string) {}
  get size(): number {
    return this.gpu.length;
  }
}

/** The device buffer behind a handle; a buffer of another backend is a programming error. */
export function gpuData(buf: BufferHandle): GpuBuffer {
  if (!(buf instanceof WebGpuBuffer)) throw new Error(`buffer '${buf.label}' does not belong to the webgpu backend`);
  return buf.gpu;
}

const NOTHING: Runnable = () => undefined;

/** Builds the kernel registry bound to one runtime (one backend instance). */
export function makeWebGpuKernels(rt: GpuRuntime): KernelRegistry {
  /** Prepares a 1-D dispatch over `size` invocations; an empty op records nothing. */
  const flat = (wgsl: string, bindings: BufferHandle[], size: number): Runnable => {
    if (size <= 0) return NOTHING;
    const bufs = bindings.map(gpuData);
    const grid = gridFor(size);
    rt.pipeline(wgsl); // compile now, at prepare time, not in the first step
    return () => rt.dispatch(wgsl, bufs, grid);
  };
  const sizeOf = (inv: Invocation): number => inv.dims.size ?? inv.outputs[0].size;

  return {
    matmul: (inv) => {
      const { m = 1, k = 1, n = 1 } = inv.dims;
      const { transposeA, transposeB, accumulate } = inv.attrs;
      if (transposeA && transposeB) throw new Error('matmul with both operands transposed is not implemented on the webgpu backend');
      if (m * n === 0) return NOTHING;
      const shape = { m, k, n, layout: transposeA ? 'tn' : transposeB ? 'nt' : 'nn', accumulate } as const;
      const wgsl = matmulWgsl(shape);
      const bufs = [...inv.inputs, ...inv.outputs].map(gpuData);
      const grid = matmulGrid(shape);
      rt.pipeline(wgsl);
      return () => rt.dispatch(wgsl, bufs, grid);
    },
    biasAdd: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      const wgsl = mapWgsl({ name: `biasAdd cols ${cols}`, size: rows * cols, inputs: ['X', 'B'], outputs: ['Y'], body: `Y[i] = X[i] + B[i % ${cols}u];` });
      return flat(wgsl, [...inv.inputs, ...inv.outputs], rows * cols);
    },
    biasGrad: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      // A convolution's bias gradient sums batch·oh·ow rows: two passes over chunks of rows.
      if (rows >= TALL_ROWS && cols > 0) return tallBiasGrad(rt, gpuData(inv.inputs[0]), gpuData(inv.outputs[0]), rows, cols, inv.attrs.accumulate);
      return flat(biasGradWgsl(rows, cols, inv.attrs.accumulate), [...inv.inputs, ...inv.outputs], rowInvocations({ rows, cols, per: 'col' }));
    },
    add: (inv) => flat(mapWgsl({ name: 'add', size: sizeOf(inv), inputs: ['A', 'B'], outputs: ['C'], body: 'C[i] = A[i] + B[i];' }), [...inv.inputs, ...inv.outputs], sizeOf(inv)),
    mul: (inv) => flat(mapWgsl({ name: 'mul', size: sizeOf(inv), inputs: ['A', 'B'], outputs: ['C'], body: 'C[i] = A[i] * B[i];' }), [...inv.inputs, ...inv.outputs], sizeOf(inv)),
    scale: (inv) => {
      const f = f32(inv.attrs.factor);
      const body = inv.attrs.accumulate ? `C[i] = C[i] + ${f} * A[i];` : `C[i] = ${f} * A[i];`;
      return flat(mapWgsl({ name: 'scale', size: sizeOf(inv), inputs: ['A'], outputs: ['C'], body }), [...inv.inputs, ...inv.outputs], sizeOf(inv));
    },
    fill: (inv) => flat(mapWgsl({ name: 'fill', size: sizeOf(inv), inputs: [], outputs: ['X'], body: `X[i] = ${f32(inv.attrs.value)};` }), inv.outputs, sizeOf(inv)),
    concat: (inv) => {
      // One dispatch per part keeps every kernel at two bindings, whatever the number of parts
      // (compatibility mode allows only a few storage buffers per stage).
      const { rows = 1, cols = 1 } = inv.dims;
      const parts: Runnable[] = [];
      let off = 0;
      inv.attrs.widths.forEach((w, p) => {
        const body = `let r = i / ${w}u;\n  OUT[r * ${cols}u + ${off}u + i % ${w}u] = A[i];`;
        parts.push(flat(mapWgsl({ name: `concat part ${w} of ${cols} at ${off}`, size: rows * w, inputs: ['A'], outputs: ['OUT'], body }), [inv.inputs[p], inv.outputs[0]], rows * w));
        off += w;
      });
      return () => { for (const r of parts) r(); };
    },
    concatGrad: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      const parts: Runnable[] = [];
      let off = 0;
      inv.attrs.widths.forEach((w, p) => {
        const src = `D[(i / ${w}u) * ${cols}u + ${off}u + i % ${w}u]`;
        const body = inv.attrs.accumulate ? `P[i] = P[i] + ${src};` : `P[i] = ${src};`;
        parts.push(flat(mapWgsl({ name: `concatGrad part ${w} of ${cols} at ${off}`, size: rows * w, inputs: ['D'], outputs: ['P'], body }), [inv.inputs[0], inv.outputs[p]], rows * w));
        off += w;
      });
      return () => { for (const r of parts) r(); };
    },
    activation: (inv) => {
      const { rows = 1, cols = inv.inputs[0].size } = inv.dims;
      const { fn, alpha } = inv.attrs;
      const n = fn === 'softmax' ? rows : rows * cols;
      return flat(activationWgsl(fn, alpha, rows, cols), [...inv.inputs, ...inv.outputs], n);
    },
    activationGrad: (inv) => {
      const { rows = 1, cols = inv.inputs[0].size } = inv.dims;
      const { fn, alpha } = inv.attrs;
      const n = fn === 'softmax' ? rows : rows * cols;
      return flat(activationGradWgsl(fn, alpha, rows, cols), [...inv.inputs, ...inv.outputs], n);
    },
    dropout: (inv, ctx: StepContext) => {
      const size = sizeOf(inv);
      if (size <= 0) return NOTHING;
      const wgsl = dropoutWgsl(size, inv.attrs);
      rt.pipeline(wgsl);
      const uniform = rt.createUniform(4, `${inv.outputs[1].label}.step`);
      const bufs = [...[...inv.inputs, ...inv.outputs].map(gpuData), uniform];
      const grid = gridFor(size);
      const words = new Uint32Array(4);
      return () => {
        // Read when the Runnable records (once per step, before that step's submission).
        words[0] = ctx.step >>> 0;
        rt.upload(uniform, words);
        rt.dispatch(wgsl, bufs, grid);
      };
    },
    loss: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      const wgsl = lossWgsl(inv.attrs.kind, rows, cols, inv.attrs.accumulate);
      const bufs = [...inv.inputs, ...inv.outputs].map(gpuData);
      rt.pipeline(wgsl);
      return () => rt.dispatch(wgsl, bufs, [1]);
    },
    // Plain SGD binds no velocity (the session allocates none; one given is left alone).
    sgdUpdate: (inv) => flat(sgdWgsl(sizeOf(inv), inv.attrs), [...inv.inputs, ...inv.outputs.slice(0, inv.attrs.momentum === 0 ? 1 : 2)], sizeOf(inv)),
    adamUpdate: (inv, ctx: StepContext) => {
      const size = sizeOf(inv);
      if (size <= 0) return NOTHING;
      const wgsl = adamWgsl(size, inv.attrs);
      rt.pipeline(wgsl);
      const uniform = rt.createUniform(4, `${inv.outputs[0].label}.adam`);
      const bufs = [...[...inv.inputs, ...inv.outputs].map(gpuData), uniform];
      const grid = gridFor(size);
      const words = new Float32Array(4);
      return () => {
        rt.upload(uniform, adamUniform(inv.attrs, Math.max(1, ctx.step), words));
        rt.dispatch(wgsl, bufs, grid);
      };
    },
    rmspropUpdate: (inv) => flat(rmspropWgsl(sizeOf(inv), inv.attrs), [...inv.inputs, ...inv.outputs], sizeOf(inv)),
    // conv2d and its gradients, pooling, batch normalization (kernels/imageKernels.ts).
    ...makeImageKernels(rt, gpuData),
  };
}
