/**
 * The `training` section with every default filled in, as the scripts must spell it out: a
 * generated script names each hyper-parameter explicitly so that it trains exactly like our
 * engine, whatever the target framework's own defaults are.
 */
import type { LossName, NetworkDoc, OptimizerName } from '../model/types';
import type { ExportPlan, PlanNode } from './exportPlan';
import type { DataTask } from './exportTypes';

/** Optimizer hyper-parameters, fully resolved (Keras names and semantics, as our engine uses). */
export interface ResolvedOptimizer {
  type: OptimizerName;
  learningRate: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  rho: number;
  epsilon: number;
}

/** The training settings a script needs. */
export interface TrainingPlan {
  loss: LossName;
  /**
   * The output's activation is folded into the loss (sigmoid + binary cross-entropy, softmax +
   * categorical cross-entropy), as our engine does for numerical stability: the script must
   * then compute the loss from the pre-activation logits.
   */
  fromLogits: boolean;
  optimizer: ResolvedOptimizer;
  batchSize: number;
  epochs: number;
  shuffle: boolean;
  seed: number;
  validationSplit: number;
  l1: number;
  l2: number;
  earlyStopping?: { monitor: 'val_loss' | 'loss'; patience: number; minDelta: number; restoreBestWeights: boolean };
}

/**
 * The engine's defaults for an absent field (src/engine/trainSettings.ts): Adam at 0.01 (SGD 0.01,
 * RMSprop 0.001 when only the type is given), batch 32, 100 epochs, 20% validation, shuffled,
 * seed 42; Keras's β1, β2, ε and ρ.
 */
export const TRAINING_DEFAULTS = {
  optimizer: 'adam' as OptimizerName,
  batchSize: 32,
  epochs: 100,
  shuffle: true,
  seed: 42,
  validationSplit: 0.2,
  learningRate: { sgd: 0.01, adam: 0.01, rmsprop: 0.001 } as Record<OptimizerName, number>,
  momentum: 0,
  beta1: 0.9,
  beta2: 0.999,
  rho: 0.9,
  epsilon: 1e-7,
};

/** The loss the engine picks when the file names none: from the data's task, else from the output activation. */
export function defaultLoss(task: DataTask | undefined, outputActivation: string | undefined): LossName {
  if (task === 'binary') return 'binary_crossentropy';
  if (task === 'multiclass') return 'categorical_crossentropy';
  if (task === 'regression') return 'mse';
  if (outputActivation === 'sigmoid') return 'binary_crossentropy';
  if (outputActivation === 'softmax') return 'categorical_crossentropy';
  return 'mse';
}

/** The activation a node ends with (dense or activation node), if any. */
export function finalActivation(p: PlanNode): string | undefined {
  return p.activation?.name;
}

/** Resolves the document's training section against the plan's (single) output. */
export function resolveTraining(doc: NetworkDoc, plan: ExportPlan, task?: DataTask): TrainingPlan {
  const t = doc.training ?? {};
  const d = TRAINING_DEFAULTS;
  const out = plan.outputs.length === 1 ? finalActivation(plan.outputs[0]) : undefined;
  const loss = t.loss ?? defaultLoss(task, out);
  const fromLogits = (loss === 'binary_crossentropy' && out === 'sigmoid') || (loss === 'categorical_crossentropy' && out === 'softmax');
  const o = t.optimizer ?? { type: d.optimizer };
  const es = t.earlyStopping;
  return {
    loss,
    fromLogits,
    optimizer: {
      type: o.type,
      learningRate: o.learningRate ?? d.learningRate[o.type],
      momentum: o.momentum ?? d.momentum,
      nesterov: o.nesterov ?? false,
      beta1: o.beta1 ?? d.beta1,
      beta2: o.beta2 ?? d.beta2,
      rho: o.rho ?? d.rho,
      epsilon: o.epsilon ?? d.epsilon,
    },
    batchSize: t.batchSize ?? d.batchSize,
    epochs: t.epochs ?? d.epochs,
    shuffle: t.shuffle ?? d.shuffle,
    seed: t.seed ?? d.seed,
    validationSplit: t.validationSplit ?? d.validationSplit,
    l1: t.l1 ?? 0,
    l2: t.l2 ?? 0,
    earlyStopping: es && {
      monitor: es.monitor ?? 'val_loss',
      patience: es.patience,
      minDelta: es.minDelta ?? 0,
      restoreBestWeights: es.restoreBestWeights ?? false,
    },
  };
}
