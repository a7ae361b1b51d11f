/**
 * CSV files as training data. Each used column is encoded by what its values look like:
 *
 * - numbers → one feature, standardised (unless `standardize: false`);
 * - yes/no (also true/false, y/n; any case) → one feature, 1 for yes, 0 for no, not scaled;
 * - "a/b" readings such as blood pressure "120/80" → one numeric feature per part, named
 *   `Blood Pressure_1`, `Blood Pressure_2`, standardised (systolic and diastolic are separate
 *   measurements, so they become separate inputs rather than a ratio or a category);
 * - anything else, or a column listed in `categorical` → one-hot, one 0/1 feature per distinct
 *   value, named `column=value`, in sorted order, not scaled.
 *
 * A column's kind is the kind of the majority of its values, so a lone typo ("abc" among
 * numbers) is reported with its line instead of silently turning the column into categories.
 * Labels (default: the last column): yes/no or 0/1 → binary; text or `categorical` →
 * multiclass, one-hot; other numbers → regression.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CsvData } from '../../model/types';
import { DataError, type Dataset, type DataTask } from './dataset';
import { cellText, NUMBER, readCsvTable, type CsvTable } from './csvTable';

/** CSV files larger than this are refused before reading (parsing takes several times the file size in memory). */
export const CSV_MAX_BYTES = 256 * 1024 * 1024;

/** How a column is turned into numbers. */
type ColumnKind = { kind: 'number' } | { kind: 'bool' } | { kind: 'parts'; parts: number } | { kind: 'onehot'; values: string[]; index: Map<string, number> };

/** More distinct values than this in a one-hot column is almost surely a name or id column. */
export const MAX_CATEGORIES = 1000;

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);

/** The CSV options of a data spec, with the name errors use for the file. */
export type CsvOptions = Omit<CsvData, 'csv' | 'labels'> & { labels?: string[] };

/** Reads a CSV file (path relative to `baseDir`) into a Dataset; errors name the file as written in `spec.csv`. */
export async function loadCsvFile(spec: CsvData, baseDir: string, maxBytes = csvByteLimit()): Promise<Dataset> {
  const file = spec.csv;
  const abs = path.resolve(baseDir, file);
  let size: number;
  try {
    const st = await fs.promises.stat(abs);
    if (!st.isFile()) throw new DataError(`${file}: is not a file (${abs}).`, { file });
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataError(`${file}: no such file (looked for ${abs}); CSV paths are relative to the .nn file's folder.`, { file });
    }
    throw new DataError(`${file}: cannot read it (${(e as Error).message}).`, { file });
  }
  if (size > maxBytes) {
    throw new DataError(
      `${file} is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} this machine can load as CSV (parsing needs several times the file's size in memory). Train on a sample of its rows.`,
      { file },
    );
  }
  const text = await fs.promises.readFile(abs, 'utf8');
  return parseCsvData(text, file, spec);
}

/** The CSV size limit: 256 MB, or less when free memory would not hold about eight copies of the file (what parsing peaks at). */
export function csvByteLimit(): number {
  return Math.min(CSV_MAX_BYTES, Math.floor(os.freemem() / 8));
}

/** Encodes CSV text as a Dataset (see the file comment for the rules); `file` names the file in errors. */
export function parseCsvData(text: string, file: string, opts: CsvOptions): Dataset {
  const table = readCsvTable(text, file);
  const { header } = table;
  const column = (name: string, role: string): number => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new DataError(`${file}: there is no column '${name}' (named in ${role}); the columns are: ${header.join(', ')}.`, { file, column: name });
    }
    return i;
  };
  const labels = opts.labels && opts.labels.length > 0 ? opts.labels : [header[header.length - 1]];
  const labelIdx = labels.map((l) => column(l, 'labels'));
  const featureIdx = opts.features ? opts.features.map((f) => column(f, 'features')) : header.map((_, i) => i).filter((i) => !labelIdx.includes(i));
  const both = featureIdx.find((i) => labelIdx.includes(i));
  if (both !== undefined) {
    throw new DataError(`${file}: column '${header[both]}' is both a feature and a label; a network cannot be given the answer as an input.`, { file, column: header[both] });
  }
  if (featureIdx.length === 0) throw new DataError(`${file}: no feature columns are left besides the label column(s) ${labels.join(', ')}.`, { file });
  const categorical = new Set((opts.categorical ?? []).map((c) => header[column(c, 'categorical')]));

  const kinds = new Map<number, ColumnKind>();
  for (const i of [...featureIdx, ...labelIdx]) {
    const k = columnKind(table, i, categorical.has(header[i]));
    if (k.kind === 'onehot' && k.values.length > MAX_CATEGORIES) {
      throw new DataError(
        `${file}: column '${header[i]}' has ${k.values.length} different values; as categories that would be ${k.values.length} one-hot ${labelIdx.includes(i) ? 'outputs' : 'inputs'}. If it is a name or id, leave it out with "features"; if it holds numbers, fix the values that are not.`,
        { file, column: header[i] },
      );
    }
    kinds.set(i, k);
  }

  // Features.
  const featureNames: string[] = [];
  const scale: boolean[] = [];
  const standardize = opts.standardize ?? true;
  const add = (name: string, scaled: boolean): void => {
    featureNames.push(name);
    scale.push(scaled);
  };
  for (const i of featureIdx) {
    const k = kinds.get(i)!;
    const name = header[i];
    if (k.kind === 'number') add(name, standardize);
    else if (k.kind === 'bool') add(name, false);
    else if (k.kind === 'parts') for (let p = 1; p <= k.parts; p++) add(`${name}_${p}`, standardize);
    else for (const v of k.values) add(`${name}=${v}`, false);
  }
  const count = table.count;
  const inputSize = featureNames.length;
  const x = new Float32Array(count * inputSize);
  for (let r = 0; r < count; r++) {
    let o = r * inputSize;
    for (const i of featureIdx) o = encodeCell(table, r, i, kinds.get(i)!, x, o, file);
  }

  // Labels.
  const { task, labelNames, outputSize } = labelLayout(labels, labelIdx.map((i) => kinds.get(i)!), table, labelIdx, file);
  const y = new Float32Array(count * outputSize);
  for (let r = 0; r < count; r++) {
    let o = r * outputSize;
    for (const i of labelIdx) o = encodeCell(table, r, i, kinds.get(i)!, y, o, file);
  }
  return { x, y, count, inputSize, outputSize, featureNames, labelNames, task, standardize: scale.some(Boolean) ? scale : undefined };
}

