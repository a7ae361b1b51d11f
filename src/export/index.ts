/**
 * Export and interop: a network (document + analysis + optional trained weights) as a PyTorch
 * script, a Keras script or an ONNX model. Pure: returns file names and contents; the caller
 * (CLI, extension command) decides where they go.
 */
import type { NetworkDoc } from '../model/types';
import { encodeSafetensors } from '../engine/weights';
import { buildExportPlan } from './exportPlan';
import type { ExportAnalysis, ExportFile, ExportFormat, ExportOptions, ExportResult, ExportWeights } from './exportTypes';
import { datasetCsvContent } from './dataCsv';
import { exportOnnx } from './onnx/onnxExport';
import { pytorchScript } from './pytorch/pytorchScript';
import { kerasScript } from './keras/kerasScript';
import { resolveTraining } from './trainingPlan';

export { ExportError } from './exportError';
export { EXPORT_FORMATS } from './exportTypes';
export type { ExportAnalysis, ExportDataset, ExportFile, ExportFormat, ExportOptions, ExportResult, ExportWeights, FeatureScaling } from './exportTypes';

/** A file-name stem from the network's name: letters, digits, `_` and `-` only. */
function stem(doc: NetworkDoc, opts: ExportOptions): string {
  const raw = opts.baseName ?? doc.name ?? 'network';
  return raw.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'network';
}

/**
 * Exports the network in `format`. Throws ExportError (message for the user, nodeId when one
 * node is at fault) when the format cannot express the network.
 */
export function exportNetwork(doc: NetworkDoc, analysis: ExportAnalysis, weights: ExportWeights | undefined, format: ExportFormat, opts: ExportOptions = {}): ExportResult {
  const plan = buildExportPlan(doc, analysis, weights);
  const base = stem(doc, opts);
  const notes: string[] = [];
  if (format === 'onnx') {
    notes.push('ONNX holds the inference graph with its weights; the training section is not part of an ONNX model.');
    if (plan.nodes.some((p) => p.node.type === 'dropout')) notes.push('Dropout is kept as ONNX Dropout, which is the identity at inference.');
    if (opts.standardizer) notes.push('The model standardises its inputs itself (the feature scaling fitted in training): feed raw features.');
    const images = plan.inputs.filter((p) => p.shape.length > 1);
    if (images.length) notes.push(`Input${images.length > 1 ? 's' : ''} ${images.map((p) => `${p.id} [${p.shape.join(', ')}]`).join(', ')} take${images.length > 1 ? '' : 's'} one row per sample of ${images.map((p) => p.units).join(', ')} values in H, W, C order, as nn predict does (reshape [N, H, W, C] images to [N, H*W*C]); the graph runs channels first inside.`);
    return { files: [{ name: `${base}.onnx`, content: exportOnnx(plan, { standardizer: opts.standardizer }), role: 'main' }], notes };
  }
  const files: ExportFile[] = [];
  const dataName = opts.data ? opts.dataFile ?? `${base}_data.csv` : undefined;
  const weightsName = opts.weightsFile ?? `${base}.weights.safetensors`;
  const training = resolveTraining(doc, plan, opts.data?.train.task);
  if (format === 'pytorch') {
    files.push({ name: `${base}.py`, content: pytorchScript(doc, plan, training, { script: `${base}.py`, data: dataName, weights: weightsName, save: `${base}.pytorch.safetensors` }), role: 'main' });
  } else {
    files.push({ name: `${base}_keras.py`, content: kerasScript(doc, plan, training, { script: `${base}_keras.py`, data: dataName, weights: weightsName }), role: 'main' });
  }
  if (opts.data && dataName) {
    files.push({ name: dataName, content: datasetCsvContent(opts.data), role: 'data' });
    if (opts.standardizer) notes.push(`${dataName} holds standardised features (fitted on the training rows); scale raw inputs the same way before predicting.`);
  } else {
    notes.push('No data was exported with the script: pass --data CSV when running it.');
  }
  if (weights && plan.nodes.some((p) => p.weightSource === 'trained')) {
    files.push({ name: weightsName, content: encodeSafetensors(weights, { format: 'nn/1' }), role: 'weights' });
  }
  if (plan.outputs.length > 1) {
    notes.push(`The network has ${plan.outputs.length} outputs (${plan.outputs.map((o) => o.id).join(', ')}): the model is complete, but the script's training loop, like Neural Canvas, trains one output only and says so when run.`);
  }
  if (format === 'keras' && (plan.nodes.some((p) => p.node.type === 'dropout') || training.shuffle)) {
    notes.push('Keras shuffles batches and draws dropout masks with its own generators, so its runs follow Neural Canvas\'s only with shuffle off and no dropout (the PyTorch export reproduces both).');
  }
  return { files, notes };
}
