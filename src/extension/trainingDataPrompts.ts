/**
 * The host's part of the settings inspector's data section: the CSV column picker's preview
 * (read only inside the workspace, as training reads data) and "Add training data…", which asks
 * which data fits the design (its generators and data sets, or a CSV file and its label column)
 * and writes `training.data` as one undoable edit. Train offers the same when a design has none.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { noTrainingDataMessage, readCsvPreview } from '../jobs';
import { checkNetwork, dataChoices, type NetworkDoc } from '../model';
import type { Channel, FromEditor, ToEditor } from '../protocol';
import { replacementsForIntent } from './intentEdits';

/** The workspace folders data must lie in (the design's own folder when none is open). */
function roots(doc: vscode.TextDocument): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  return folders.length ? folders : [path.dirname(doc.uri.fsPath)];
}

/** Answers the view's previewCsv with the header and first rows (or why they could not be read). */
export function attachTrainingData(document: vscode.TextDocument, channel: Channel<ToEditor, FromEditor>): void {
  channel.on('previewCsv', (m) => {
    channel.post({ type: 'csvPreview', preview: readCsvPreview(document.uri.fsPath, m.path, roots(document)) });
  });
  channel.on('addTrainingData', (m) => void addTrainingData(document, m.csvFile === true));
}

/** Writes `training.data` as one edit (one undo step); false when VS Code refused it. */
async function writeData(document: vscode.TextDocument, data: Record<string, unknown>): Promise<boolean> {
  const replacements = replacementsForIntent(document.getText(), { type: 'setTrainingField', requestId: 0, path: ['data'], value: data as never });
  const edit = new vscode.WorkspaceEdit();
  for (const r of replacements) edit.replace(document.uri, new vscode.Range(document.positionAt(r.offset), document.positionAt(r.offset + r.length)), r.content);
  return vscode.workspace.applyEdit(edit);
}

function inputWidth(doc: NetworkDoc): { width: number; image: boolean } {
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  return {
    width: inputs.reduce((a, n) => a + (n.type === 'input' ? n.units : 0), 0),
    image: inputs.some((n) => n.type === 'input' && n.shape !== undefined && n.shape.length > 1),
  };
}

/** "Add training data…": asks which data to train on and writes it; resolves true when written. */
export async function addTrainingData(document: vscode.TextDocument, csvFile = false): Promise<boolean> {
  const shown = path.basename(document.uri.fsPath);
  const doc = checkNetwork(document.getText()).parsed.doc;
  if (!doc) {
    void vscode.window.showErrorMessage(`${shown} cannot be read as a network right now; fix the problems listed for it first, then add training data.`);
    return false;
  }
  const { width, image } = inputWidth(doc);
  const choices = dataChoices(width, image);
  const picked = csvFile ? { choice: choices[choices.length - 1] } : await vscode.window.showQuickPick(choices.map((c) => ({ label: c.label, detail: c.detail, choice: c })), {
    title: `Training data for ${shown} (${width} input feature${width === 1 ? '' : 's'})`,
    placeHolder: 'What should the network learn from?',
  });
  if (!picked) return false;
  let data = picked.choice.data;
  if (!data) {
    const files = await vscode.window.showOpenDialog({
      title: 'CSV file to train on (inside the workspace)', canSelectMany: false, filters: { 'CSV files': ['csv'] },
      defaultUri: vscode.Uri.file(path.dirname(document.uri.fsPath)),
    });
    if (!files?.length) return false;
    const rel = path.relative(path.dirname(document.uri.fsPath), files[0].fsPath).split(path.sep).join('/');
    const preview = readCsvPreview(document.uri.fsPath, rel, roots(document));
    if (preview.error) {
      void vscode.window.showErrorMessage(preview.error);
      return false;
    }
    const label = await vscode.window.showQuickPick(preview.header.map((h, i) => ({ label: h, description: preview.rows.slice(0, 3).map((r) => r[i] ?? '').join(', ') })).reverse(), {
      title: `Which column of ${path.basename(rel)} should the network predict?`, placeHolder: 'The label column (the others become the features)',
    });
    if (!label) return false;
    data = { csv: rel, features: preview.header.filter((h) => h !== label.label), labels: [label.label] };
  }
  const ok = await writeData(document, data);
  if (!ok) void vscode.window.showErrorMessage(`VS Code refused the edit to ${shown} (is the file read-only?).`);
  return ok;
}

/**
 * Train's check before a run: a design that reads but has no training data is not sent to the
 * trainer; Train says what fits and offers "Add training data…". True: the run must not start.
 */
export async function offerTrainingData(uri: vscode.Uri, text: string): Promise<boolean> {
  const doc = checkNetwork(text).parsed.doc;
  if (!doc || doc.training?.data) return false;
  const add = 'Add training data…';
  const answer = await vscode.window.showErrorMessage(noTrainingDataMessage(path.basename(uri.fsPath), doc), add);
  if (answer === add) await addTrainingData(await vscode.workspace.openTextDocument(uri));
  return true;
}
