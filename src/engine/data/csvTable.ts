/**
 * Reading CSV text into a checked table (papaparse does the quoting rules): a header row of
 * unique names and data rows of exactly that width, each row remembering its line in the file
 * so every later error can say `file:line`. The table is stored by column, numbers as float64
 * and only the cells that are not numbers as text, because an array of strings per row costs
 * about ten times the file's size in memory and most CSV cells are numbers.
 */
import Papa from 'papaparse';
import { DataError } from './dataset';
import { csvLineCounter } from './csvLineCounter';

/** A number as CSV writes it: optional sign, digits with an optional point, optional exponent. */
export const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The number a trimmed cell holds, or NaN when it is not one by NUMBER's rule. Number() does the
 * work (a regex per cell cost as much as parsing the CSV); only what Number() accepts beyond
 * NUMBER is refused here: '' (0 to Number), whitespace, 0x/0b/0o literals and Infinity.
 */
export function cellNumber(v: string): number {
  if (v === '') return NaN;
  // Number() also skips surrounding whitespace: insist on a sign, digit or point at the start
  // and a digit or point at the end.
  const first = v.charCodeAt(0), last = v.charCodeAt(v.length - 1);
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return NaN;
  if (!((last >= 48 && last <= 57) || last === 46)) return NaN;
  const n = Number(v);
  if (!Number.isFinite(n)) return NaN;
  if (v.length > 1 && v.charCodeAt(0) === 48) {
    const c = v.charCodeAt(1) | 32; // lower-case
    if (c === 120 || c === 98 || c === 111) return NaN; // x, b, o
  }
  return n;
}

/** One column: numbers where the cell is a number, the cell's text where it is not. */
export interface CsvColumn {
  /** count values; NaN where the cell is not a number (then `texts` has it). */
  nums: Float64Array;
  /** The trimmed text of every cell that is not a number, by row (empty cells are ''). */
  texts: Map<number, string>;
}

/** A CSV file as a header and columns of `count` rows. */
export interface CsvTable {
  header: string[];
  count: number;
  columns: CsvColumn[];
  /** 1-based line of the file where each row starts (quoted fields may span lines). */
  lines: number[];
}

/** The text of a cell as written (numbers in canonical form). */
export function cellText(col: CsvColumn, r: number): string {
  return col.texts.get(r) ?? String(col.nums[r]);
}

/** Parses CSV text; `file` is the name errors use. Throws DataError for empty files, bad headers and ragged rows. */
export function readCsvTable(text: string, file: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Excel writes a byte-order mark
  if (text.trim() === '') {
    throw new DataError(`${file} is empty: a CSV needs a header row of column names and at least one data row.`, { file });
  }
  let header: string[] | undefined;
  let headerLine = 1;
  let columns: { nums: Float64Array; texts: Map<number, string> }[] = [];
  const lines: number[] = [];
  let count = 0;
  const lineOf = csvLineCounter(text);
  let failure: DataError | undefined;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = lineOf(result.meta.cursor);
      const bad = result.errors.find((e) => e.type === 'Quotes');
      if (bad) {
        failure = new DataError(`${file}:${start}: ${bad.message.toLowerCase()}; close the quoted value with a matching '"'.`, { file, line: start });
        parser.abort();
        return;
      }
      const cells = result.data;
      if (cells.every((c) => c.trim() === '')) return; // blank line
      if (!header) {
        header = cells.map((c) => c.trim());
        headerLine = start;
        failure = checkHeader(header, file, start);
        if (failure) parser.abort();
        columns = header.map(() => ({ nums: new Float64Array(1024), texts: new Map() }));
        return;
      }
      if (cells.length !== header.length) {
        failure = new DataError(
          `${file}:${start}: the row has ${cells.length} value${cells.length === 1 ? '' : 's'} but the header has ${header.length} columns; every row needs one value per column.`,
          { file, line: start },
        );
        parser.abort();
        return;
      }
      if (count === columns[0].nums.length) {
        for (const c of columns) {
          const grown = new Float64Array(c.nums.length * 2);
          grown.set(c.nums);
          c.nums = grown;
        }
      }
      for (let j = 0; j < cells.length; j++) {
        const v = cells[j].trim();
        const n = cellNumber(v);
        if (n === n) columns[j].nums[count] = n; // n === n: not NaN
        else {
          columns[j].nums[count] = NaN;
          columns[j].texts.set(count, v);
        }
      }
      lines.push(start);
      count++;
    },
  });
  if (failure) throw failure;
  if (!header) {
    throw new DataError(`${file} is empty: a CSV needs a header row of column names and at least one data row.`, { file });
  }
  if (count === 0) throw new DataError(`${file} has a header row but no data rows.`, { file, line: headerLine });
  return { header, count, lines, columns: columns.map((c) => ({ nums: c.nums.subarray(0, count), texts: c.texts })) };
}

/** The header's problem (unnamed or duplicate column), if any. */
function checkHeader(header: string[], file: string, line: number): DataError | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header[i];
    if (name === '') return new DataError(`${file}:${line}: column ${i + 1} has no name; give every column a name in the header row.`, { file, line });
    if (seen.has(name)) {
      return new DataError(`${file}:${line}: two columns are named '${name}'; rename one so each column name is unique.`, { file, line, column: name });
    }
    seen.add(name);
  }
  return undefined;
}
