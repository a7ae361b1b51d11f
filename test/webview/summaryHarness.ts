/**
 * Runs the real Summary view bundle in headless Chromium under the extension's HTML and CSP, with
 * a stand-in for acquireVsCodeApi and VS Code-like theme variables; the host's messages are built
 * by the host's own code (summaryContent) from the examples' text.
 */
import type { Page } from 'playwright-core';
import { makeNonce } from '../../src/extension/webviewHtml';
import { summaryHtml } from '../../src/extension/summary/summaryHtml';
import type { ToSummary } from '../../src/protocol';
import { BundleBrowser } from './bundleBrowser';

/** One Summary page. */
export class SummaryPage {
  /** Messages the view posted to the host (probes included). */
  readonly posted: Array<{ type: string; [k: string]: unknown }> = [];
  readonly errors: string[] = [];
  constructor(readonly page: Page) {}

  /** Sends a host message to the view. */
  async post(m: ToSummary | Record<string, unknown>): Promise<void> {
    await this.page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  }

  /** The latest probe, once one satisfies `ok`. */
  async probe(ok: (p: { layers: string[]; sort: string; selected: string[]; problem: boolean; file: string }) => boolean = () => true): Promise<{ layers: string[]; sort: string; selected: string[]; problem: boolean; file: string }> {
    for (let i = 0; i < 200; i++) {
      const last = [...this.posted].reverse().find((m) => m.type === 'summaryRendered') as unknown as { layers: string[]; sort: string; selected: string[]; problem: boolean; file: string } | undefined;
      if (last && ok(last)) return last;
      await this.page.waitForTimeout(20);
    }
    throw new Error(`no matching summaryRendered probe; posted: ${JSON.stringify(this.posted.slice(-3))}`);
  }
}

/** One Chromium and a static server for the view's page. */
export class SummaryBrowser extends BundleBrowser<SummaryPage> {
  constructor() {
    super({
      name: 'summary',
      entry: 'webview/summary/main.ts',
      html: (origin, script, prelude) => summaryHtml({ cspSource: origin, nonce: makeNonce(), script, preludeScripts: [prelude] }),
      makePage: (page) => new SummaryPage(page),
      size: { width: 1000, height: 700 },
    });
  }
}
