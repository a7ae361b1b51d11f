/**
 * Reading CSV text into a checked table (papaparse does the quoting rules): a header row of
 * unique names and data rows of exactly that width, each row remembering its line in the file
 * so every later error can say `file:line`.
 */
import Papa from 'papaparse';
import { DataError } from './dataset';

/** A CSV file as a header and rows of trimmed text cells. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** 1-based line of the file where each row starts (quoted fields may span lines). */
  lines: number[];
}

/** Parses CSV text; `file` is the name errors use. Throws DataError for empty files, bad headers and ragged rows. */
export function readCsvTable(text: string, file: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Excel writes a byte-order mark
  if (text.trim() === '') {
    throw new DataError(`${file} is empty: a CSV needs a header row of column names and at least one data row.`, { file });
  }
  const records: { cells: string[]; line: number }[] = [];
  let line = 1;
  let cursor = 0;
  let parseError: DataError | undefined;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = line;
      // Count the newlines this record consumed (itself and any blank lines papaparse skipped).
      const end = result.meta.cursor;
      for (let i = cursor; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
      if (end < text.length && text.charCodeAt(end) === 10) {
        line++;
        cursor = end + 1;
      } else cursor = end;
      const bad = result.errors.find((e) => e.type === 'Quotes');
      if (bad) {
        parseError = new DataError(`${file}:${start}: ${bad.message.toLowerCase()}; close the quoted value with a matching '"'.`, { file, line: start });
        parser.abort();
        return;
      }
      const cells = result.data.map((c) => c.trim());
      if (cells.every((c) => c === '')) return; // blank line
      records.push({ cells, line: start });
    },
  });
  if (parseError) throw parseError;
  if (records.length === 0) {
    throw new DataError(`${file} is empty: a CSV needs a header row of column names and at least one data row.`, { file });
  }
  const [head, ...data] = records;
  const header = head.cells;
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') {
      throw new DataError(`${file}:${head.line}: column ${i + 1} has no name; give every column a name in the header row.`, { file, line: head.line });
    }
    if (seen.has(name)) {
      throw new DataError(`${file}:${head.line}: two columns are named '${name}'; rename one so each column name is unique.`, { file, line: head.line, column: name });
    }
    seen.add(name);
  });
  if (data.length === 0) {
    throw new DataError(`${file} has a header row but no data rows.`, { file });
  }
  for (const r of data) {
    if (r.cells.length !== header.length) {
      throw new DataError(
        `${file}:${r.line}: the row has ${r.cells.length} value${r.cells.length === 1 ? '' : 's'} but the header has ${header.length} columns; every row needs one value per column.`,
        { file, line: r.line },
      );
    }
  }
  return { header, rows: data.map((r) => r.cells), lines: data.map((r) => r.line) };
}
