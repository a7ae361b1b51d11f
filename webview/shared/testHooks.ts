/**
 * The webviews' test hooks, kept apart from the product: the probes a view posts so tests can
 * wait on what it drew (src/protocol/probes.ts; the host hands them to tests, no product code
 * acts on them), and the globals Chromium tests and the bench reach a running view by.
 */
import type { ProbeMessage } from '../../src/protocol';

/** The globals tests and the bench read in the page. */
export type TestGlobal = 'neuralCanvas' | 'neuralCanvasPanel' | 'neuralCanvasTraining' | 'neuralCanvasSummary';

/** Makes `value` reachable from tests as `window[name]`. */
export function exposeForTests(name: TestGlobal, value: unknown): void {
  (window as unknown as Record<TestGlobal, unknown>)[name] = value;
}

/** Posts a probe to the host beside the view's product messages. */
export function postProbe(vscode: { postMessage(message: unknown): void }, probe: ProbeMessage): void {
  vscode.postMessage(probe);
}
