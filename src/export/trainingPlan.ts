/**
 * The `training` section with every default filled in, as the scripts must spell it out: a
 * generated script names each hyper-parameter explicitly so that it trains exactly like our
 * engine, whatever the target framework's own defaults are.
 */
import { LOSS_NAMES, OPTIMIZER_NAMES, type LossName, type NetworkDoc } from '../model/types';
import { resolveLoss, trainSettingsFrom, type OptimizerSettings } from '../engine';
import { ExportError } from './exportError';
import type { ExportPlan, PlanNode } from './exportPlan';
import type { DataTask } from './exportTypes';

/** Optimizer hyper-parameters, fully resolved: the engine's own settings type, so both spell one set of fields. */
export type ResolvedOptimizer = OptimizerSettings;

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

/** The activation a node ends with (dense or activation node), if any. */
export function finalActivation(p: PlanNode): string | undefined {
  return p.activation?.name;
}

/** Resolves the document's training section against the plan's (single) output. */
export function resolveTraining(doc: NetworkDoc, plan: ExportPlan, task?: DataTask): TrainingPlan {
  // The engine's own resolution, so a default changed there changes the scripts too.
  const t = trainSettingsFrom(doc.training);
  const out = plan.outputs.length === 1 ? finalActivation(plan.outputs[0]) : undefined;
  const loss: LossName = resolveLoss(t.loss, task, out);
  // The scripts name the loss and optimizer in code: only the names the format knows get there.
  if (!LOSS_NAMES.includes(loss)) throw new ExportError(`training.loss must be one of ${LOSS_NAMES.join(', ')}; fix it (nn check shows where).`);
  if (!OPTIMIZER_NAMES.includes(t.optimizer.type)) throw new ExportError(`training.optimizer.type must be one of ${OPTIMIZER_NAMES.join(', ')}; fix it (nn check shows where).`);
  const fromLogits = (loss === 'binary_crossentropy' && out === 'sigmoid') || (loss === 'categorical_crossentropy' && out === 'softmax');
  return {
    loss,
    fromLogits,
    optimizer: { ...t.optimizer },
    batchSize: t.batchSize,
    epochs: t.epochs,
    shuffle: t.shuffle,
    seed: t.seed,
    validationSplit: t.validationSplit,
    l1: t.l1,
    l2: t.l2,
    earlyStopping: t.earlyStopping && { ...t.earlyStopping },
  };
}
