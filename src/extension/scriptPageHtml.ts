/**
 * The HTML shell of a webview whose page is built by one script (the gradients panel, the
 * Summary view): a strict Content-Security-Policy, the root element, the script. Pure, so the
 * Chromium tests serve the same page.
 */

/** Resource URLs (already converted with asWebviewUri) and the page's nonce. */
export interface ScriptPageResources {
  cspSource: string;
  nonce: string;
  /** The view's bundle, e.g. dist/webview/panel.js. */
  script: string;
  /** Scripts loaded first with the same nonce (tests: the VS Code API stand-in). */
  preludeScripts?: string[];
}

/** What differs between the pages: the title, the root element the script fills, and whether it shows images. */
export interface ScriptPage {
  title: string;
  /** The root element's HTML, e.g. `<main id="summary" aria-label="…"></main>`. */
  root: string;
  /** Allow data: and blob: images (canvases turned into pictures). */
  images?: boolean;
}

function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The whole page; the script builds the DOM and styles itself with a constructed sheet. */
export function scriptPageHtml(r: ScriptPageResources, page: ScriptPage): string {
  const csp = [
    "default-src 'none'",
    ...(page.images ? [`img-src ${r.cspSource} data: blob:`] : []),
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
    <title>${page.title}</title>
  </head>
  <body>
    ${page.root}
    ${prelude}
    <script nonce="${r.nonce}" src="${attr(r.script)}"></script>
  </body>
</html>`;
}
