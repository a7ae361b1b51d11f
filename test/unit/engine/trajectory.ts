/**
 * A training trajectory for comparing backends: every step's batch loss and the weights after it,
 * recorded through the TrainingSession that `train()` uses.
 */
import type { Backend } from '../../../src/engine/backend';
import type { Dataset } from '../../../src/engine/data';
import type { CompiledNetwork, TrainSettings } from '../../../src/engine';
import { TrainingSession } from '../../../src/engine/trainingSession';

export interface Trajectory { losses: number[]; weights: Map<string, Float32Array>[] }

/**
 * Runs `steps` steps. A step's loss is its share of the epoch's running loss (epochLoss() is
 * Σ(batch loss × rows) / rows of the epoch), so a device that reports only the running sum is
 * read the same way as the CPU.
 */
export async function sessionTrajectory(backend: Backend, net: CompiledNetwork, data: Dataset, settings: TrainSettings, steps: number): Promise<Trajectory> {
  const session = new TrainingSession(backend, net, { train: data }, settings);
  const out: Trajectory = { losses: [], weights: [] };
  try {
    let before = 0;
    for (let s = 0; s < steps; s++) {
      const o = await session.step();
      const sum = (await session.epochLoss()) * data.count;
      // o.step counts the steps within the epoch; the last batch may be short.
      const rows = Math.min(session.batch, data.count - (o.step - 1) * session.batch);
      out.losses.push((sum - (o.step === 1 ? 0 : before)) / rows);
      before = sum;
      const w = await session.readWeights();
      out.weights.push(new Map([...w].map(([k, v]) => [k, v.data])));
    }
  } finally {
    session.dispose();
  }
  return out;
}

/** The largest |a − b| / (|b| + floor) over the pairs; floor keeps values near zero from dominating. */
export function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor));
  return worst;
}
