/**
 * The TensorFlow.js peer (tfjs-core 4 with the cpu and wasm backends; dev dependencies used by
 * the benchmark only). The wasm binaries are loaded from node_modules, never the network.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; the layers/union packages do this import for users.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initialParams, timeBoxSync, type Workload, type WorkloadData } from '../workloads';

let wasmPathSet = false;

// Production mode, as a deployed app runs: no debug checks, and no console banner suggesting tfjs-node.
tf.env().set('PROD', true);

/** Switches TF.js to `backend`; false (with the reason) when it cannot start. */
export async function useTfjsBackend(backend: 'cpu' | 'wasm'): Promise<true | string> {
  if (backend === 'wasm' && !wasmPathSet) {
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dir + path.sep);
    wasmPathSet = true;
  }
  try {
    return (await tf.setBackend(backend)) ? true : `tf.setBackend('${backend}') returned false`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A TF.js model of a workload: `step(b)` trains one batch (SGD) and returns its loss tensor's value lazily. */
export function createTfjsTrainer(w: Workload, data: WorkloadData): {
  step: (b: number) => void;
  loss: (b: number) => number;
  /** Current parameters in our layout (weights [units, inputs]), for tests. */
  params: () => { weight: Float32Array; bias: Float32Array }[];
  batches: number;
  dispose: () => void;
} {
  const vars = initialParams(w).map((p, l) => {
    const nIn = l === 0 ? w.inputs : w.layers[l - 1].units;
    // TF.js computes x·W, so W is stored [inputs, units]: the transpose of our file layout.
    return {
      W: tf.variable(tf.transpose(tf.tensor2d(p.weight, [w.layers[l].units, nIn]))),
      b: tf.variable(tf.tensor1d(p.bias)),
    };
  });
  const batches = Math.floor(data.x.length / data.inputs / w.batch);
  // Batches are made once: the timing is of training, not of copying data into tensors.
  const xs = Array.from({ length: batches }, (_, b) => tf.tensor2d(data.x.subarray(b * w.batch * data.inputs, (b + 1) * w.batch * data.inputs), [w.batch, data.inputs]));
  const ys = Array.from({ length: batches }, (_, b) => tf.tensor2d(data.y.subarray(b * w.batch * data.outputs, (b + 1) * w.batch * data.outputs), [w.batch, data.outputs]));
  const optimizer = tf.train.sgd(w.learningRate);
  const lossOf = (b: number): tf.Scalar => {
    let h: tf.Tensor2D = xs[b];
    vars.forEach((v, l) => {
      const z = tf.add(tf.matMul(h, v.W), v.b) as tf.Tensor2D;
      const act = w.layers[l].activation;
      // The output activation is folded into the loss (from logits), as a careful user would write it.
      h = l === vars.length - 1 ? z : act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : act === 'sigmoid' ? tf.sigmoid(z) : tf.softmax(z);
    });
    return w.loss === 'binary_crossentropy' ? tf.losses.sigmoidCrossEntropy(ys[b], h) : tf.losses.softmaxCrossEntropy(ys[b], h);
  };
  return {
    batches,
    step: (b) => {
      tf.tidy(() => {
        optimizer.minimize(() => lossOf(b));
      });
    },
    loss: (b) => tf.tidy(() => lossOf(b).dataSync()[0]),
    params: () => vars.map((v) => ({ weight: tf.tidy(() => tf.transpose(v.W).dataSync() as Float32Array), bias: v.b.dataSync() as Float32Array })),
    dispose: () => {
      for (const t of [...vars.flatMap((v) => [v.W, v.b]), ...xs, ...ys]) t.dispose();
      optimizer.dispose();
    },
  };
}

/** Samples per second of TF.js training a workload on `backend`, or the reason it could not run. */
export async function benchTfjs(backend: 'cpu' | 'wasm', w: Workload, data: WorkloadData, budgetMs: number): Promise<number | string> {
  const ok = await useTfjsBackend(backend);
  if (ok !== true) return ok;
  const t = createTfjsTrainer(w, data);
  try {
    // The cpu and wasm backends run every kernel eagerly and synchronously, so a step has
    // finished when minimize returns.
    return timeBoxSync(t.batches, (b) => {
      t.step(b);
      return w.batch;
    }, budgetMs);
  } finally {
    t.dispose();
  }
}
