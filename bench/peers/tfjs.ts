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
import { initialParams, paramLayers, timeBoxSync, type Workload, type WorkloadData } from '../workloads';

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

/**
 * tf.conv2d with `valid` padding and stride 1. The wasm backend has no Conv2DBackpropFilter kernel
 * (tf.grads through a convolution fails there), so where the backend lacks it the gradient is
 * given by hand with kernels it has: the input gradient as conv2dTranspose, the filter gradient
 * as a forward convolution (dW[kh,kw,c,f] = Σ x[n,i+kh,j+kw,c]·dy[n,i,j,f]: x as a batch of c
 * images [c, H, W, n] convolved with dy as a filter [OH, OW, n, f]). `inputGrad` false (the
 * first layer, fed the data) skips the input gradient, as tf.grads does for an input it does not need.
 */
export function makeConv2d(inputGrad: boolean): (x: tf.Tensor4D, W: tf.Tensor4D) => tf.Tensor4D {
  if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) return (x, W) => tf.conv2d(x, W, 1, 'valid');
  const conv = tf.customGrad(((x: tf.Tensor4D, W: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([x, W]);
    return {
      value: tf.conv2d(x, W, 1, 'valid'),
      gradFunc: (dy: tf.Tensor4D, [xs, ws]: tf.Tensor[]) => {
        const x4 = xs as tf.Tensor4D, w4 = ws as tf.Tensor4D;
        const dx = inputGrad ? tf.conv2dTranspose(dy, w4, x4.shape, 1, 'valid') : tf.zerosLike(x4);
        const dW = tf.transpose(tf.conv2d(tf.transpose(x4, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid'), [1, 2, 0, 3]);
        return [dx, dW];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (x, W) => conv(x, W) as tf.Tensor4D;
}

/** A TF.js model of a workload: `step(b)` trains one batch (SGD) and returns its loss tensor's value lazily. */
export function createTfjsTrainer(w: Workload, data: WorkloadData): {
  step: (b: number) => void;
  loss: (b: number) => number;
  /** Current parameters in our layout (conv [filters, kh, kw, c], dense [units, inputs]), for tests. */
  params: () => { weight: Float32Array; bias: Float32Array }[];
  batches: number;
  dispose: () => void;
} {
  const layout = paramLayers(w);
  const vars = initialParams(w).map((p, l) => {
    const shape = layout[l].weightShape;
    // TF.js convolves with [kh, kw, c, filters] and computes x·W with W [inputs, units]: our file layout, transposed.
    const W = shape.length === 4 ? tf.transpose(tf.tensor4d(p.weight, shape as [number, number, number, number]), [1, 2, 3, 0]) : tf.transpose(tf.tensor2d(p.weight, shape as [number, number]));
    return { W: tf.variable(W), b: tf.variable(tf.tensor1d(p.bias)) };
  });
  const convs = (w.features ?? []).filter((f) => f.type === 'conv2d').map((_, i) => makeConv2d(i > 0));
  const batches = Math.floor(data.x.length / data.inputs / w.batch);
  const xShape = w.image ? [w.batch, ...w.image] : [w.batch, data.inputs];
  // Batches are made once: the timing is of training, not of copying data into tensors.
  const xs = Array.from({ length: batches }, (_, b) => tf.tensor(data.x.subarray(b * w.batch * data.inputs, (b + 1) * w.batch * data.inputs), xShape));
  const ys = Array.from({ length: batches }, (_, b) => tf.tensor2d(data.y.subarray(b * w.batch * data.outputs, (b + 1) * w.batch * data.outputs), [w.batch, data.outputs]));
  const optimizer = tf.train.sgd(w.learningRate);
  const activate = (z: tf.Tensor, act: string): tf.Tensor => (act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : act === 'sigmoid' ? tf.sigmoid(z) : tf.softmax(z));
  const lossOf = (b: number): tf.Scalar => {
    let h: tf.Tensor = xs[b];
    let v = 0;
    for (const f of w.features ?? []) {
      if (f.type === 'conv2d') {
        h = activate(tf.add(convs[v](h as tf.Tensor4D, vars[v].W as tf.Tensor4D), vars[v].b), f.activation);
        v++;
      } else h = tf.maxPool(h as tf.Tensor4D, f.poolSize, f.poolSize, 'valid');
    }
    // Flatten: TF.js is channels last, so the order is ours (row-major over H, W, C).
    if (w.image) h = tf.reshape(h, [w.batch, -1]);
    w.layers.forEach((layer, l) => {
      const z = tf.add(tf.matMul(h as tf.Tensor2D, vars[v + l].W as tf.Tensor2D), vars[v + l].b);
      // The output activation is folded into the loss (from logits), as a careful user would write it.
      h = l === w.layers.length - 1 ? z : activate(z, layer.activation);
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
    params: () => vars.map((v) => ({
      weight: tf.tidy(() => (v.W.rank === 4 ? tf.transpose(v.W, [3, 0, 1, 2]) : tf.transpose(v.W)).dataSync() as Float32Array),
      bias: v.b.dataSync() as Float32Array,
    })),
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
