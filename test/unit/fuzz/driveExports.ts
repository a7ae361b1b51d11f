/**
 * The exporters on a valid design, as `nn export` and the editor's Export… call them: PyTorch,
 * Keras and ONNX, without or with trained weights (sometimes deliberately wrong), with or without
 * the training rows and feature scaling. Output, or the exporter's own ExportError; scripts free
 * of injected code, ONNX graphs well formed, data CSVs rectangular.
 */
import Papa from 'papaparse';
import type { NetworkAnalysis, NetworkDoc } from '../../../src/model';
import { pair } from '../../../src/model/convGeometry';
import { EXPORT_FORMATS, ExportError, exportNetwork, type ExportOptions, type ExportWeights } from '../../../src/export';
import { check, checkUserMessage, guard, type Failure, type FileSink, type FuzzStats } from './fuzzChecks';
import { MARKER } from './payloads';
import { onnxProblem } from './onnxCheck';
import { pythonProblem } from './pythonCheck';
import { Rng } from './random';

const size = (shape: readonly number[] | undefined): number | undefined => shape?.reduce((a, b) => a * b, 1);

/** Trained weights for every dense, conv2d and batchnorm node (when small), sometimes deliberately wrong. */
function weightsFor(doc: NetworkDoc, analysis: NetworkAnalysis, rng: Rng, bad: boolean): ExportWeights | undefined {
  const w: ExportWeights = new Map();
  let total = 0;
  const put = (key: string, shape: number[], value: () => number): boolean => {
    const n = shape.reduce((a, b) => a * b, 1);
    total += n;
    if (total > 50_000) return false;
    w.set(key, { shape, data: Float32Array.from({ length: n }, value) });
    return true;
  };
  const signed = () => rng.next() * 2 - 1;
  for (const n of doc.nodes) {
    const from = analysis.inputsOf.get(n.id)?.[0];
    const inShape = from === undefined ? undefined : analysis.shapes.get(from);
    if (n.type === 'dense') {
      const fanIn = size(inShape);
      if (fanIn === undefined) continue;
      if (!put(`${n.id}.weight`, [n.units, fanIn], signed)) return undefined;
      if (n.useBias !== false && !put(`${n.id}.bias`, [n.units], () => rng.next())) return undefined;
    } else if (n.type === 'conv2d') {
      if (!inShape || inShape.length !== 3) continue;
      const [kh, kw] = pair(n.kernelSize);
      if (!put(`${n.id}.weight`, [n.filters, kh, kw, inShape[2]], signed)) return undefined;
      if (n.useBias !== false && !put(`${n.id}.bias`, [n.filters], () => rng.next())) return undefined;
    } else if (n.type === 'batchnorm') {
      const out = analysis.shapes.get(n.id);
      if (!out) continue;
      const c = out[out.length - 1];
      for (const [k, v] of [['gamma', () => 1 + rng.next()], ['beta', signed], ['moving_mean', signed], ['moving_variance', () => 0.5 + rng.next()]] as const) {
        if (!put(`${n.id}.${k}`, [c], v)) return undefined;
      }
    }
  }
  if (bad && w.size) {
    const key = [...w.keys()][rng.int(w.size)];
    const t = w.get(key)!;
    if (rng.chance(0.5)) w.delete(key);
    else {
      const shape = [t.shape[0] + 1, ...t.shape.slice(1)];
      w.set(key, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    }
  }
  return w;
}

const FEATURE_NAMES = ['a,b', 'say "hi"', 'line\nbreak', 'x:1', 'ü', '', '=1+1', 'split'];

/** Data and feature scaling as the engine would pass them, with awkward column names. */
function dataFor(analysis: NetworkAnalysis, rng: Rng): ExportOptions['data'] {
  const shapes = (ids: string[]): number => ids.reduce((s, id) => s + (size(analysis.shapes.get(id)) ?? 0), 0);
  const inputSize = shapes(analysis.inputs);
  const outputSize = size(analysis.shapes.get(analysis.outputs[0])) ?? 1;
  if (inputSize * outputSize > 10_000) return undefined;
  const set = (count: number) => ({
    x: Float32Array.from({ length: count * inputSize }, () => rng.next()),
    y: Float32Array.from({ length: count * outputSize }, () => (rng.chance(0.5) ? 1 : 0)),
    count, inputSize, outputSize,
    featureNames: Array.from({ length: inputSize }, (_, i) => (rng.chance(0.5) ? rng.pick(FEATURE_NAMES) : `f${i}`)),
    labelNames: Array.from({ length: outputSize }, () => rng.pick(FEATURE_NAMES)),
    task: rng.pick(['binary', 'multiclass', 'regression'] as const),
  });
  return { train: set(rng.between(1, 5)), validation: rng.chance(0.5) ? set(rng.between(1, 3)) : undefined };
}

/** Every exporter on a valid design: output, or the exporter's own ExportError; scripts free of injected code. */
export function driveExports(doc: NetworkDoc, analysis: NetworkAnalysis, seed: number, stats: FuzzStats, onFile?: FileSink): Failure | undefined {
  const rng = new Rng(seed);
  const mode = rng.pick(['none', 'trained', 'trained', 'bad'] as const);
  const weights = mode === 'none' ? undefined : weightsFor(doc, analysis, rng, mode === 'bad');
  const opts: ExportOptions = {};
  if (rng.chance(0.5)) opts.data = dataFor(analysis, rng);
  const width = analysis.inputs.reduce((s, id) => s + (size(analysis.shapes.get(id)) ?? 0), 0);
  if (rng.chance(0.3) && width <= 10_000) {
    opts.standardizer = { mean: Array.from({ length: width }, () => rng.next()), std: Array.from({ length: width }, () => 1 + rng.next()) };
  }
  const saneWidths = [...analysis.shapes.values()].every((shape) => shape.every((d) => d <= 1_000_000));
  // Inputs and nothing after them: there is no model to export (a clean refusal is right).
  const noLayers = analysis.outputs.every((id) => analysis.inputs.includes(id));
  for (const format of EXPORT_FORMATS) {
    const f = guard(`export-${format}`, () => {
      let result;
      try {
        result = exportNetwork(doc, analysis, weights, format, opts);
      } catch (e) {
        if (!(e instanceof ExportError)) throw e;
        checkUserMessage(`ExportError (${format})`, e.message);
        // A valid design with fitting (or no) weights and sane widths is always expressible as a script,
        // and as ONNX once it has weights (unless an input is also an output, which ONNX cannot name).
        const excused = mode === 'bad' || !saneWidths || noLayers || (format === 'onnx' && (!weights || /also an output/.test(e.message)));
        check(excused, () => `refused a valid design: ${e.message}`);
        stats.exportRefusals++;
        return;
      }
      stats.exports++;
      check(result.files.length > 0, () => 'no files');
      for (const file of result.files) {
        check(/^[A-Za-z0-9_.-]+$/.test(file.name), () => `file name ${JSON.stringify(file.name)}`);
        check(file.content.length > 0, () => `${file.name} is empty`);
        if (file.name.endsWith('.py') && typeof file.content === 'string') {
          stats.pythonScripts++;
          onFile?.(file.name, file.content);
          const problem = pythonProblem(file.content, MARKER);
          check(!problem, () => `${file.name}: ${problem}`);
        }
        if (file.name.endsWith('.onnx') && file.content instanceof Uint8Array) {
          const problem = onnxProblem(file.content);
          check(!problem, () => `${file.name}: ${problem}`);
          onFile?.(file.name, file.content);
        }
        if (file.name.endsWith('.csv') && typeof file.content === 'string') {
          const rows = Papa.parse<string[]>(file.content.trimEnd()).data;
          check(rows.every((r) => r.length === rows[0].length), () => `${file.name}: rows of different lengths (header ${JSON.stringify(rows[0])})`);
        }
      }
      for (const n of result.notes) checkUserMessage('export note', n);
    });
    if (f) return f;
  }
  return undefined;
}
