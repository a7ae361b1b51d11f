/**
 * Training settings as the engine sees them (all defaults resolved), and the documented
 * defaults used when a file's `training` section is silent.
 */

/** Loss names (Keras spelling, as in nn/1). */
export type LossSetting = 'binary_crossentropy' | 'categorical_crossentropy' | 'mse';

/** Optimizer settings with every field resolved. */
export interface OptimizerSettings {
  type: 'sgd' | 'adam' | 'rmsprop';
  learningRate: number;
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  rho: number;
  epsilon: number;
}

/** Early stopping with every field resolved. */
export interface EarlyStoppingSettings {
  monitor: 'val_loss' | 'loss';
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

/** Everything `train()` needs to know besides the network and the data. */
export interface TrainSettings {
  /** Undefined: chosen from the data's task (binary → BCE, multiclass → CE, regression → MSE). */
  loss?: LossSetting;
  optimizer: OptimizerSettings;
  batchSize: number;
  epochs: number;
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  l1: number;
  l2: number;
  earlyStopping?: EarlyStoppingSettings;
}

/**
 * Defaults when `training` is silent: Adam with learning rate 0.01 (SGD 0.01, RMSprop 0.001 when
 * only the type is given), batch 32, 100 epochs, 20% validation, shuffled, seed 42, no L1/L2,
 * no early stopping. Adam's β1 0.9, β2 0.999, ε 1e-7; RMSprop ρ 0.9 (Keras' defaults).
 */
export const DEFAULT_TRAIN_SETTINGS = {
  optimizer: { type: 'adam' as const, learningRate: 0.01 },
  batchSize: 32,
  epochs: 100,
  validationSplit: 0.2,
  shuffle: true,
  seed: 42,
};

/** The task kinds a data set declares (the loss a file leaves out follows from it). */
export type LossTask = 'binary' | 'multiclass' | 'regression';

/**
 * The loss a run uses — the one rule, asked by the engine, Step and the exporters alike: the
 * file's `training.loss`, else the one the data's task implies (binary → binary cross-entropy,
 * multiclass → categorical cross-entropy, regression → MSE), else (no data known, an exporter)
 * the one the output activation implies (sigmoid → binary, softmax → categorical, else MSE).
 */
export function resolveLoss(loss: LossSetting | undefined, task?: LossTask, outputActivation?: string): LossSetting {
  if (loss) return loss;
  if (task) return task === 'binary' ? 'binary_crossentropy' : task === 'multiclass' ? 'categorical_crossentropy' : 'mse';
  return outputActivation === 'sigmoid' ? 'binary_crossentropy' : outputActivation === 'softmax' ? 'categorical_crossentropy' : 'mse';
}
