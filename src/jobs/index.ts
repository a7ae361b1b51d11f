/**
 * The jobs layer: what both front doors — the CLI (`nn train`, `nn predict`, `nn grad`, …) and the
 * editor's training process — do with a design: check it, load its data, find its saved weights,
 * decide whether a run continues or starts fresh, run it and save the result.
 */
export { checkDesign, isInside, JobError, loadJobData, noTrainingDataMessage, settingsFor, type CheckedDesign, type DesignText, type SettingsOverrides } from './prepareJob';
export { dataOutsideWorkspace, dataSpecOutsideWorkspace, realPath } from './dataConfinement';
export { readCsvPreview } from './csvPreview';
export { savedWeights, savedWeightsState, trainedNetwork, type SavedWeights, type TrainedNetworkWording } from './savedWeights';
export { runTrainingJob, saveTrainedWeights, startingPoint, TRAINED_METADATA_KEY, WeightsInTheWay, type StartingPoint, type TrainedRecord } from './trainJob';
