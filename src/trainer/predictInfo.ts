/**
 * What the editor's Predict pane shows of a design (the training process's answer to
 * 'predictInfo'): the names of its inputs (the data's columns, the input node's `features`, x1/x2
 * of a generator, else "input i") and of its classes, which weights predict, and — for two inputs —
 * a boundary computed with those weights over the data's points (and the pane's point), in the
 * units the weights take.
 */
import * as path from 'node:path';
import { predict, type CompiledNetwork } from '../engine';
import { imageInputOf, loadData, type Dataset, type DataTask, type Standardizer } from '../engine/data';
import { checkDesign, dataSpecOutsideWorkspace, settingsFor, trainedNetwork, type CheckedDesign } from '../jobs';
import { MAX_PANE_INPUTS, type PredictInfo, type PredictTask, type TrainerJob } from '../protocol';
import { boundaryGrid, classIndex } from './boundary';

/** Side of the boundary grid the pane brings when no run has drawn one. */
export const PANE_BOUNDARY_SIZE = 64;
/** Data points drawn over that boundary at most (evenly picked). */
export const PANE_MAX_POINTS = 1000;

/** Class names in output order (`labelNames` as the data has them: binary, the positive class; multiclass, one per class). */
export function classNamesFor(task: PredictTask, labelNames: readonly string[], width: number): string[] {
  if (task === 'regression') return [];
  if (task === 'binary') {
    const positive = labelNames[0] ?? 'class 1';
    return positive === 'class 1' ? ['class 0', 'class 1'] : [`not ${positive}`, positive];
  }
  return Array.from({ length: width }, (_, i) => labelNames[i] ?? `class ${i}`);
}

/** What the outputs mean when no data says: one sigmoid unit is two classes, softmax one score per class, anything else a quantity. */
export function taskOfOutputs(activations: readonly (string | undefined)[], width: number): PredictTask {
  if (activations.length !== 1) return 'regression';
  if (activations[0] === 'sigmoid' && width === 1) return 'binary';
  if (activations[0] === 'softmax' && width > 1) return 'multiclass';
  return 'regression';
}

/** One name per input value: the first list that has exactly `width` names, else "input 1" … */
export function featureNamesFor(width: number, candidates: readonly (readonly string[] | undefined)[]): string[] {
  const fit = candidates.find((c) => c !== undefined && c.length === width && c.every((n) => n.trim().length > 0));
  return fit ? [...fit] : Array.from({ length: width }, (_, i) => `input ${i + 1}`);
}

/** The data of a design when it is small tabular data (generator, CSV, shipped set) inside the workspace; otherwise undefined. */
async function tabularData(design: CheckedDesign, roots: readonly string[]): Promise<Dataset | undefined> {
  const spec = design.doc.training?.data;
  if (!spec || imageInputOf(design.doc) || !('generator' in spec || 'csv' in spec || 'dataset' in spec)) return undefined;
  const dir = path.dirname(design.file);
  if (dataSpecOutsideWorkspace(path.basename(design.file), spec, dir, roots)) return undefined;
  try {
    return await loadData(spec, { baseDir: dir, seed: settingsFor(design.doc).seed });
  } catch {
    // Names then come from the design; training reports what is wrong with the data.
    return undefined;
  }
}

/** The input rows of `ds` as the weights take them (scaled when they were trained on scaled rows), at most `max` of them. */
function plotRows(ds: Dataset, scale: Standardizer | undefined, max: number): { x: Float32Array; label: Float32Array; count: number } {
  const step = Math.max(1, Math.ceil(ds.count / max));
  const picked: number[] = [];
  for (let r = 0; r < ds.count; r += step) picked.push(r);
  const raw = new Float32Array(picked.length * 2);
  picked.forEach((r, i) => { raw[i * 2] = ds.x[r * 2]; raw[i * 2 + 1] = ds.x[r * 2 + 1]; });
  const labels = classIndex(ds.y, ds.count, ds.outputSize);
  return { x: scale ? scale.transform(raw) : raw, label: Float32Array.from(picked, (r) => labels[r]), count: picked.length };
}

