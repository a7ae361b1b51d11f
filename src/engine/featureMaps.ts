/**
 * What one node of a network computes for one sample: the forward pass (inference: dropout off,
 * batch norm on its moving statistics) recorded on a fresh tape, run once, and that node's output
 * read back. For a conv node of an image network this is its feature maps, channels last
 * (H·W·C values: C maps of H×W). Built on the public forward-graph API, separate from training.
 */
import { prepareKernel, type Backend } from './backend';
import { CpuBackend } from './cpu/cpuBackend';
import { buildForward, type CompiledNetwork, type WeightMap } from './network';
import { EngineSession, Program } from './session';
import { splitInputs } from './splitInputs';
import { TapeGraph } from './tapeGraph';

/** A node's output for one sample and the shape it has (without the batch dimension). */
export interface NodeOutput {
  shape: number[];
  data: Float32Array;
}

/**
 * Runs `net` with `weights` on one sample (`sample`: every input node's features concatenated in
 * input-node order; with `opts.rows`, that many samples one after another) and returns the
 * outputs of the nodes `nodeIds`, in that order (for several rows: row-major, rows × the node's
 * width). Throws when the network has no such node (the caller words it for the user).
 */
export async function nodeOutputs(net: CompiledNetwork, weights: WeightMap, sample: Float32Array, nodeIds: readonly string[], opts: { backend?: Backend; rows?: number } = {}): Promise<NodeOutput[]> {
  const layers = nodeIds.map((id) => {
    const layer = net.layers.find((l) => l.id === id);
    if (!layer) throw new Error(`the network has no node '${id}'`);
    return layer;
  });
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  const rows = opts.rows ?? 1;
  if (sample.length !== width * rows) throw new Error(`the sample has ${sample.length} values; the network's inputs take ${width}${rows === 1 ? '' : ` per row, ${width * rows} for ${rows} rows`}`);
  const backend = opts.backend ?? new CpuBackend();
  try {
    const session = new EngineSession(backend, { ...net, weights });
    const g = new TapeGraph(backend);
    const inputs = net.inputIds.map((id, i) => g.tensor(rows, net.inputSizes[i], `${id}.x`));
    const fwd = buildForward(g, net, session.params, inputs, false);
    const program = new Program(backend, g.forward.map((inv) => prepareKernel(backend, inv, session.ctx)));
    splitInputs(sample, rows, net.inputSizes).forEach((x, i) => backend.write(inputs[i].buf, x));
    program.run();
    const result: NodeOutput[] = [];
    for (const layer of layers) {
      const out = fwd.values.get(layer.id);
      if (!out) throw new Error(`the network computes no output for node '${layer.id}'`);
      const data = await backend.read(out.buf);
      const shape = (layer as { shape?: number[] }).shape ?? [layer.units];
      result.push({ shape: [...shape], data: data.length === out.rows * out.cols ? data : data.slice(0, out.rows * out.cols) });
    }
    return result;
  } finally {
    if (!opts.backend) backend.dispose();
  }
}
