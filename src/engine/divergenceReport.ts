/**
 * Where a diverged run went wrong, in words: the step, what the loss did, and the first layer
 * whose output, gradient or weights went NaN/Inf. The TrainingSession throws what this builds.
 */
import type { CpuBackend } from './cpu/cpuBackend';
import type { CpuBuffer } from './cpu/cpuBuffer';
import { explodedText, lossText, type DivergenceKind } from './divergence';
import { TrainError } from './events';
import { firstNonFinite } from './layerStats';
import { BATCHNORM_KEYS, hasParams } from './network';
import type { EngineSession, TrainProgram } from './session';
import type { Tensor } from './tensor';

/** Where a step ran: the global step, its epoch and its 1-based index in the epoch. */
export interface StepPlace {
  global: number;
  epoch: number;
  step: number;
}

/** What went wrong at which step. */
export interface Divergence extends StepPlace {
  loss: number;
  kind: DivergenceKind | 'weights';
  /** exploded: the first step's loss. */
  first?: number;
  /** weights: the layer and tensor that went non-finite. */
  where?: string;
}

/** A parameter key and index in words: "h1 (weight, index 3)". */
export function paramPlace(key: string, index: number): string {
  const dot = key.lastIndexOf('.');
  return `${key.slice(0, dot)} (${key.slice(dot + 1)}, index ${index})`;
}

/**
 * The first of `params` (a session's parameter tensors, [key, tensor] in order) holding NaN/Inf
 * on the CPU backend, in words, or undefined. An array, not the session's map: the CPU checks
 * every step with it, and walking a map's entries cost a tiny network's step more than the check.
 * A tensor whose optimizer update saw every value it wrote finite (CpuBuffer.finite) is not read
 * again: the update's own pass is the check.
 */
export function nonFiniteParam(params: ReadonlyArray<readonly [string, Tensor]>, cpu: CpuBackend): string | undefined {
  for (let p = 0; p < params.length; p++) {
    if ((params[p][1].buf as CpuBuffer).finite === true) continue;
    const i = firstNonFinite(cpu.view(params[p][1].buf));
    if (i >= 0) return paramPlace(params[p][0], i);
  }
  return undefined;
}

/** A device's flag said some weights went NaN/Inf at this step: finds which (the first such tensor now). */
export async function weightsDivergence(session: EngineSession, at: StepPlace, loss: number): Promise<Divergence> {
  for (const [key, t] of session.params) {
    const i = firstNonFinite(await session.backend.read(t.buf));
    if (i >= 0) return { ...at, loss, kind: 'weights', where: paramPlace(key, i) };
  }
  return { ...at, loss, kind: 'weights', where: 'of the network' };
}

/** The error a diverged step ends the run with: where, what, and what to try. */
export async function divergenceError(session: EngineSession, tp: TrainProgram, d: Divergence): Promise<TrainError> {
  const outId = session.net.outputIds[0];
  let what: string;
  let layer: string;
  if (d.kind === 'exploded') {
    what = `${explodedText(d.loss, d.first ?? NaN)}`;
    layer = outId;
  } else if (d.kind === 'weights') {
    what = `loss ${lossText(d.loss)}; the weights of layer ${d.where} became NaN/Inf`;
    layer = d.where?.split(' ')[0] ?? outId;
  } else {
    const where = await firstNonFiniteLayer(session, tp);
    // No tensor is non-finite yet: the batch loss itself overflowed float32 (enormous outputs).
    const detail = where ? `; first non-finite values in layer ${where}` : `; the loss overflowed float32: the outputs of layer ${outId} are too large`;
    what = `loss ${lossText(d.loss)}${detail}`;
    layer = where?.split(' ')[0] ?? outId;
  }
  const message = `training diverged at epoch ${d.epoch}, step ${d.step} (step ${d.global} of the run): ${what}. ` +
    'Try a lower learning rate; standardising the inputs or a from-logits loss (sigmoid/softmax output with cross-entropy) also help.';
  return new TrainError(message, d.global, layer);
}

/** The earliest layer whose output, gradient or weights hold NaN/Inf after the last step, in words. */
async function firstNonFiniteLayer(session: EngineSession, tp: TrainProgram): Promise<string | undefined> {
  // Forward first: the earliest layer whose output overflowed is where the trouble starts.
  for (const layer of session.net.layers) {
    const out = tp.values.get(layer.id);
    if (layer.kind !== 'input' && out && firstNonFinite(await session.backend.read(out.buf)) >= 0) return `${layer.id} (its output)`;
  }
  for (const layer of session.net.layers) {
    if (!hasParams(layer)) continue;
    for (const suffix of ['weight', 'bias', ...BATCHNORM_KEYS]) {
      const key = `${layer.id}.${suffix}`;
      const g = tp.grads.get(key);
      const p = session.params.get(key);
      if (g && firstNonFinite(await session.backend.read(g.buf)) >= 0) return `${layer.id} (gradient of ${suffix})`;
      if (p && firstNonFinite(await session.backend.read(p.buf)) >= 0) return `${layer.id} (${suffix})`;
    }
  }
  return undefined;
}
