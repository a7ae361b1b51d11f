/**
 * `nn boundary FILE [--grid N] [--png OUT.png]`: the decision boundary of a trained 2-input
 * classifier over its data's range, measured (how many neighbouring grid cells change class:
 * lower is smoother) and, on request, drawn as a PNG like the editor's training view.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadData, splitData, type DataSplit, type Dataset } from '../engine/data';
import { predict, trainSettingsFrom, type CompiledNetwork } from '../engine';
import { readWeightsFile, weightsPathFor } from '../engine/weights';
import { TRAINED_METADATA_KEY } from '../jobs';
import { boundaryGrid, boundaryPoints, classChanges, classIndex, predictedClasses } from '../trainer/boundary';
import { boundaryImage } from './boundaryImage';
import type { CliCommand } from './cliIo';
import { encodePng } from './pngEncode';
import { CliFailure } from './cliFailure';
import { guarded } from './guarded';
import { loadDesign, type LoadedDesign } from './loadDesign';
import { loadTrained } from './loadTrained';
import { parseArgs } from './parseArgs';

/** Grid side when --grid is not given (the issue's and the lecture's comparisons use 41). */
export const DEFAULT_BOUNDARY_GRID = 41;
/** PNG side in pixels when --size is not given. */
export const DEFAULT_PNG_SIZE = 400;

function intOption(v: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliFailure(`nn: ${name} must be a whole number from ${min} to ${max}, got '${v}'.`, 2);
  return n;
}

/** The seed the weights were trained with (nn train --seed may differ from the file's), if recorded. */
async function trainedSeed(d: LoadedDesign): Promise<number | undefined> {
  const wfile = weightsPathFor(d.file);
  if (!fs.existsSync(wfile)) return undefined;
  try {
    const meta = (await readWeightsFile(wfile)).metadata[TRAINED_METADATA_KEY];
    const seed = meta ? (JSON.parse(meta) as { seed?: unknown }).seed : undefined;
    return typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 ? seed : undefined;
  } catch {
    return undefined;
  }
}

/** Share of rows whose predicted class is the labelled one (undefined for no rows). */
async function accuracy(net: CompiledNetwork, part: Dataset | undefined): Promise<number | undefined> {
  if (!part || part.count === 0) return undefined;
  const out = await predict(net, part.x, part.count);
  const width = out.length / part.count;
  const got = predictedClasses(out, part.count, width);
  const want = classIndex(part.y, part.count, part.outputSize);
  let ok = 0;
  for (let r = 0; r < part.count; r++) if (got[r] === want[r]) ok++;
  return ok / part.count;
}