/** Decides a column's kind from the majority of its values. */
function columnKind(table: CsvTable, col: number, categorical: boolean): ColumnKind {
  const { texts } = table.columns[col];
  let empty = 0;
  for (const v of texts.values()) if (v === '') empty++;
  const half = (table.count - empty) / 2;
  if (!categorical) {
    const numbers = table.count - texts.size;
    if (numbers > half) return { kind: 'number' };
    let bools = 0;
    const parts = new Map<number, number>();
    for (const v of texts.values()) {
      if (YES.has(v.toLowerCase()) || NO.has(v.toLowerCase())) bools++;
      else {
        const p = v.split('/');
        if (p.length > 1 && p.every((s) => NUMBER.test(s.trim()))) parts.set(p.length, (parts.get(p.length) ?? 0) + 1);
      }
    }
    if (bools > half) return { kind: 'bool' };
    for (const [n, c] of parts) if (c > half) return { kind: 'parts', parts: n };
  }
  const distinct = new Set<string>();
  for (let r = 0; r < table.count; r++) {
    const v = cellText(table.columns[col], r);
    if (v !== '') distinct.add(v);
  }
  const values = [...distinct];
  const allNumeric = values.every((v) => NUMBER.test(v));
  values.sort(allNumeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'onehot', values, index: new Map(values.map((v, i) => [v, i])) };
}

/** Writes row `r` of column `col` into `out` at `o`; returns the next offset. Throws DataError naming line and column. */
function encodeCell(table: CsvTable, r: number, col: number, k: ColumnKind, out: Float32Array, o: number, file: string): number {
  const column = table.columns[col];
  const text = column.texts.get(r);
  const name = table.header[col];
  const where = { file, line: table.lines[r], column: name };
  const at = `${file}:${table.lines[r]}: column '${name}'`;
  if (text === '') throw new DataError(`${at} is empty; fill in a value or remove the row (missing values are not supported).`, where);
  switch (k.kind) {
    case 'number':
      if (text !== undefined) throw new DataError(`${at} is '${text}', expected a number.`, where);
      out[o] = column.nums[r];
      return o + 1;
    case 'bool': {
      const low = (text ?? '').toLowerCase();
      if (!YES.has(low) && !NO.has(low)) throw new DataError(`${at} is '${cellText(column, r)}', expected yes or no.`, where);
      out[o] = YES.has(low) ? 1 : 0;
      return o + 1;
    }
    case 'parts': {
      const p = (text ?? '').split('/').map((s) => s.trim());
      if (p.length !== k.parts || !p.every((s) => NUMBER.test(s))) {
        throw new DataError(`${at} is '${cellText(column, r)}', expected ${k.parts} numbers separated by '/' (like '${Array.from({ length: k.parts }, (_, i) => 120 - 40 * i).join('/')}').`, where);
      }
      p.forEach((s, i) => (out[o + i] = Number(s)));
      return o + k.parts;
    }
    case 'onehot':
      out[o + k.index.get(cellText(column, r))!] = 1;
      return o + k.values.length;
  }
}

/** The task and label names the label columns imply. */
function labelLayout(labels: string[], kinds: ColumnKind[], table: CsvTable, idx: number[], file: string): { task: DataTask; labelNames: string[]; outputSize: number } {
  if (kinds.length === 1 && kinds[0].kind === 'onehot') {
    const values = kinds[0].values;
    if (values.length === 0) {
      throw new DataError(`${file}: the label column '${labels[0]}' is empty; fill in the labels or name another column in "labels".`, { file, column: labels[0] });
    }
    if (values.length < 2) {
      throw new DataError(`${file}: the label column '${labels[0]}' has only one value ('${values[0]}'); a classifier needs at least two classes.`, { file, column: labels[0] });
    }
    return { task: 'multiclass', labelNames: values, outputSize: values.length };
  }
  const text = kinds.findIndex((k) => k.kind === 'onehot' || k.kind === 'parts');
  if (text >= 0) {
    throw new DataError(`${file}: label column '${labels[text]}' holds text or 'a/b' values; with several label columns each must be a number or yes/no. Use one label column to predict a category.`, { file, column: labels[text] });
  }
  const zeroOne = kinds.every((k, j) => k.kind === 'bool' || table.columns[idx[j]].nums.every((v) => v === 0 || v === 1));
  return { task: zeroOne ? 'binary' : 'regression', labelNames: labels.slice(), outputSize: labels.length };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}
