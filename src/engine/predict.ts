/** Inference and input/parameter gradients on a compiled network (no training state). */
import type { Backend } from './backend';
import { CpuBackend } from './cpu/cpuBackend';
import type { CompiledNetwork, WeightMap } from './network';
import { EngineSession } from './session';
import { splitInputs } from './splitInputs';

/**
 * Runs a forward pass (dropout off). `inputs` holds `batch` rows, each the features of every
 * input node concatenated in input-node order; returns `batch` rows of the outputs concatenated.
 */
export async function predict(net: CompiledNetwork, inputs: Float32Array, batch: number, opts: { backend?: Backend } = {}): Promise<Float32Array> {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  if (inputs.length !== batch * width) {
    throw new Error(`predict: expected ${batch}×${width} input values, got ${inputs.length}.`);
  }
  const backend = opts.backend ?? new CpuBackend();
  const session = new EngineSession(backend, net);
  try {
    return await session.predictRows(splitInputs(inputs, batch, net.inputSizes), batch);
  } finally {
    if (!opts.backend) backend.dispose();
  }
}

/** ∂output/∂input per input node and ∂output/∂parameter per WeightMap key, for one sample. */
export interface Gradients {
  output: number;
  inputs: Array<{ id: string; grad: Float32Array }>;
  params: WeightMap;
}

/**
 * The chain rule made visible: gradients of the single scalar output with respect to every
 * input and parameter at one input row (concatenated in input-node order).
 */
export async function gradients(net: CompiledNetwork, input: Float32Array, opts: { backend?: Backend } = {}): Promise<Gradients> {
  const backend = opts.backend ?? new CpuBackend();
  const session = new EngineSession(backend, net);
  try {
    const gp = session.buildGrad();
    const parts = splitInputs(input, 1, net.inputSizes);
    gp.inputs.forEach((t, i) => backend.write(t.buf, parts[i]));
    gp.program.run();
    const output = (await backend.read(gp.output.buf))[0];
    const inputs = [];
    for (let i = 0; i < gp.inputs.length; i++) {
      const g = gp.inputGrads[i];
      inputs.push({ id: net.inputIds[i], grad: g ? await backend.read(g.buf) : new Float32Array(net.inputSizes[i]) });
    }
    const params: WeightMap = new Map();
    for (const [key, w] of net.weights) {
      const g = gp.paramGrads.get(key);
      params.set(key, { shape: [...w.shape], data: g ? await backend.read(g.buf) : new Float32Array(w.data.length) });
    }
    return { output, inputs, params };
  } finally {
    if (!opts.backend) backend.dispose();
  }
}

/** The network's current weights (after training, the trained ones). */
export function getWeights(net: CompiledNetwork): WeightMap {
  return net.weights;
}
