/**
 * The header and first rows of a design's CSV, for the settings inspector's column picker. The
 * file is read as training reads it: the path relative to the design, only inside the workspace
 * (links followed, src/jobs/dataConfinement.ts), and only its first 64 KiB.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Papa from 'papaparse';
import type { CsvPreview } from '../protocol';
import { dataOutsideWorkspace } from './dataConfinement';

/** Rows shown under the header. */
export const PREVIEW_ROWS = 5;
const PREVIEW_BYTES = 64 * 1024;

/** What the picker shows for `csv` (as written in training.data.csv) of the design at `designFile`; `error` says why nothing could be read. */
export function readCsvPreview(designFile: string, csv: string, roots: readonly string[] | undefined): CsvPreview {
  const shown = path.basename(designFile);
  const empty = (error: string): CsvPreview => ({ path: csv, header: [], rows: [], error });
  if (csv.trim() === '') return empty('Write the CSV path relative to this .nn file.');
  const outside = dataOutsideWorkspace(shown, csv, path.dirname(designFile), roots);
  if (outside) return empty(outside);
  const file = path.resolve(path.dirname(designFile), csv);
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(PREVIEW_BYTES);
      const n = fs.readSync(fd, buf, 0, PREVIEW_BYTES, 0);
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return empty(code === 'ENOENT' ? `${shown}: training.data.csv "${csv}" does not exist; write the path relative to this .nn file.`
      : code === 'EISDIR' ? `${shown}: training.data.csv "${csv}" is a folder, not a CSV file.`
        : `${shown}: cannot read training.data.csv "${csv}" (${code ?? 'unknown error'}).`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = Papa.parse<string[]>(text, { preview: PREVIEW_ROWS + 1, skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data.map((r) => r.map((c) => c.trim()));
  if (header.length === 0) return empty(`${shown}: training.data.csv "${csv}" is empty: a CSV needs a header row of column names.`);
  return { path: csv, header, rows };
}
