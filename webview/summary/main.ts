/**
 * Entry point of the Summary view webview: styles, the channel to the host, then `ready` (the
 * host answers with `show` for the followed design, and again whenever its text changes).
 */
import { Channel, MalformedMessage, ToSummaryMessage } from '../../src/protocol';
import type { FromSummary, ToSummary } from '../../src/protocol';
import { exposeForTests } from '../shared/testHooks';
import summaryCss from './summary.css';
import { type SortDir, type SortKey, SummaryTable } from './summaryTable';

const sheet = new CSSStyleSheet();
sheet.replaceSync(summaryCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const vscode = acquireVsCodeApi();
const channel = new Channel<FromSummary, ToSummary>((m) => vscode.postMessage(m));
let lastReport = '';
const table = new SummaryTable(document.getElementById('summary') as HTMLElement, (id) => channel.post({ type: 'select', id }), (t) => {
  vscode.setState({ sortKey: t.sortKey, sortDir: t.sortDir });
  if (!t.shown) return;
  const probe = { type: 'summaryRendered' as const, file: t.shown.file, layers: t.layers, sort: `${t.sortKey} ${t.sortDir}`, selected: [...t.selected], problem: t.shown.problem !== undefined };
  const key = JSON.stringify(probe);
  // Tell the host (for tests) what is shown when it changed.
  if (key !== lastReport) { lastReport = key; vscode.postMessage(probe); }
});
const saved = vscode.getState() as { sortKey?: SortKey; sortDir?: SortDir } | undefined;
if (saved?.sortKey) table.sortKey = saved.sortKey;
if (saved?.sortDir) table.sortDir = saved.sortDir;

channel.on('show', (m) => table.show(m));
channel.on('select', (m) => table.select(m.ids));
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  // A malformed message must not break the view: it is dropped.
  const m = ToSummaryMessage.validate(e.data);
  if (!(m instanceof MalformedMessage)) channel.receive(m);
});
exposeForTests('neuralCanvasSummary', table);
channel.post({ type: 'ready' });
