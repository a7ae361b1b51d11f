/**
 * The data sets that ship with Neural Canvas (data/*.csv, see data/README.md). The folder is
 * found by walking up from this module to our package.json, which works both from the bundle
 * (dist/) and from the TypeScript sources (tests run from src/ through tsx).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CsvData, DatasetName } from '../../model/types';
import { parseCsvData } from './csv';
import { DataError, type Dataset } from './dataset';

/** How each shipped CSV is read. */
const SHIPPED: Record<DatasetName, Omit<CsvData, 'csv'> & { file: string }> = {
  iris: { file: 'iris.csv', labels: ['species'] },
  // The digit is a class, not a quantity: one-hot over 0–9.
  digits: { file: 'digits.csv', labels: ['digit'], categorical: ['digit'] },
  interview: { file: 'interview.csv', labels: ['Interview'] },
};

let cachedFolder: string | undefined;

/** The folder holding the shipped CSVs; throws if the installation lacks it. */
export function shippedDataFolder(): string {
  if (cachedFolder) return cachedFolder;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'data', 'iris.csv'))) {
      cachedFolder = path.join(dir, 'data');
      return cachedFolder;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new DataError(`the shipped data sets are missing (no data/ folder beside package.json above ${__dirname}); reinstall Neural Canvas.`);
}

/** Loads a shipped data set by name. */
export async function loadShippedDataset(name: DatasetName): Promise<Dataset> {
  const spec = SHIPPED[name];
  if (!spec) throw new DataError(`unknown data set '${String(name)}'; the shipped data sets are ${Object.keys(SHIPPED).join(', ')}.`);
  const { file, ...opts } = spec;
  const text = await fs.promises.readFile(path.join(shippedDataFolder(), file), 'utf8');
  return parseCsvData(text, `data/${file}`, opts);
}
