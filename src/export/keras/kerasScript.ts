/**
 * The Keras export: a script that builds the same network with the functional API (one layer per
 * node, named after it), sets the trained weights when the safetensors file is beside it, and
 * compiles and fits it with the file's loss, optimizer, batch size, epochs, seed and data.
 */
import type { NetworkDoc } from '../../model/types';
import { ExportError } from '../exportError';
import type { WindowGeometry } from '../../model/convGeometry';
import type { ExportPlan, PlanActivation, PlanNode } from '../exportPlan';
import { PY_LOAD_CSV, PY_SAFETENSORS } from '../pythonHelpers';
import { pyDocText, pyFloat, pyInt, pyString, pythonNames } from '../pythonNames';
import type { TrainingPlan } from '../trainingPlan';

/** File names the Keras script refers to, relative to its folder. */
export interface KerasFiles {
  script: string;
  data?: string;
  weights: string;
}

/** Activations Keras names as strings (Dense(activation=…) / layers.Activation). */
const KERAS_NAMED = new Set(['linear', 'sigmoid', 'tanh', 'relu', 'softmax']);

/** Builds the layer expression for a standalone activation named `name`. */
function activationLayer(a: PlanActivation, name: string): string {
  if (KERAS_NAMED.has(a.name)) return `layers.Activation(${pyString(a.name)}, name=${pyString(name)})`;
  switch (a.name) {
    case 'leaky_relu': return `layers.LeakyReLU(negative_slope=${pyFloat(a.alpha ?? 0.1)}, name=${pyString(name)})`;
    case 'elu': return `layers.ELU(alpha=${pyFloat(a.alpha ?? 1)}, name=${pyString(name)})`;
    case 'step': return `layers.Lambda(binary_step, name=${pyString(name)})`;
    default: throw new ExportError(`Activation '${a.name}' has no Keras equivalent in this exporter.`);
  }
}

/** The build_model() function: one line per layer, in topological order. */
export function kerasBuildSource(plan: ExportPlan, names: Map<string, string>, l1: number, l2: number): string {
  const v = (id: string): string => names.get(id) as string;
  const used = new Set(plan.nodes.map((p) => p.id));
  const extraName = (base: string): string => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  const locals = new Set(names.values());
  const reg = l1 || l2 ? `, kernel_regularizer=keras.regularizers.L1L2(l1=${pyFloat(l1)}, l2=${pyFloat(l2)})` : '';
  const lines: string[] = [];
  for (const p of plan.nodes) {
    const ins = p.inputs.map(v);
    const id = pyString(p.id);
    switch (p.node.type) {
      case 'input':
        lines.push(`${v(p.id)} = keras.Input(shape=${shapeTuple(p.shape)}, name=${id})`);
        break;
      case 'dense':
      case 'conv2d': {
        const a = p.activation;
        const inLayer = !a || KERAS_NAMED.has(a.name);
        const act = inLayer ? `, activation=${pyString(a?.name ?? 'linear')}` : '';
        const bias = p.node.useBias === false ? ', use_bias=False' : '';
        let target = v(p.id);
        if (!inLayer) {
          // The pre-activation's local must not clobber another node's variable (a node called `h_linear`).
          target = `${v(p.id)}_linear`;
          while (locals.has(target)) target += '_';
          locals.add(target);
        }
        const layer = p.node.type === 'dense'
          ? `layers.Dense(${pyInt(p.units, 'a layer width')}${act}${bias}${reg}, name=${id})`
          : `layers.Conv2D(${pyInt(p.shape[2], 'a filter count')}, ${windowArgs(p)}${act}${bias}${reg}, name=${id})`;
        lines.push(`${target} = ${layer}(${ins[0]})`);
        if (!inLayer && a) lines.push(`${v(p.id)} = ${activationLayer(a, extraName(`${p.id}_${a.name}`))}(${target})`);
        break;
      }
      case 'maxpool2d':
      case 'avgpool2d':
        lines.push(`${v(p.id)} = layers.${p.node.type === 'maxpool2d' ? 'MaxPooling2D' : 'AveragePooling2D'}(${windowArgs(p)}, name=${id})(${ins[0]})`);
        break;
      case 'globalavgpool2d':
        lines.push(`${v(p.id)} = layers.GlobalAveragePooling2D(name=${id})(${ins[0]})`);
        break;
      case 'flatten':
        lines.push(`${v(p.id)} = layers.Flatten(name=${id})(${ins[0]})`);
        break;
      case 'reshape':
        lines.push(`${v(p.id)} = layers.Reshape(${shapeTuple(p.shape)}, name=${id})(${ins[0]})`);
        break;
      case 'batchnorm': {
        const b = p.norm as NonNullable<PlanNode['norm']>;
        lines.push(`${v(p.id)} = layers.BatchNormalization(axis=-1, momentum=${pyFloat(b.momentum)}, epsilon=${pyFloat(b.epsilon)}, name=${id})(${ins[0]})`);
        break;
      }
      case 'activation':
        lines.push(`${v(p.id)} = ${activationLayer(p.activation as PlanActivation, p.id)}(${ins[0]})`);
        break;
      case 'dropout':
        lines.push(`${v(p.id)} = layers.Dropout(${pyFloat(p.node.rate)}, name=${id})(${ins[0]})`);
        break;
      case 'add':
        lines.push(`${v(p.id)} = layers.Add(name=${id})([${ins.join(', ')}])`);
        break;
      case 'multiply':
        lines.push(`${v(p.id)} = layers.Multiply(name=${id})([${ins.join(', ')}])`);
        break;
      case 'concat':
        lines.push(`${v(p.id)} = layers.Concatenate(axis=-1, name=${id})([${ins.join(', ')}])`);
        break;
    }
  }
  const ins = plan.inputs.map((p) => v(p.id)).join(', ');
  const outs = plan.outputs.map((p) => v(p.id)).join(', ');
  return [
    'def build_model():',
    `    """${pyDocText(plan.name)} with the functional API: one layer per Neural Canvas node, named after it."""`,
    ...lines.map((l) => `    ${l}`),
    `    return keras.Model(inputs=[${ins}], outputs=[${outs}], name=${pyString(plan.name)})`,
    '',
  ].join('\n');
}

