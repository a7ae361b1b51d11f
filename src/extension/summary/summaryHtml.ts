/** The Summary view's HTML shell with a strict Content-Security-Policy (pure, for the Chromium tests too). */

/** Resource URLs (already converted with asWebviewUri) and the page's nonce. */
export interface SummaryHtmlResources {
  cspSource: string;
  nonce: string;
  /** dist/webview/summary.js */
  script: string;
  /** Scripts loaded first with the same nonce (tests: the VS Code API stand-in). */
  preludeScripts?: string[];
}

function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The whole page; the view builds its DOM from script and styles itself with a constructed sheet. */
export function summaryHtml(r: SummaryHtmlResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${r.cspSource} 'nonce-${r.nonce}'`,
    `font-src ${r.cspSource}`,
    `script-src 'nonce-${r.nonce}'`,
  ].join('; ');
  const prelude = (r.preludeScripts ?? []).map((src) => `<script nonce="${r.nonce}" src="${attr(src)}"></script>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Summary</title>
  </head>
  <body>
    <main id="summary" aria-label="Summary of the network: layers, output shapes, parameters"></main>
    ${prelude}
    <script nonce="${r.nonce}" src="${attr(r.script)}"></script>
  </body>
</html>`;
}
