/**
 * The editor webview's HTML shell with its Content-Security-Policy. Pure (no vscode import) so
 * the Chromium tests load exactly the page VS Code loads.
 */

/** Where the page's resources live, already converted with `webview.asWebviewUri`. */
export interface EditorHtmlResources {
  /** `webview.cspSource`: the origin resources are served from. */
  cspSource: string;
  /** dist/webview/editor.js */
  script: string;
  /** dist/webview/layoutWorker.js (fetched and started from a blob: worker URLs must be same-origin). */
  layoutWorker: string;
  /** dist/webview/codicons/codicon.css */
  codicons: string;
  /** A fresh random nonce per page load. */
  nonce: string;
  /** Extra scripts loaded before the editor with the same nonce (tests: the VS Code API stand-in). */
  preludeScripts?: string[];
}

/** A random nonce of 32 base-62 characters. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(random() * chars.length)];
  return s;
}

function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The strict policy: nonce'd scripts only, no eval, no inline script, a blob: worker for layout. */
export function editorCsp(r: Pick<EditorHtmlResources, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${r.cspSource} data: blob:`,
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `font-src ${r.cspSource}`,
    `script-src 'nonce-${r.nonce}'`,
    `connect-src ${r.cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

/** The whole page. The editor builds its DOM from script; the body carries resource URLs. */
export function editorHtml(r: EditorHtmlResources): string {
  const prelude = (r.preludeScripts ?? []).map((src) => `<script nonce="${r.nonce}" src="${attr(src)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(editorCsp(r))}">
    <!-- FAST (webview UI toolkit) reads this to put the nonce on its feature-test <style>. -->
    <meta property="csp-nonce" content="${r.nonce}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${attr(r.codicons)}" nonce="${r.nonce}">
    <title>Neural Canvas</title>
  </head>
  <body data-layout-worker="${attr(r.layoutWorker)}">
    <div id="app" role="application" aria-label="Neural network graph editor"></div>
    ${prelude}
    <script nonce="${r.nonce}" src="${attr(r.script)}"></script>
  </body>
</html>`;
}
