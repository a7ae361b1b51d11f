/** The gradients panel's HTML shell (pure, for tests too). */
import { scriptPageHtml, type ScriptPageResources } from '../scriptPageHtml';

/** Resource URLs (already converted with asWebviewUri) and the page's nonce; `script` is dist/webview/panel.js. */
export type PanelHtmlResources = ScriptPageResources;

/** The whole page; the panel builds its DOM from script (filters and feature maps as data: images). */
export function panelHtml(r: PanelHtmlResources): string {
  return scriptPageHtml(r, { title: 'Gradients', root: '<div id="panel" role="region" aria-label="Gradients of the network being trained"></div>', images: true });
}
