/** How `nn train` shows a run to a person: a progress bar on a terminal, a line per epoch (about one a second) otherwise. */
import type { Metrics, TrainEvent } from '../engine';
import { formatNumber } from '../model';
import type { CliIo } from './cliIo';

/** One line summarising metrics: "accuracy 97.5%" or "MAE 0.12, R² 0.95". */
export function describeMetrics(m: Metrics): string {
  const parts: string[] = [];
  if (m.accuracy !== undefined) parts.push(`accuracy ${(m.accuracy * 100).toFixed(1)}%`);
  if (m.mae !== undefined) parts.push(`MAE ${formatNumber(m.mae)}`);
  if (m.r2 !== undefined) parts.push(`R² ${formatNumber(m.r2)}`);
  return parts.join(', ');
}

/** A text progress bar; lines on a terminal end in ESC[K so a shorter line erases a longer one. */
function bar(fraction: number, width = 24): string {
  const n = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

/** Renders events for people: a bar on a terminal, a line per epoch (about one a second) otherwise. */
export function humanPrinter(io: CliIo): (e: TrainEvent) => void {
  let lastLine = 0;
  let epochs = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        epochs = e.epochs;
        io.stdout(`training on ${e.backend} (${e.reason}); ${e.totalParams} parameters; ${e.trainCount} training rows, ${e.validationCount} validation; batch ${e.batchSize}, ${e.epochs} epochs; loss ${e.lossKind}\n`);
        for (const n of e.notices) io.stdout(`note: ${n}\n`);
        break;
      case 'progress':
        if (io.isTTY) io.stdout(`\repoch ${e.epoch}/${epochs} ${bar((e.epoch - 1 + e.step / e.totalSteps) / epochs)} loss ${formatNumber(e.loss)}  ${Math.round(e.samplesPerSec)} samples/s\x1b[K`);
        break;
      case 'epoch': {
        const line = `epoch ${e.epoch}/${e.epochs}  loss ${formatNumber(e.loss)}${e.valLoss !== undefined ? `  val_loss ${formatNumber(e.valLoss)}` : ''}  ${describeMetrics(e.metrics)}`;
        if (io.isTTY) io.stdout(`\r${line} ${bar(e.epoch / e.epochs)}\x1b[K`);
        else if (Date.now() - lastLine > 1000 || e.epoch === e.epochs || e.epoch === 1) { lastLine = Date.now(); io.stdout(`${line}\n`); }
        break;
      }
      case 'done':
        if (io.isTTY) io.stdout('\n');
        io.stdout(`done: ${e.reason}; loss ${formatNumber(e.loss)}${e.valLoss !== undefined ? `, val_loss ${formatNumber(e.valLoss)}` : ''}; ${describeMetrics(e.metrics)} (${e.valLoss !== undefined ? 'validation' : 'training'} data); ${Math.round(e.samplesPerSec)} samples/s\n`);
        break;
      case 'error':
        if (io.isTTY) io.stdout('\n');
        break;
      case 'layers':
        break;
    }
  };
}
