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
  const wanted: { id: string; w: Tensor; g?: Tensor; act?: Tensor }[] = [];
  for (const layer of net.layers) {
    if (layer.kind !== 'dense' && layer.kind !== 'conv2d') continue;
    const w = params.get(`${layer.id}.weight`);
    if (!w) continue;
    const act = program.values.get(layer.id);
    wanted.push({ id: layer.id, w, g: program.grads.get(`${layer.id}.weight`), act: layer.activation === 'relu' ? act : undefined });
  }
  // A device copies every tensor back in one submission and one round trip, not one per tensor.
  const later = backend.view ? undefined : backend.readLater?.bind(backend);
  const read = (t: { buf: BufferHandle }): Float32Array | Promise<Float32Array> => (backend.view ? backend.view(t.buf) : later ? later(t.buf) : backend.read(t.buf));
  const reads = wanted.map((x) => [read(x.w), x.g && read(x.g), x.act && read(x.act)] as const);
  if (later) backend.endStep();
  // All at once: a failed read rejects here, none is left unheard.
  const got = await Promise.all(reads.map((r) => Promise.all(r)));
  const out: LayerStats[] = [];
  wanted.forEach((x, i) => {
    const [w, g, act] = got[i];
    const stats: LayerStats = { id: x.id, weight: tensorStats(w) };
    if (g) stats.grad = tensorStats(g);
    if (act && x.act) stats.deadFraction = deadFraction(act, x.act.rows, x.act.cols);
    out.push(stats);
  });
  return out;
}
