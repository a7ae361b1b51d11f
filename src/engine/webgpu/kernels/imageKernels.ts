// The WebGPU kernels of the image ops (convolution, pooling, batch normalization): shapes baked
// into the WGSL, pipelines compiled and scratch allocated at prepare time, so the Runnable only
// records dispatches. Ops that need more than four storage buffers, or partial sums, run as a few
// passes through the runtime's shared scratch buffer (scratch.ts).
import type { BufferHandle, KernelRegistry, Runnable } from '../../backend';
import { gridFor, type GpuBuffer, type GpuRuntime } from '../gpuRuntime';
import {
  batchNormScratch, bnApplyWgsl, bnFactorsWgsl, bnGradGatherWgsl, bnGradInputWgsl, bnGradParamsWgsl, bnGradSumDyWgsl, bnGradSumDyXhatWgsl,
  bnInferenceFactorsWgsl, bnInferenceShiftWgsl, bnMeanWgsl, bnMovingWgsl, bnSquaresWgsl, bnSumWgsl,
} from './batchNormWgsl';
import { columnPartialsGrid, columnPlan } from './columnSumWgsl';
import { conv2dGradInputSpec, conv2dGradWeightPlan, conv2dSpec, convGradReduceWgsl } from './convWgsl';
import { gemmGrid, gemmWgsl, type GemmSpec } from './gemmWgsl';
import { pool2dGradWgsl, pool2dWgsl } from './poolWgsl';
import { scratch } from './scratch';

const NOTHING: Runnable = () => undefined;

/** One recorded dispatch: shader, bindings and grid, ready to replay. */
interface Pass {
  wgsl: string;
  bufs: GpuBuffer[];
  grid: [number, number?, number?];
}

