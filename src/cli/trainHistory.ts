/**
 * `nn train --history FILE`: the learning curve, one record per epoch, written as the run goes —
 * JSON lines ({"epoch", "loss", "valLoss", "accuracy", "mae", "r2"}), or CSV when FILE ends in
 * .csv. An existing file is replaced only with --force.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EpochRecord } from '../engine';
import { CliFailure } from './cliFailure';

/** The columns, in order; a metric the task does not have is left out (JSON) or empty (CSV). */
const COLUMNS = ['epoch', 'loss', 'valLoss', 'accuracy', 'mae', 'r2'] as const;

/** One epoch's record as a flat object (confusion matrices stay out of the curve). */
export function historyRow(e: EpochRecord): Record<(typeof COLUMNS)[number], number | undefined> {
  return { epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, accuracy: e.metrics.accuracy, mae: e.metrics.mae, r2: e.metrics.r2 };
}

/** Writes epochs to a history file as they end. */
export class HistoryWriter {
  private readonly fd: number;
  private readonly csv: boolean;

  /** Creates FILE (relative to `cwd`); an existing file is refused unless `force`. */
  constructor(file: string, cwd: string, force: boolean) {
    const full = path.resolve(cwd, file);
    this.csv = full.toLowerCase().endsWith('.csv');
    try {
      this.fd = fs.openSync(full, force ? 'w' : 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new CliFailure(`nn: not trained: --history ${file} exists; nothing was changed. Choose another file, move it, or run again with --force to replace it.`);
      throw new CliFailure(`nn: cannot write --history ${file}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}.`);
    }
    if (this.csv) fs.writeSync(this.fd, 'epoch,loss,val_loss,accuracy,mae,r2\n');
  }

  /** Appends one epoch. */
  add(e: EpochRecord): void {
    const row = historyRow(e);
    const line = this.csv
      ? COLUMNS.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',')
      : JSON.stringify(Object.fromEntries(COLUMNS.filter((c) => row[c] !== undefined).map((c) => [c, row[c]])));
    fs.writeSync(this.fd, `${line}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
