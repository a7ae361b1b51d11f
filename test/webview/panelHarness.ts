/**
 * Runs the real gradients-panel bundle (and, for the training view, the editor bundle) in
 * headless Chromium under the extension's HTML and CSP, with a stand-in for acquireVsCodeApi.
 * Typed arrays cross page.evaluate tagged and are revived as typed arrays in the page, as
 * postMessage would deliver them.
 */
import type { Page } from 'playwright-core';
import { makeNonce } from '../../src/extension/webviewHtml';
import { panelHtml } from '../../src/extension/training/panelHtml';
import type { ToPanel, TrainingUpdate } from '../../src/protocol';
import { BundleBrowser } from './bundleBrowser';

/** Replaces typed arrays by tagged plain objects (page.evaluate carries JSON-like values). */
export function encodeTyped(v: unknown): unknown {
  if (v instanceof Float32Array || v instanceof Uint8Array) return { __typed: v instanceof Float32Array ? 'f32' : 'u8', data: Array.from(v) };
  if (Array.isArray(v)) return v.map(encodeTyped);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeTyped(x)]));
  return v;
}

/** The page-side reviver, as a string to prepend to evaluated code. */
const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** One panel page. */
export class PanelPage {
  /** Messages the panel posted to the host. */
  readonly posted: Array<{ type: string; [k: string]: unknown }> = [];
  readonly errors: string[] = [];
  constructor(readonly page: Page) {}

  /** Sends a host message to the panel. */
  async post(m: ToPanel): Promise<void> {
    await this.page.evaluate(`(() => { ${REVIVE} window.postMessage(__revive(${JSON.stringify(encodeTyped(m))}), '*'); })()`);
  }

  /** Sends training updates for the followed file. */
  async updates(file: string, updates: TrainingUpdate[]): Promise<void> {
    const msgs = updates.map((update) => encodeTyped({ type: 'update', file, update }));
    await this.page.evaluate(`(() => { ${REVIVE} ${JSON.stringify(msgs)}.forEach((m) => window.postMessage(__revive(m), '*')); })()`);
  }

  /** Waits for the next animation frames (the panel draws once per frame). */
  async frames(): Promise<void> {
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }
}

/** One Chromium and a static server for the panel's page. */
export class PanelBrowser extends BundleBrowser<PanelPage> {
  constructor() {
    super({
      name: 'panel',
      entry: 'webview/panel/main.ts',
      html: (origin, script, prelude) => panelHtml({ cspSource: origin, nonce: makeNonce(), script, preludeScripts: [prelude] }),
      makePage: (page) => new PanelPage(page),
      size: { width: 900, height: 620 },
    });
  }
}