/** Share of the rows in the commonest class: what always guessing that class scores. */
function majority(part: Dataset): number {
  const counts = new Map<number, number>();
  for (const c of classIndex(part.y, part.count, part.outputSize)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return Math.max(...counts.values()) / part.count;
}

const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

/** `nn boundary`. */
export const boundaryCommand: CliCommand = {
  name: 'boundary',
  summary: 'measure (and draw) the decision boundary of a trained 2-input classifier',
  usage: `Usage: nn boundary FILE [--grid N] [--png OUT.png [--size PX] [--force]] [--json]

For a classifier with two input features and trained weights (FILE's .weights.safetensors, or
inline weights), predicts the class on an N×N grid over the range of FILE's training.data (10%
margin on each side, as the editor's training view) and prints how many neighbouring cells
(side by side or one above the other) have different classes: the boundary's length in cells.
Lower is smoother; a straight level line across the grid costs N. Also prints the accuracy on
the training and validation rows (the split nn train used), and what always guessing the
commonest class would score.
  --grid N      cells per side, 2 to 1000 (default ${DEFAULT_BOUNDARY_GRID})
  --png OUT     draw the boundary as a PNG, as the editor does: cells tinted by the predicted
                class (stronger where the network is surer), training points ringed in white,
                validation points in black. An existing OUT is never replaced without --force.
  --size PX     the PNG's width and height in pixels, 16 to 4000 (default ${DEFAULT_PNG_SIZE})
  --force       replace OUT if it exists
  --json        print one JSON object instead of text
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, ['--grid', '--png', '--size']);
    for (const f of a.flags) if (!['--json', '--force'].includes(f)) throw new CliFailure(`nn: unknown option '${f}'. See nn help boundary.`, 2);
    if (a.inputs.length > 0) throw new CliFailure('nn: boundary takes no --input; it predicts over a grid. See nn help boundary.', 2);
    const size = intOption(a.options.get('--grid'), '--grid', 2, 1000, DEFAULT_BOUNDARY_GRID);
    const side = intOption(a.options.get('--size'), '--size', 16, 4000, DEFAULT_PNG_SIZE);
    const pngArg = a.options.get('--png');
    const pngFile = pngArg !== undefined ? path.resolve(io.cwd, pngArg) : undefined;
    if (pngFile && fs.existsSync(pngFile) && !a.flags.has('--force')) {
      throw new CliFailure(`nn: ${pngArg} already exists; not replacing it. Give another name, or --force to replace it.`);
    }
    const d = loadDesign(a.file, io);
    const width = d.doc.nodes.reduce((s, n) => s + (n.type === 'input' ? n.units : 0), 0);
    if (width !== 2) {
      throw new CliFailure(`nn: ${d.shown}: the network takes ${width} input feature${width === 1 ? '' : 's'}; nn boundary draws networks with exactly 2 (a plane).`);
    }
    const { net, source, standardizer } = await loadTrained(d);
    const spec = d.doc.training?.data;
    if (!spec) throw new CliFailure(`nn: ${d.shown} has no training.data, so there is no range to draw over; add e.g. "training": { "data": { "generator": "spiral" } }.`);
    const settings = trainSettingsFrom(d.doc.training);
    const seed = (await trainedSeed(d)) ?? settings.seed;
    const ds = await loadData(spec, { baseDir: path.dirname(d.file), seed });
    if (ds.task === 'regression') throw new CliFailure(`nn: ${d.shown} learns a regression (real-valued targets); nn boundary draws the classes of a classifier.`);
    // The same split nn train made; raw (unstandardised) copies give the points and the grid's range.
    const raw: DataSplit = splitData({ ...ds, standardize: undefined }, settings.validationSplit, { seed, shuffle: settings.shuffle });
    const scaled = standardizer ? { train: { ...raw.train, x: standardizer.transform(raw.train.x) }, validation: raw.validation && { ...raw.validation, x: standardizer.transform(raw.validation.x) } } : raw;
    const grid = boundaryGrid(ds.x, ds.count, size);
    const cellsCount = size * size;
    const values = await predict(net, standardizer ? standardizer.transform(grid.rows) : grid.rows, cellsCount);
    const outWidth = values.length / cellsCount;
    const { changes, pairs } = classChanges(predictedClasses(values, cellsCount, outWidth), size);
    const trainAcc = await accuracy(net, scaled.train);
    const valAcc = await accuracy(net, scaled.validation);
    let shownPng: string | undefined;
    if (pngFile) {
      const rgba = boundaryImage({ size, width: outWidth, values, extent: grid.extent }, boundaryPoints(raw), side);
      try {
        fs.writeFileSync(pngFile, encodePng(side, side, rgba), { flag: a.flags.has('--force') ? 'w' : 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliFailure(`nn: cannot write ${pngArg}: ${code === 'EEXIST' ? 'it already exists (give --force to replace it)' : code === 'ENOENT' ? 'no such folder' : (e as Error).message}.`);
      }
      shownPng = path.relative(io.cwd, pngFile) || pngFile;
    }
    if (a.flags.has('--json')) {
      io.stdout(`${JSON.stringify({
        grid: size, extent: grid.extent, changes, pairs,
        accuracy: { training: trainAcc, ...(valAcc !== undefined ? { validation: valAcc } : {}) },
        majority: { training: majority(raw.train), ...(raw.validation ? { validation: majority(raw.validation) } : {}) },
        weights: source, ...(shownPng ? { png: shownPng } : {}),
      })}\n`);
    } else {
      const [x0, x1, y0, y1] = grid.extent.map((v) => Number(v.toPrecision(3)));
      io.stdout(`${size}×${size} grid over ${ds.featureNames[0] ?? 'x1'} [${x0}, ${x1}], ${ds.featureNames[1] ?? 'x2'} [${y0}, ${y1}]\n`);
      io.stdout(`class changes between neighbouring cells: ${changes} of ${pairs} (lower = smoother)\n`);
      io.stdout(`accuracy: training ${pct(trainAcc)} (${raw.train.count} rows)${raw.validation ? `, validation ${pct(valAcc)} (${raw.validation.count} rows)` : ''}\n`);
      io.stdout(`always guessing the commonest class: training ${pct(majority(raw.train))}${raw.validation ? `, validation ${pct(majority(raw.validation))}` : ''}\n`);
      if (shownPng) io.stdout(`boundary drawn to ${shownPng} (${side}×${side})\n`);
      io.stderr(`(weights: ${source})\n`);
    }
    return 0;
  }),
};
