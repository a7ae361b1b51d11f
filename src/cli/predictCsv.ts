/**
 * `nn predict FILE --csv ROWS.csv [--json]`: the network on every row of a CSV in one process and
 * one batched forward pass. The columns are the input features in input-node order; a first row
 * with no number in it is taken for a header. Every row is checked before anything is
 * predicted, so the output never skips a row: bad rows are all reported as ROWS.csv:LINE and
 * nothing is printed on stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Papa from 'papaparse';
import type { Standardizer } from '../engine/data';
import { predict, type CompiledNetwork } from '../engine';
import { cellNumber, csvLineCounter } from '../engine/data';
import type { CliIo } from './cliIo';
import { formatNumber } from '../model';
import { CliFailure } from './cliFailure';

/** At most this many bad rows are listed; the rest are counted. */
const MAX_LISTED = 20;
/** Refuse input files larger than this (the rows are held in memory at once). */
const MAX_CSV_BYTES = 256 * 1024 * 1024;

/** The rows of an input CSV: `count` rows of `width` features, and the file line each started on. */
export interface InputRows {
  rows: Float32Array;
  count: number;
  lines: number[];
  /** The header row's names, when the file has one. */
  header?: string[];
}

/**
 * Parses CSV text into rows of `width` numbers. `shown` names the file in messages;
 * `inputs` describes the network's inputs (e.g. "x: 2"). Throws one CliFailure listing every bad row.
 */
export function parseInputRows(text: string, shown: string, width: number, inputs: string): InputRows {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Excel writes a byte-order mark
  const values: number[] = [];
  const lines: number[] = [];
  const problems: string[] = [];
  let header: string[] | undefined;
  let first = true;
  const lineOf = csvLineCounter(text);
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = lineOf(result.meta.cursor);
      if (result.errors.some((e) => e.type === 'Quotes')) {
        problems.push(`${shown}:${start}: a quoted value is not closed; close it with a matching '"'.`);
        parser.abort();
        return;
      }
      const cells = result.data.map((c) => c.trim());
      if (cells.every((c) => c === '')) return; // blank line
      const nums = cells.map(cellNumber);
      if (first) {
        first = false;
        // A header names every column: a first row with any number in it is data (and checked as such).
        if (nums.every((n) => Number.isNaN(n))) {
          header = cells;
          if (cells.length !== width) problems.push(`${shown}:${start}: the header has ${cells.length} column${cells.length === 1 ? '' : 's'}; the network takes ${width} input value${width === 1 ? '' : 's'} (${inputs}), one column each, in that order.`);
          return;
        }
      }
      if (cells.length !== width) {
        problems.push(`${shown}:${start}: the row has ${cells.length} value${cells.length === 1 ? '' : 's'}; the network takes ${width} (${inputs}).`);
        return;
      }
      const bad = nums.findIndex((n) => Number.isNaN(n));
      if (bad >= 0) {
        const name = header?.[bad] ? ` ('${header[bad]}')` : '';
        problems.push(`${shown}:${start}: column ${bad + 1}${name} is ${cells[bad] === '' ? 'empty' : `'${cells[bad]}'`}, not a number.`);
        return;
      }
      for (const n of nums) values.push(n);
      lines.push(start);
    },
  });
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED);
    if (problems.length > MAX_LISTED) listed.push(`… and ${problems.length - MAX_LISTED} more.`);
    throw new CliFailure(`${listed.join('\n')}\nnn: ${shown}: ${problems.length} bad row${problems.length === 1 ? '' : 's'}; nothing was predicted. Fix ${problems.length === 1 ? 'it' : 'them'} and run again.`);
  }
  if (lines.length === 0) throw new CliFailure(`nn: ${shown} has no data rows; give one row of ${width} numbers (${inputs}) per line.`);
  return { rows: Float32Array.from(values), count: lines.length, lines, header };
}

/** Reads the CSV (`arg` relative to the working directory) with a message for every way that fails. */
function readRowsFile(arg: string, io: CliIo): string {
  const file = path.resolve(io.cwd, arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliFailure(`nn: cannot read ${arg}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}.`);
  }
  if (!stat.isFile()) throw new CliFailure(`nn: ${arg} is not a file; --csv takes a CSV file of input rows.`);
  if (stat.size > MAX_CSV_BYTES) throw new CliFailure(`nn: ${arg} is ${Math.round(stat.size / 1048576)} MB; --csv reads files up to ${MAX_CSV_BYTES / 1048576} MB. Split it into parts.`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliFailure(`nn: cannot read ${arg}: ${(e as Error).message}.`);
  }
}

/** Runs `net` on every row of the CSV `arg` and prints one line per row. */
export async function predictCsv(
  arg: string, net: CompiledNetwork, source: string, standardizer: Standardizer | undefined, json: boolean, io: CliIo,
): Promise<number> {
  const width = net.inputSizes.reduce((a, b) => a + b, 0);
  const inputs = net.inputIds.map((id, i) => `${id}: ${net.inputSizes[i]}`).join(', ');
  const parsed = parseInputRows(readRowsFile(arg, io), arg, width, inputs);
  const rows = standardizer ? standardizer.transform(parsed.rows) : parsed.rows;
  const out = await predict(net, rows, parsed.count);
  const outWidth = out.length / parsed.count;
  const chunks: string[] = [];
  for (let r = 0; r < parsed.count; r++) {
    const outputs: Record<string, number[]> = {};
    let off = r * outWidth;
    net.outputIds.forEach((id, i) => { outputs[id] = Array.from(out.subarray(off, off + net.outputSizes[i])); off += net.outputSizes[i]; });
    if (json) chunks.push(JSON.stringify({ line: parsed.lines[r], outputs }));
    else chunks.push(Object.entries(outputs).map(([id, v]) => `${id}: ${v.length === 1 ? formatNumber(v[0]) : `[${v.map(formatNumber).join(', ')}]`}`).join('  '));
    // Write in blocks: one write per row is slow for large files, one string for all can be huge.
    if (chunks.length === 4096) { io.stdout(`${chunks.join('\n')}\n`); chunks.length = 0; }
  }
  if (chunks.length > 0) io.stdout(`${chunks.join('\n')}\n`);
  if (!json) io.stderr(`(weights: ${source}; ${parsed.count} row${parsed.count === 1 ? '' : 's'} of ${arg}${parsed.header ? ', header row skipped' : ''})\n`);
  return 0;
}
