/**
 * Entry point of the gradients panel webview: styles, the channel to the host, then `ready`
 * (the host answers with `follow`, replaying the followed file's latest run).
 */
import { Channel } from '../../src/protocol';
import type { FromPanel, ToPanel } from '../../src/protocol';
import { exposeForTests, postProbe } from '../shared/testHooks';
import panelCss from './panel.css';
import { PanelView } from './panelView';

const sheet = new CSSStyleSheet();
sheet.replaceSync(panelCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const vscode = acquireVsCodeApi();
const channel = new Channel<FromPanel, ToPanel>((m) => vscode.postMessage(m));
let lastReport = '';
const view = new PanelView(document.getElementById('panel') as HTMLElement,
  (id) => channel.post({ type: 'select', id }),
  () => channel.post({ type: 'checkGradients' }),
  (v) => {
    const report = { type: 'panelRendered' as const, layers: [...v.state.layers.keys()], points: v.state.points, warnings: v.state.warnings().map((w) => w.message), checkRows: v.state.check?.rows.length ?? 0 };
    const key = JSON.stringify({ ...report, points: Math.floor(report.points / 10) });
    // Tell the host (for tests) what is shown when it changes meaningfully (not every frame).
    if (key !== lastReport) { lastReport = key; postProbe(vscode, report); }
  },
  (node, row) => channel.post({ type: 'featureMaps', node, row }));

channel.on('follow', (m) => {
  view.state.reset(m.file);
  view.state.selected = m.selected;
  for (const u of m.updates) view.state.apply(u);
  view.state.check = m.check;
  view.schedule();
});
channel.on('update', (m) => {
  if (view.state.file === undefined) view.state.file = m.file;
  view.state.apply(m.update);
  view.schedule();
});
channel.on('gradientCheck', (m) => view.showCheck(m.result));
channel.on('select', (m) => view.select(m.id));
channel.on('featureMaps', (m) => view.showMaps(m.node, m.row, m.maps, m.error));
channel.on('pickImage', (m) => view.pickImage(m.row));
window.addEventListener('message', (e: MessageEvent<ToPanel>) => {
  const m = e.data;
  if (m && typeof m === 'object' && typeof m.type === 'string') channel.receive(m);
});
exposeForTests('neuralCanvasPanel', view);
channel.post({ type: 'ready' });
