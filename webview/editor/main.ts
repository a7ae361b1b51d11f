/**
 * Entry point of the graph editor webview: styles, web components, the message channel to the
 * host, then `ready` (the host answers with the first snapshot).
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { Channel } from '../../src/protocol';
import type { FromEditor, ToEditor } from '../../src/protocol';
import { exposeForTests, postProbe } from '../shared/testHooks';
import { EditorApp } from './app';
import { attachTraining } from './training/attachTraining';
import editorCss from './editor.css';
import findCss from './find.css';
import graphCss from './graph.css';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());

// Constructed stylesheets need no inline <style>, so the CSP can stay nonce-only.
const sheet = new CSSStyleSheet();
sheet.replaceSync(`${editorCss}\n${graphCss}\n${findCss}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const vscode = acquireVsCodeApi();
const channel = new Channel<FromEditor, ToEditor>((m) => vscode.postMessage(m));
window.addEventListener('message', (e: MessageEvent<ToEditor>) => {
  const m = e.data;
  if (m && typeof m === 'object' && typeof m.type === 'string') channel.receive(m);
});

const root = document.getElementById('app') as HTMLElement;
const app = new EditorApp(root, channel, {
  workerUrl: document.body.dataset.layoutWorker ?? 'layoutWorker.js',
  reportRendered: (report) => postProbe(vscode, { type: 'editorRendered', ...report }),
});
exposeForTests('neuralCanvas', app);
// The training stream (loss chart, boundary, edge colours), docked beside the editor; before
// 'ready' so the replay lands. Its size and collapsed state live in this webview's state.
const DOCK_KEY = 'trainingDock';
const viewState = (): Record<string, unknown> => {
  const s = vscode.getState();
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
};
const training = attachTraining(app, channel, root, { load: () => viewState()[DOCK_KEY], save: (dock) => vscode.setState({ ...viewState(), [DOCK_KEY]: dock }) });
// Tell the host (for tests) what the training view shows when that changes; not while a run
// streams (its header changes every frame then, and a message a frame would cost the view).
let lastTraining = '';
let lastNeurons = '';
// The neuron heatmaps as drawn (read back from their canvases: only when no run streams, and
// when the page is idle: reading back every tile in the frame that drew them made it a long task).
let neuronsIdle = 0;
const reportNeurons = (): void => {
  if (training.state.running || neuronsIdle) return;
  neuronsIdle = requestIdleCallback(() => {
    neuronsIdle = 0;
    if (training.state.running) return;
    const probe = { type: 'neuronsRendered' as const, nodes: app.neurons.drawnTiles(), focus: document.querySelector('[data-testid="boundary"]')?.getAttribute('data-neuron') ?? '' };
    const key = JSON.stringify(probe);
    if (key !== lastNeurons) { lastNeurons = key; postProbe(vscode, probe); }
  }, { timeout: 500 });
};
app.neurons.onPainted = reportNeurons;
training.onRendered = (shown) => {
  if (training.state.running) return;
  const key = JSON.stringify(shown);
  if (key !== lastTraining) { lastTraining = key; postProbe(vscode, { type: 'trainingRendered', ...shown }); }
  reportNeurons();
};
let lastPredict = '';
training.predict.onRendered = (shown) => {
  const key = JSON.stringify(shown);
  if (key !== lastPredict) { lastPredict = key; postProbe(vscode, { type: 'predictRendered', ...shown }); }
};
channel.post({ type: 'ready' });