/** The Predict pane's picture of the job's design. */
export async function predictInfo(job: TrainerJob & { inputs?: number[] }): Promise<PredictInfo> {
  const design = checkDesign(job);
  const file = path.basename(job.file);
  const { doc, analysis } = design;
  const inputs = analysis.inputs.map((id) => doc.nodes.find((n) => n.id === id));
  const width = inputs.reduce((a, n) => a + (n?.type === 'input' ? n.units : 0), 0);
  const outputs = analysis.outputs.map((id) => doc.nodes.find((n) => n.id === id));
  const outWidth = analysis.outputs.reduce((a, id) => a + (analysis.shapes.get(id) ?? [1]).reduce((p, d) => p * d, 1), 0);
  const outNames = outputs.flatMap((n, k) => {
    const w = (analysis.shapes.get(analysis.outputs[k]) ?? [1]).reduce((p, d) => p * d, 1);
    return w === 1 ? [n?.id ?? 'output'] : Array.from({ length: w }, (_, i) => `${n?.id ?? 'output'}[${i}]`);
  });
  const base = { file, classes: [] as string[], outputs: outNames };
  if (width > MAX_PANE_INPUTS) {
    return { ...base, features: [], task: 'regression', problem: `${file} takes ${width} input values, too many to type in here: predict from a terminal with nn predict ${file} --input … (or a CSV of rows).` };
  }
  let net: CompiledNetwork | undefined;
  let scale: Standardizer | undefined;
  let source: string | undefined;
  let problem: string | undefined;
  try {
    ({ net, standardizer: scale, source } = await trainedNetwork(design, { allowInit: false }));
  } catch (e) {
    problem = (e as Error).message;
  }
  const ds = await tabularData(design, job.allowedRoots);
  const fromData = ds && ds.inputSize === width ? ds : undefined;
  const activations = outputs.map((n) => (n && 'activation' in n ? String(n.activation) : undefined));
  const dataTask: DataTask | undefined = fromData && fromData.outputSize === outWidth ? fromData.task : undefined;
  const task: PredictTask = dataTask ?? taskOfOutputs(activations, outWidth);
  const nodeFeatures = inputs.every((n) => n?.type === 'input' && n.features) ? inputs.flatMap((n) => (n?.type === 'input' ? n.features ?? [] : [])) : undefined;
  const features = featureNamesFor(width, [scale?.featureNames, fromData?.featureNames, nodeFeatures]);
  const info: PredictInfo = {
    ...base, features, task,
    classes: classNamesFor(task, dataTask ? fromData?.labelNames ?? [] : [], outWidth),
    outputs: task === 'regression' && dataTask && fromData?.labelNames.length === outWidth ? fromData.labelNames : outNames,
    ...(scale && scale.mean.length === width ? { scale: { mean: Array.from(scale.mean), std: Array.from(scale.std) } } : {}),
    ...(source ? { source } : {}),
    ...(problem ? { problem } : {}),
  };
  if (width === 2 && net) {
    const rows = fromData ? plotRows(fromData, scale, PANE_MAX_POINTS) : undefined;
    // The plane over the data's points and the pane's own point; without data, around the origin (generated data lies in about [-1, 1]).
    const given = job.inputs?.length === 2 ? Float32Array.from(job.inputs) : undefined;
    const spanned = [...(rows && rows.count > 0 ? rows.x : [-1, -1, 1, 1]), ...(given ? (scale ? scale.transform(given) : given) : [])];
    const grid = boundaryGrid(Float32Array.from(spanned), spanned.length / 2, PANE_BOUNDARY_SIZE);
    const n = grid.size * grid.size;
    const values = await predict(net, grid.rows, n);
    info.boundary = { size: grid.size, extent: grid.extent, width: values.length / n, values };
    if (rows && rows.count > 0) info.points = { x: rows.x, label: rows.label, validation: new Uint8Array(rows.count) };
  }
  return info;
}
