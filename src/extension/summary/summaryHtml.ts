/** The Summary view's HTML shell (pure, for the Chromium tests too). */
import { scriptPageHtml, type ScriptPageResources } from '../scriptPageHtml';

/** Resource URLs (already converted with asWebviewUri) and the page's nonce; `script` is dist/webview/summary.js. */
export type SummaryHtmlResources = ScriptPageResources;

/** The whole page; the view builds its DOM from script. */
export function summaryHtml(r: SummaryHtmlResources): string {
  return scriptPageHtml(r, { title: 'Summary', root: '<main id="summary" aria-label="Summary of the network: layers, output shapes, parameters"></main>' });
}
