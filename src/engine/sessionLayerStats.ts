/** The layer statistics of a training session's last step (the 'layers' training event). */
import type { Backend, BufferHandle } from './backend';
import { deadFraction, tensorStats, type LayerStats } from './layerStats';
import type { CompiledNetwork } from './network';
import type { TrainProgram } from './session';
import type { Tensor } from './tensor';

/**
 * Statistics of every dense and conv2d layer's weights (kernels) and gradients after `program`'s
 * last step, and dead ReLUs: units, or filters dead at every position of the batch. The CPU's
 * buffers are summarised where they lie: no copy of every weight and gradient at each 'layers'
 * event (16 MB a time on a wide network).
 */
export async function sessionLayerStats(backend: Backend, net: CompiledNetwork, params: ReadonlyMap<string, Tensor>, program: TrainProgram): Promise<LayerStats[]> {
  const out: LayerStats[] = [];
  const read = (t: { buf: BufferHandle }): Float32Array | Promise<Float32Array> => (backend.view ? backend.view(t.buf) : backend.read(t.buf));
  for (const layer of net.layers) {
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d') continue;
    const key = `${layer.id}.weight`;
    const w = params.get(key);
    if (!w) continue;
    const g = program.grads.get(key);
    const stats: LayerStats = { id: layer.id, weight: tensorStats(await read(w)) };
    if (g) stats.grad = tensorStats(await read(g));
    const act = program.values.get(layer.id);
    if (layer.activation === 'relu' && act) stats.deadFraction = deadFraction(await read(act), act.rows, act.cols);
    out.push(stats);
  }
  return out;
}
