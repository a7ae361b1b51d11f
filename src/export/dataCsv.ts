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
  const { train, validation } = data;
  // Names come from the user's data: one line each (no control characters, NUL included, which
  // Python's csv module refuses), quoted when they hold a comma or a quote.
  const quote = (raw: string): string => {
    const s = String(raw).replace(/[\u0000-\u001f\u007f]/g, ' ');
    return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const features = train.featureNames.length === train.inputSize ? train.featureNames : Array.from({ length: train.inputSize }, (_, i) => `x${i}`);
  const labels = train.labelNames.length === train.outputSize ? train.labelNames : Array.from({ length: train.outputSize }, (_, i) => `y${i}`);
  const lines = [[SPLIT_COLUMN, ...features.map((f) => `x:${f}`), ...labels.map((l) => `y:${l}`)].map(quote).join(',')];
  const emit = (ds: ExportDataset, split: string): void => {
    for (let r = 0; r < ds.count; r++) {
      const cells = [split];
      for (let c = 0; c < ds.inputSize; c++) cells.push(f32(ds.x[r * ds.inputSize + c]));
      for (let c = 0; c < ds.outputSize; c++) cells.push(f32(ds.y[r * ds.outputSize + c]));
      lines.push(cells.join(','));
    }
  };
  emit(train, 'train');
  if (validation) emit(validation, 'validation');
  return `${lines.join('\n')}\n`;
}
