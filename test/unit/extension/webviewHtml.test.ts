import * as assert from 'node:assert/strict';
import { editorCsp, editorHtml, makeNonce } from '../../../src/extension/webviewHtml';

const resources = {
  cspSource: 'https://res.example', nonce: 'abc123', script: 'https://res.example/editor.js',
  layoutWorker: 'https://res.example/layoutWorker.js', codicons: 'https://res.example/codicon.css',
};

describe('editor webview HTML and CSP', () => {
  it('allows scripts by nonce only: no unsafe-eval, no unsafe-inline', () => {
    const csp = editorCsp(resources);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    assert.match(csp, /worker-src blob:/);
  });

  it('puts the nonce on every script and no inline script in the page', () => {
    const html = editorHtml({ ...resources, preludeScripts: ['https://res.example/stub.js'] });
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 2);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /nonce="abc123"/);
      assert.match(attrs, /src="/);
      assert.equal(body.trim(), '');
    }
    assert.match(html, /data-layout-worker="https:\/\/res.example\/layoutWorker.js"/);
  });

  it('escapes resource URLs in attributes', () => {
    const html = editorHtml({ ...resources, script: 'https://x/"><script>alert(1)</script>' });
    assert.doesNotMatch(html, /<script>alert/);
  });

  it('makes 32-character nonces that differ', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(a, makeNonce());
  });
});
