/**
 * The prompts and the result notification of "Neural Canvas: Export…": which format, where the
 * main file goes, and what was written. The export itself runs in the training process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportAnswer, ExportFormatName } from '../../protocol';
import { exportedMessage, OPEN_EXPORT, SHOW_NOTES } from './exportMessage';

/** What a caller (a test, a script) may pass to skip the prompts. */
export interface ExportChoice {
  format: ExportFormatName;
  /** A folder or the main file's path; default beside the .nn file. */
  out?: string;
  /** Replace files in the way that export did not write, without asking (scripts; the user gets a modal). */
  force?: boolean;
}

/** Default main file name beside `name.nn`, per format. */
export function defaultExportName(file: string, format: ExportFormatName): string {
  const base = path.basename(file).replace(/\.nn$/i, '');
  return format === 'pytorch' ? `${base}.py` : format === 'keras' ? `${base}_keras.py` : `${base}.onnx`;
}

const FORMATS: { format: ExportFormatName; label: string; detail: string }[] = [
  { format: 'pytorch', label: 'PyTorch script', detail: 'An nn.Module with a training loop (loss, optimizer, epochs, seed), the data as CSV and the trained weights' },
  { format: 'keras', label: 'Keras script', detail: 'The same network with the Keras functional API, weights set when trained' },
  { format: 'onnx', label: 'ONNX model', detail: 'The inference graph (opset 13); needs weights: train first' },
];

/** Whether `value` is a format name (arguments from other extensions and tests are not trusted). */
export function isExportFormat(value: unknown): value is ExportFormatName {
  return FORMATS.some((f) => f.format === value);
}

/** Asks for the format and the main file's path; undefined when the user cancels. */
export async function askExport(uri: vscode.Uri): Promise<ExportChoice | undefined> {
  const picked = await vscode.window.showQuickPick(
    FORMATS.map((f) => ({ label: f.label, description: defaultExportName(uri.fsPath, f.format), detail: f.detail, format: f.format })),
    { title: `Export ${path.basename(uri.fsPath)}`, placeHolder: 'Export the network as…' },
  );
  if (!picked) return undefined;
  const ext = picked.format === 'onnx' ? 'onnx' : 'py';
  const target = await vscode.window.showSaveDialog({
    title: `Export ${path.basename(uri.fsPath)} as a ${picked.label}`,
    defaultUri: vscode.Uri.file(path.join(path.dirname(uri.fsPath), defaultExportName(uri.fsPath, picked.format))),
    filters: picked.format === 'onnx' ? { 'ONNX model': ['onnx'] } : { 'Python script': ['py'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const out = target.fsPath.toLowerCase().endsWith(`.${ext}`) ? target.fsPath : `${target.fsPath}.${ext}`;
  return { format: picked.format, out };
}

/**
 * Files export did not write (or that changed since) are in the way: a modal asks whether to
 * replace them, export into another folder, or cancel. Returns the next request's `out` and
 * `force`, or undefined to stop. Export never replaces a user's file without this answer.
 */
export async function askAboutConflicts(file: string, format: ExportFormatName, out: string | undefined, conflicts: string[]): Promise<{ out?: string; force: boolean } | undefined> {
  const names = conflicts.map((c) => path.basename(c));
  const replace = 'Replace';
  const another = 'Choose Another Folder…';
  const choice = await vscode.window.showWarningMessage(
    `Export ${path.basename(file)}: ${names.join(', ')} already ${names.length === 1 ? 'exists' : 'exist'} in ${path.dirname(conflicts[0])}.`,
    {
      modal: true,
      detail: `Neural Canvas did not write ${names.length === 1 ? 'this file' : 'these files'}, or ${names.length === 1 ? 'it was' : 'they were'} changed since it did. Nothing has been written yet. Replace ${names.length === 1 ? 'it' : 'them'}, or export into another folder?`,
    },
    replace, another,
  );
  if (choice === replace) return { out, force: true };
  if (choice !== another) return undefined;
  const folder = await vscode.window.showOpenDialog({
    title: `Export ${path.basename(file)} into…`, canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export Here',
    defaultUri: vscode.Uri.file(path.dirname(conflicts[0])),
  });
  if (!folder?.[0]) return undefined;
  const ext = format === 'onnx' ? '.onnx' : '.py';
  const mainName = out && out.toLowerCase().endsWith(ext) ? path.basename(out) : defaultExportName(file, format);
  return { out: path.join(folder[0].fsPath, mainName), force: false };
}

/** Says what was written and the export's notes; scripts get an Open button, several notes a Show Notes button. */
export function showExported(file: string, format: ExportFormatName, answer: ExportAnswer, log: (line: string) => void): void {
  for (const w of answer.written) log(`Export ${path.basename(file)} (${format}): wrote ${w}`);
  for (const n of answer.notes) log(`Export ${path.basename(file)}: note: ${n}`);
  const said = exportedMessage(file, format, answer);
  const main = answer.written[0];
  void vscode.window.showInformationMessage(said.message, ...said.actions).then((choice) => {
    if (choice === OPEN_EXPORT && main) void vscode.window.showTextDocument(vscode.Uri.file(main));
    else if (choice === SHOW_NOTES && said.notes) void vscode.window.showInformationMessage(said.notes.title, { modal: true, detail: said.notes.detail });
  });
}
