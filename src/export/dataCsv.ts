/**
 * Writes the training data exactly as our engine sees it (split, encoded, standardised) as one CSV
 * beside an exported script. Porting every generator and CSV rule to Python would risk small
 * drifts; shipping the rows guarantees both sides train on identical numbers in identical order.
 */
import type { ExportDataset } from './exportTypes';

/** Column name of the split marker (values `train` and `validation`). */
export const SPLIT_COLUMN = 'split';

/** Formats a float32 so that parsing it as a double and rounding to float32 gives the same bits. */
function f32(v: number): string {
  return String(Math.fround(v));
}

/** The CSV text: a header `split,<features…>,<labels…>` and one row per sample, train rows first. */
export function datasetCsv(data: { train: ExportDataset; validation?: ExportDataset }): string {
  const content = datasetCsvContent(data);
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}

/** Text past which the CSV is built as UTF-8 bytes, chunk by chunk (a JavaScript string holds at most about 512 M characters). */
const CHUNK_CHARS = 1 << 24;

/**
 * The CSV as a file's content: text when it is small, UTF-8 bytes when it is large (MNIST's
 * 70,000 images of 784 pixels make about a gigabyte of CSV, more than one string can hold).
 */
export function datasetCsvContent(data: { train: ExportDataset; validation?: ExportDataset }, chunkChars = CHUNK_CHARS): string | Uint8Array {
  const { train, validation } = data;
  // Names come from the user's data: one line each (no control characters, NUL included, which
  // Python's csv module refuses), quoted when they hold a comma or a quote.
  const quote = (raw: string): string => {
    const s = String(raw).replace(/[\u0000-\u001f\u007f]/g, ' ');
    return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const features = train.featureNames.length === train.inputSize ? train.featureNames : Array.from({ length: train.inputSize }, (_, i) => `x${i}`);
  const labels = train.labelNames.length === train.outputSize ? train.labelNames : Array.from({ length: train.outputSize }, (_, i) => `y${i}`);
  let lines = [[SPLIT_COLUMN, ...features.map((f) => `x:${f}`), ...labels.map((l) => `y:${l}`)].map(quote).join(',')];
  let chars = lines[0].length;
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const flush = (): void => {
    chunks.push(encoder.encode(`${lines.join('\n')}\n`));
    lines = [];
    chars = 0;
  };
  const emit = (ds: ExportDataset, split: string): void => {
    for (let r = 0; r < ds.count; r++) {
      const cells = [split];
      for (let c = 0; c < ds.inputSize; c++) cells.push(f32(ds.x[r * ds.inputSize + c]));
      for (let c = 0; c < ds.outputSize; c++) cells.push(f32(ds.y[r * ds.outputSize + c]));
      const line = cells.join(',');
      lines.push(line);
      chars += line.length + 1;
      if (chars >= chunkChars) flush();
    }
  };
  emit(train, 'train');
  if (validation) emit(validation, 'validation');
  if (chunks.length === 0) return `${lines.join('\n')}\n`;
  if (lines.length) flush();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
