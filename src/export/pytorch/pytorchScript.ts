/**
 * The PyTorch export: one readable script holding the network as an nn.Module, the file's
 * training settings spelled out, and a training loop that runs as one process under `python` and
 * with DistributedDataParallel under `torchrun --nproc_per_node=N`.
 */
import type { NetworkDoc } from '../../model/types';
import type { ExportPlan } from '../exportPlan';
import { PY_LOAD_CSV, PY_SAFETENSORS } from '../pythonHelpers';
import { pyDocText, pyFloat, pyInt, pyString, pythonNames } from '../pythonNames';
import type { TrainingPlan } from '../trainingPlan';
import { inlineWeightsSource, torchModuleSource, torchParameterNames } from './pytorchModule';
import { PY_IMAGE_HELPERS } from './pytorchImage';
import { PY_ENGINE_RANDOM } from './pytorchRandom';
import { PY_TRAINING, torchLossSource } from './pytorchTraining';

/** File names the script refers to, relative to the script's own folder. */
export interface PytorchFiles {
  script: string;
  /** Data CSV, or undefined when the export carries no data (then `--data` is required). */
  data?: string;
  /** Initial weights, loaded when the file exists. */
  weights: string;
  /** Where training writes its weights by default. */
  save: string;
}

/** Generates the script's text. */
export function pytorchScript(doc: NetworkDoc, plan: ExportPlan, training: TrainingPlan, files: PytorchFiles): string {
  const names = pythonNames(plan.nodes.map((p) => p.id));
  const t = training;
  const o = t.optimizer;
  const py = (v: boolean): string => (v ? 'True' : 'False');
  const es = t.earlyStopping;
  const dataSpec = doc.training?.data ? JSON.stringify(doc.training.data) : 'none';
  const settings = [
    `INPUTS = [${plan.inputs.map((p) => pyString(p.id)).join(', ')}]`,
    `INPUT_SIZES = [${plan.inputs.map((p) => p.units).join(', ')}]`,
    `INPUT_WIDTH = ${plan.inputs.reduce((s, p) => s + p.units, 0)}`,
    `OUTPUTS = [${plan.outputs.map((p) => pyString(p.id)).join(', ')}]`,
    `OUTPUT_WIDTH = ${plan.outputs.reduce((s, p) => s + p.units, 0)}`,
    `LOSS = ${pyString(t.loss)}`,
    `FROM_LOGITS = ${py(t.fromLogits)}`,
    `EPSILON = 1e-7  # clamps probabilities before log when the loss cannot take logits`,
    `OPTIMIZER = {"type": ${pyString(o.type)}, "learning_rate": ${pyFloat(o.learningRate)}, "momentum": ${pyFloat(o.momentum)}, "nesterov": ${py(o.nesterov)}, ` +
      `"beta1": ${pyFloat(o.beta1)}, "beta2": ${pyFloat(o.beta2)}, "rho": ${pyFloat(o.rho)}, "epsilon": ${pyFloat(o.epsilon)}}`,
    `BATCH_SIZE = ${pyInt(t.batchSize, 'training.batchSize')}`,
    `EPOCHS = ${pyInt(t.epochs, 'training.epochs')}`,
    `SHUFFLE = ${py(t.shuffle)}`,
    `SEED = ${pyInt(t.seed, 'training.seed')}`,
    `L1 = ${pyFloat(t.l1)}`,
    `L2 = ${pyFloat(t.l2)}`,
    `REGULARIZED = [${plan.nodes.filter((p) => p.node.type === 'dense' || p.node.type === 'conv2d').map((p) => pyString(`${p.id}.weight`)).join(', ')}]`,
    `EARLY_STOPPING = ${es ? `{"monitor": ${pyString(es.monitor)}, "patience": ${pyInt(es.patience, 'training.earlyStopping.patience')}, "min_delta": ${pyFloat(es.minDelta)}, "restore_best_weights": ${py(es.restoreBestWeights)}}` : 'None'}`,
    `DATA_FILE = ${files.data ? pyString(files.data) : 'None'}`,
    `WEIGHTS_FILE = ${pyString(files.weights)}`,
    `SAVE_FILE = ${pyString(files.save)}`,
  ];
  // File names come from the user's file system: inert text in the docstring, string literals in code.
  const shown = { script: pyDocText(files.script), weights: pyDocText(files.weights), save: pyDocText(files.save), data: files.data && pyDocText(files.data) };
  const header = `#!/usr/bin/env python3
"""${pyDocText(plan.name)}: a PyTorch port of a Neural Canvas network (nn/1), with its training settings.

  python3 ${shown.script}                              # train on one process
  torchrun --nproc_per_node=N ${shown.script}          # DistributedDataParallel: gloo on CPU, nccl on GPUs
  (torch 1.13 on Python 3.11, e.g. Debian's: add --redirects 1 --tee 1 before the script; its
  torchrun cannot parse the default 0.)

Weights: ${shown.weights} beside this script is loaded when present (Neural Canvas's trained
weights); otherwise the file's hand-set weights, otherwise PyTorch's initialisation (seeded).
Data: ${shown.data ? `${shown.data} holds the exact rows Neural Canvas trains on (already split, and
standardised when the data is a CSV; train rows first)` : 'none was exported with this script; pass --data CSV (columns split, x:..., y:...)'}.
The file's data spec was: ${pyDocText(dataSpec)}
Trained weights are written to ${shown.save} in Neural Canvas's names, so they load back into it.
On one process the batch order and dropout masks follow Neural Canvas's own seeded streams, so
the losses match it step by step; under torchrun, DistributedSampler shards (and shuffles) the rows.
"""
import argparse
import csv
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

${settings.join('\n')}


class StraightThroughStep(torch.autograd.Function):
    """Binary step (1 for x >= 0, else 0) whose backward passes the gradient straight through, as Neural Canvas does."""

    @staticmethod
    def forward(ctx, x):
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad


def straight_through_step(x):
    return StraightThroughStep.apply(x)

${PY_ENGINE_RANDOM}${plan.nodes.some((p) => p.window || p.norm) ? PY_IMAGE_HELPERS : ''}

`;
  return [
    header,
    torchModuleSource(plan, names, t.fromLogits),
    '\n\n',
    torchParameterNames(plan, names),
    '\n',
    inlineWeightsSource(plan),
    '\n',
    PY_SAFETENSORS,
    PY_LOAD_CSV,
    '\n',
    torchLossSource({ ...t, imageOutput: plan.outputs.length === 1 && plan.outputs[0].shape.length > 1 }),
    PY_TRAINING,
  ].join('');
}