/** Builds the image ops' part of the WebGPU kernel registry. */
export function makeImageKernels(rt: GpuRuntime, gpuData: (b: BufferHandle) => GpuBuffer): KernelRegistry {
  /** Compiles every pass now and returns the Runnable that records them in order. */
  const passes = (list: Pass[]): Runnable => {
    for (const p of list) rt.pipeline(p.wgsl);
    return () => {
      for (const p of list) rt.dispatch(p.wgsl, p.bufs, p.grid);
    };
  };
  const gemm = (spec: GemmSpec, bufs: GpuBuffer[]): Pass => ({ wgsl: gemmWgsl(spec), bufs, grid: gemmGrid(spec) });

  return {
    conv2d: (inv) => {
      const rows = inv.dims.rows ?? 1;
      if (rows * inv.attrs.oh * inv.attrs.ow * inv.attrs.filters === 0) return NOTHING;
      const [x, w] = inv.inputs.map(gpuData);
      return passes([gemm(conv2dSpec(inv.attrs, rows), [x, w, gpuData(inv.outputs[0])])]);
    },
    conv2dGradInput: (inv) => {
      const rows = inv.dims.rows ?? 1;
      if (rows * inv.attrs.h * inv.attrs.w * inv.attrs.c === 0) return NOTHING;
      const [dy, w] = inv.inputs.map(gpuData);
      return passes([gemm(conv2dGradInputSpec(inv.attrs, rows, inv.attrs.accumulate), [dy, w, gpuData(inv.outputs[0])])]);
    },
    conv2dGradWeight: (inv) => {
      const rows = inv.dims.rows ?? 1;
      const a = inv.attrs;
      const size = a.filters * a.kh * a.kw * a.c;
      if (size === 0) return NOTHING;
      const [x, dy] = inv.inputs.map(gpuData);
      const dw = gpuData(inv.outputs[0]);
      const plan = conv2dGradWeightPlan(a, rows, a.accumulate);
      if (plan.splits === 1) return passes([gemm(plan.spec, [x, dy, dw])]);
      const partials = scratch(rt, plan.scratch);
      return passes([
        gemm(plan.spec, [x, dy, partials]),
        { wgsl: convGradReduceWgsl(size, plan.splits, a.accumulate), bufs: [partials, dw], grid: gridFor(size) },
      ]);
    },
    pool2d: (inv) => {
      const rows = inv.dims.rows ?? 1;
      const size = rows * inv.attrs.oh * inv.attrs.ow * inv.attrs.c;
      if (size === 0) return NOTHING;
      return passes([{ wgsl: pool2dWgsl(inv.attrs, rows, inv.attrs.mode), bufs: [gpuData(inv.inputs[0]), gpuData(inv.outputs[0])], grid: gridFor(size) }]);
    },
    pool2dGrad: (inv) => {
      const rows = inv.dims.rows ?? 1;
      const a = inv.attrs;
      const size = rows * a.h * a.w * a.c;
      if (size === 0) return NOTHING;
      const [x, dy] = inv.inputs.map(gpuData);
      // Average pooling's backward needs no X (its WGSL does not bind it).
      const bufs = a.mode === 'max' ? [x, dy, gpuData(inv.outputs[0])] : [dy, gpuData(inv.outputs[0])];
      return passes([{ wgsl: pool2dGradWgsl(a, rows, a.mode, a.accumulate), bufs, grid: gridFor(size) }]);
    },
    batchNorm: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      if (rows * cols === 0) return NOTHING;
      const [x, gamma, beta] = inv.inputs.map(gpuData);
      const [y, mean, invStd, movingMean, movingVar] = inv.outputs.map(gpuData);
      const p = columnPlan(rows, cols);
      const s = scratch(rt, batchNormScratch(p));
      return passes([
        { wgsl: bnSumWgsl(p), bufs: [x, s], grid: columnPartialsGrid(p) },
        { wgsl: bnMeanWgsl(p), bufs: [mean, s], grid: gridFor(cols) },
        { wgsl: bnSquaresWgsl(p), bufs: [x, s], grid: columnPartialsGrid(p) },
        { wgsl: bnFactorsWgsl(p, inv.attrs.epsilon), bufs: [gamma, beta, invStd, s], grid: gridFor(cols) },
        { wgsl: bnMovingWgsl(cols, inv.attrs.momentum), bufs: [s, movingMean, movingVar], grid: gridFor(cols) },
        { wgsl: bnApplyWgsl(rows, cols), bufs: [x, s, y], grid: gridFor(rows * cols) },
      ]);
    },
    batchNormInference: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      if (rows * cols === 0) return NOTHING;
      const [x, gamma, beta, movingMean, movingVar] = inv.inputs.map(gpuData);
      const s = scratch(rt, batchNormScratch(columnPlan(rows, cols)));
      return passes([
        { wgsl: bnInferenceFactorsWgsl(cols, inv.attrs.epsilon), bufs: [gamma, movingMean, movingVar, s], grid: gridFor(cols) },
        { wgsl: bnInferenceShiftWgsl(cols), bufs: [beta, s], grid: gridFor(cols) },
        { wgsl: bnApplyWgsl(rows, cols), bufs: [x, s, gpuData(inv.outputs[0])], grid: gridFor(rows * cols) },
      ]);
    },
    batchNormGrad: (inv) => {
      const { rows = 1, cols = 1 } = inv.dims;
      if (rows * cols === 0) return NOTHING;
      const [x, dy, gamma, mean, invStd] = inv.inputs.map(gpuData);
      const [dx, dGamma, dBeta] = inv.outputs.map(gpuData);
      const p = columnPlan(rows, cols);
      const s = scratch(rt, batchNormScratch(p));
      return passes([
        { wgsl: bnGradGatherWgsl(cols), bufs: [mean, invStd, gamma, s], grid: gridFor(cols) },
        { wgsl: bnGradSumDyWgsl(p), bufs: [dy, s], grid: columnPartialsGrid(p) },
        { wgsl: bnGradSumDyXhatWgsl(p), bufs: [x, dy, s], grid: columnPartialsGrid(p) },
        { wgsl: bnGradParamsWgsl(p), bufs: [s, dGamma, dBeta], grid: gridFor(cols) },
        { wgsl: bnGradInputWgsl(rows, cols, inv.attrs.accumulate), bufs: [x, dy, s, dx], grid: gridFor(rows * cols) },
      ]);
    },
  };
}
