/**
 * What Export tells the user when it is done (pure, so it is unit-tested without VS Code): the
 * files written and the exporter's notes — things the user must know to use the export, such as
 * "feed standardised features" — in the notification itself (one short note) or behind its
 * "Show Notes" button (several), never only in the Output channel.
 */
import * as path from 'node:path';
import type { ExportAnswer, ExportFormatName } from '../../protocol';

/** The notification's buttons. */
export const OPEN_EXPORT = 'Open';
export const SHOW_NOTES = 'Show Notes';

/** A note this long or shorter fits in the notification itself. */
const SHORT_NOTE = 160;

/** The notification: its message, its buttons, and the notes' text for the "Show Notes" dialog. */
export function exportedMessage(file: string, format: ExportFormatName, answer: ExportAnswer): { message: string; actions: string[]; notes?: { title: string; detail: string } } {
  const shown = path.basename(file);
  const names = answer.written.map((w) => path.basename(w));
  const notes = answer.notes;
  const inline = notes.length === 1 && notes[0].length <= SHORT_NOTE;
  const noteText = notes.length === 0 ? '' : inline ? ` Note: ${notes[0]}` : ` ${notes.length} notes: read them before using the export (${SHOW_NOTES}).`;
  const actions = [...(format !== 'onnx' && answer.written.length > 0 ? [OPEN_EXPORT] : []), ...(notes.length > 0 && !inline ? [SHOW_NOTES] : [])];
  return {
    message: `Exported ${shown}: wrote ${names.join(', ')}.${noteText}`,
    actions,
    ...(notes.length > 0 ? { notes: { title: `Notes on the ${format} export of ${shown}`, detail: notes.map((n) => `• ${n}`).join('\n\n') } } : {}),
  };
}
