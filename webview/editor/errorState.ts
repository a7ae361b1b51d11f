/**
 * What the editor shows instead of the graph when the text is not a readable network: the
 * diagnostics with file:line:col, and a button to open the text editor. It never edits the file.
 */
import type { DocumentSnapshot } from '../../src/protocol';
import { custom, h, icon } from './dom';

/** The error state's element; `openTextEditor` is the button's action. */
export function errorStateView(snap: DocumentSnapshot, openTextEditor: () => void): HTMLElement {
  const open = custom('vscode-button', { 'data-action': 'open-text-editor' }, 'Open in Text Editor');
  open.addEventListener('click', openTextEditor);
  const list = h('ul', { class: 'diagnostics' }, ...snap.diagnostics.map((d) =>
    h('li', { class: `diag diag-${d.severity}` }, icon(d.severity === 'info' ? 'info' : d.severity), ` ${snap.fileName}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message} `, h('span', { class: 'diag-code' }, `[${d.code}]`))));
  return h('div', { class: 'error-state', 'data-testid': 'error-state', role: 'alert' },
    h('h1', {}, `${snap.fileName} cannot be shown as a graph`),
    h('p', {}, snap.diagnostics.some((d) => d.code === 'file-too-large')
      ? 'The file is above the size limit, so it was not checked or drawn. Raise the setting neuralCanvas.maxFileSizeMB to open it here, or edit it in the text editor.'
      : 'The text is not a readable nn/1 network. The graph view will not change the file; fix it in the text editor and the graph comes back.'),
    list, open);
}
