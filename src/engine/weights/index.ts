/** Weights files: the safetensors codec and the file helpers. */
export { decodeSafetensors, encodeSafetensors, SafetensorsError, weightsPathFor, type SafetensorsContents, type WeightMap } from './safetensors';
export { readWeightsFile, writeWeightsFile } from './weightsFile';
export { assertWeightsFit, describeWeightsProblem, weightsProblems, WeightsMismatchError, type WeightsProblem } from './weightsFit';
