/**
 * The "hand-written JS loop" peer: what a careful programmer writes for one small dense network
 * with no framework: Float32Arrays allocated once, plain nested loops, SGD. It sets the bar a
 * general engine must come close to on tiny networks (issue 4: within 30%).
 */
import { initialParams, type Workload, type WorkloadData } from '../workloads';

/** A trainer for one workload: `step(b)` trains on batch b and returns the batch's mean loss. */
export interface HandLoop {
  step(b: number): number;
  batches: number;
  /** Current parameters (weights [units, inputs] row-major, biases), for tests. */
  params: { weight: Float32Array; bias: Float32Array }[];
}

/** Builds the hand-written trainer for a workload and its data. */
export function createHandLoop(w: Workload, data: WorkloadData): HandLoop {
  const B = w.batch;
  const sizes = [w.inputs, ...w.layers.map((l) => l.units)];
  const params = initialParams(w);
  const L = w.layers.length;
  // Activations a[0..L] (a[0] is a copy of the input batch) and deltas per layer, batch-major.
  const acts = sizes.map((n) => new Float32Array(B * n));
  const deltas = sizes.map((n) => new Float32Array(B * n));
  const batches = Math.floor(data.x.length / data.inputs / B);
  const lr = w.learningRate;
  const out = sizes[L];

  function step(b: number): number {
    acts[0].set(data.x.subarray(b * B * w.inputs, (b + 1) * B * w.inputs));
    const y = data.y.subarray(b * B * out, (b + 1) * B * out);
    // forward
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l], nOut = sizes[l + 1];
      const { weight: W, bias } = params[l];
      const a = acts[l], z = acts[l + 1];
      const act = w.layers[l].activation;
      for (let s = 0; s < B; s++) {
        const ao = s * nIn, zo = s * nOut;
        for (let u = 0; u < nOut; u++) {
          let sum = bias[u];
          const wo = u * nIn;
          for (let j = 0; j < nIn; j++) sum += W[wo + j] * a[ao + j];
          z[zo + u] = act === 'relu' ? (sum > 0 ? sum : 0) : act === 'tanh' ? Math.tanh(sum) : act === 'sigmoid' ? 1 / (1 + Math.exp(-sum)) : sum;
        }
        if (act === 'softmax') {
          let max = -Infinity, total = 0;
          for (let u = 0; u < nOut; u++) max = Math.max(max, z[zo + u]);
          for (let u = 0; u < nOut; u++) total += z[zo + u] = Math.exp(z[zo + u] - max);
          for (let u = 0; u < nOut; u++) z[zo + u] /= total;
        }
      }
    }
    // loss and output delta: sigmoid + BCE and softmax + CE both give (p − y) / B
    const p = acts[L], dOut = deltas[L];
    let loss = 0;
    for (let i = 0; i < B * out; i++) {
      const pi = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
      loss -= out === 1 ? y[i] * Math.log(pi) + (1 - y[i]) * Math.log(1 - pi) : y[i] * Math.log(pi);
      dOut[i] = (p[i] - y[i]) / B;
    }
    // backward and update
    for (let l = L - 1; l >= 0; l--) {
      const nIn = sizes[l], nOut = sizes[l + 1];
      const { weight: W, bias } = params[l];
      const a = acts[l], dz = deltas[l + 1], da = deltas[l];
      if (l > 0) {
        const act = w.layers[l - 1].activation;
        for (let s = 0; s < B; s++) {
          for (let j = 0; j < nIn; j++) {
            let sum = 0;
            for (let u = 0; u < nOut; u++) sum += dz[s * nOut + u] * W[u * nIn + j];
            const v = a[s * nIn + j];
            da[s * nIn + j] = act === 'relu' ? (v > 0 ? sum : 0) : act === 'tanh' ? sum * (1 - v * v) : act === 'sigmoid' ? sum * v * (1 - v) : sum;
          }
        }
      }
      for (let u = 0; u < nOut; u++) {
        let gb = 0;
        const wo = u * nIn;
        for (let s = 0; s < B; s++) {
          const g = dz[s * nOut + u];
          if (g === 0) continue;
          gb += g;
          const g2 = lr * g, ao = s * nIn;
          for (let j = 0; j < nIn; j++) W[wo + j] -= g2 * a[ao + j];
        }
        bias[u] -= lr * gb;
      }
    }
    return loss / B;
  }
  return { step, batches, params };
}