/** A Python tuple of a shape: (8, 8, 1) or (3,). */
function shapeTuple(shape: number[]): string {
  const dims = shape.map((d) => pyInt(d, 'a shape'));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Kernel or pool size, strides and padding of a conv or pooling node (Keras' own padding rule, which ours follows). */
function windowArgs(p: PlanNode): string {
  const g = p.window as WindowGeometry;
  const n = p.node as { padding?: string };
  const size = `(${pyInt(g.kh, 'a window size')}, ${pyInt(g.kw, 'a window size')})`;
  const first = p.node.type === 'conv2d' ? size : `pool_size=${size}`;
  return `${first}, strides=(${pyInt(g.sh, 'a stride')}, ${pyInt(g.sw, 'a stride')}), padding=${pyString(n.padding === 'same' ? 'same' : 'valid')}`;
}

/** The optimizer constructor with every hyper-parameter spelled out. */
function kerasOptimizer(t: TrainingPlan): string {
  const o = t.optimizer;
  if (o.type === 'sgd') return `keras.optimizers.SGD(learning_rate=${pyFloat(o.learningRate)}, momentum=${pyFloat(o.momentum)}, nesterov=${o.nesterov ? 'True' : 'False'})`;
  if (o.type === 'adam') return `keras.optimizers.Adam(learning_rate=${pyFloat(o.learningRate)}, beta_1=${pyFloat(o.beta1)}, beta_2=${pyFloat(o.beta2)}, epsilon=${pyFloat(o.epsilon)})`;
  return `keras.optimizers.RMSprop(learning_rate=${pyFloat(o.learningRate)}, rho=${pyFloat(o.rho)}, epsilon=${pyFloat(o.epsilon)}, momentum=0.0, centered=False)`;
}

/** Generates the Keras script's text. */
export function kerasScript(_doc: NetworkDoc, plan: ExportPlan, t: TrainingPlan, files: KerasFiles): string {
  const names = pythonNames(plan.nodes.map((p) => p.id));
  const es = t.earlyStopping;
  const weighted = plan.nodes.filter((p) => p.node.type === 'dense' || p.node.type === 'conv2d' || p.node.type === 'batchnorm');
  const callbacks = es
    ? `[keras.callbacks.EarlyStopping(monitor=${pyString(es.monitor)}, patience=${pyInt(es.patience, 'training.earlyStopping.patience')}, min_delta=${pyFloat(es.minDelta)}, restore_best_weights=${es.restoreBestWeights ? 'True' : 'False'})]`
    : '[]';
  // File names come from the user's file system: inert text in the docstring, string literals in code.
  const shown = { script: pyDocText(files.script), weights: pyDocText(files.weights), data: files.data && pyDocText(files.data) };
  return `#!/usr/bin/env python3
"""${pyDocText(plan.name)}: a Keras (3) port of a Neural Canvas network (nn/1), built with the functional API.

  python3 ${shown.script} [--epochs N] [--data CSV] [--weights FILE]

Weights: ${shown.weights} beside this script is loaded when present (kernels are transposed: Neural
Canvas stores [units, inputs], Keras [inputs, units]; conv kernels [filters, kh, kw, C] become
[kh, kw, C, filters]; images are channels last in both, so nothing else moves). Data: ${shown.data ?? 'pass --data CSV'} (columns split,
x:..., y:...; the exact rows Neural Canvas trains on). Keras's Adam folds ε in slightly differently
and reports the loss with the L1/L2 penalty included, so numbers differ from Neural Canvas's in the last digits.
"""
import argparse
import csv
import json
import os
import struct
import sys

import numpy as np
import keras
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_SIZES = [${plan.inputs.map((p) => p.units).join(', ')}]
INPUT_WIDTH = ${plan.inputs.reduce((s, p) => s + p.units, 0)}
OUTPUT_WIDTH = ${plan.outputs.reduce((s, p) => s + p.units, 0)}
INPUT_SHAPES = [${plan.inputs.map((p) => shapeTuple(p.shape)).join(', ')}]
# Layers with weights: (kind, uses a bias); kind is dense, conv2d or batchnorm.
WEIGHTED_LAYERS = {${weighted.map((p) => `${pyString(p.id)}: (${pyString(p.node.type)}, ${'useBias' in p.node && p.node.useBias === false ? 'False' : 'True'})`).join(', ')}}
DATA_FILE = ${files.data ? pyString(files.data) : 'None'}
WEIGHTS_FILE = ${pyString(files.weights)}


def binary_step(x):
    """Binary step (1 for x >= 0, else 0) with a straight-through gradient, as Neural Canvas trains it."""
    return x + keras.ops.stop_gradient(keras.ops.cast(x >= 0, x.dtype) - x)


${kerasBuildSource(plan, names, t.l1, t.l2)}
${PY_SAFETENSORS}
${PY_LOAD_CSV}

def set_weights(model, tensors, source):
    """Sets Neural Canvas weights as Keras expects them: dense kernels [units, inputs] -> [inputs, units],
    conv kernels [filters, kh, kw, C] -> [kh, kw, C, filters], batch norm [gamma, beta, moving mean, moving variance]."""
    def array(name):
        shape, values = tensors[name]
        return np.array(values, dtype=np.float32).reshape(shape)

    for node, (kind, uses_bias) in WEIGHTED_LAYERS.items():
        layer = model.get_layer(node)
        if kind == "batchnorm":
            if node + ".gamma" in tensors:
                layer.set_weights([array(node + suffix) for suffix in (".gamma", ".beta", ".moving_mean", ".moving_variance")])
            continue
        kernel = array(node + ".weight")
        kernel = kernel.T if kind == "dense" else np.transpose(kernel, (1, 2, 3, 0))
        weights = [kernel]
        if uses_bias:
            weights.append(array(node + ".bias"))
        layer.set_weights(weights)
    print(f"loaded weights from {source}", file=sys.stderr)


def split_inputs(x):
    """The data's rows split per input, each reshaped to its input's shape (images: [N, H, W, C], channels last as in Neural Canvas)."""
    return [part.reshape((-1,) + shape) for part, shape in zip(np.split(x, np.cumsum(INPUT_SIZES)[:-1], axis=1), INPUT_SHAPES)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=${pyInt(t.epochs, 'training.epochs')})
    parser.add_argument("--data", help="data CSV (default: the one exported beside this script)")
    parser.add_argument("--weights", help="weights to start from (safetensors)")
    args = parser.parse_args()
    keras.utils.set_random_seed(${pyInt(t.seed, 'training.seed')})
    model = build_model()
    if len(model.outputs) != 1:
        sys.exit(f"This network has {len(model.outputs)} outputs; this script (like Neural Canvas) trains a network with one output. Use build_model() directly.")
    weights = args.weights or os.path.join(HERE, WEIGHTS_FILE)
    if os.path.exists(weights):
        set_weights(model, read_safetensors(weights), weights)
    model.compile(optimizer=${kerasOptimizer(t)}, loss=${pyString(t.loss)}, metrics=${t.loss === 'mse' ? '[]' : '["accuracy"]'})
    model.summary()
    (train_x, train_y), val = load_rows(args.data or os.path.join(HERE, DATA_FILE or "missing_data.csv"))
    x, y = np.array(train_x, dtype=np.float32), np.array(train_y, dtype=np.float32)
    validation = None
    if val is not None:
        validation = (split_inputs(np.array(val[0], dtype=np.float32)), np.array(val[1], dtype=np.float32))
    model.fit(split_inputs(x), y, batch_size=${pyInt(t.batchSize, 'training.batchSize')}, epochs=args.epochs, shuffle=${t.shuffle ? 'True' : 'False'},
              validation_data=validation, callbacks=${callbacks})
    model.save(os.path.join(HERE, ${pyString(`${plan.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.keras`)}))


if __name__ == "__main__":
    main()
`;
}
