/** The training engine's public surface: compile a network, predict, train, inspect gradients. */
export { compileNetwork, CompileError, expectedWeightShapes, hasInlineWeights, trainSettingsFrom, type AnalysisLike } from './compile';
export { predict, gradients, getWeights, type Gradients } from './predict';
export { nodeOutputs, type NodeOutput } from './featureMaps';
export { train, type TrainOptions } from './train';
export { TrainingSession, type TrainingData, type StepOutcome, type Evaluation } from './trainingSession';
export { TrainError, stopReasonText, type TrainEvent, type TrainResult, type StopReason, type EpochRecord } from './events';
export { DEFAULT_TRAIN_SETTINGS, resolveLoss, type TrainSettings, type LossSetting, type OptimizerSettings } from './trainSettings';
export { pickBackend, registerGpuPicker, type BackendChoice, type PickedBackend, type GpuPicker } from './selectBackend';
export { isTrainedParam, paramCounts, type CompiledNetwork, type LayerSpec, type WeightMap } from './network';
export type { Metrics } from './metrics';
export type { LayerStats, TensorStats } from './layerStats';
export type { Backend } from './backend';
export { CpuBackend } from './cpu/cpuBackend';

// The WebGPU backend makes itself selectable for every front door (CLI, trainer) that imports the
// engine; this loads no native code: Dawn is imported only when a run may use a GPU.
import { registerWebGpu } from './webgpu/autoBackend';
registerWebGpu();
export { registerWebGpu };
