/**
 * The frame every screenshot script shares: the output folder from the first argument (or the
 * script's default), a started browser harness, the script's shots, the browser stopped even when
 * a shot fails, the folder printed, and a failing exit code on any error.
 *
 *   screenshotRun(new EditorBrowser(), 'docs/images', async (browser, out) => { ... });
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A browser harness of this folder (EditorBrowser, SummaryBrowser, PanelBrowser). */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `shots` with a started `browser`; `defaultDir` is relative to the repository root. */
export function screenshotRun<B extends Startable>(browser: B, defaultDir: string, shots: (browser: B, out: string) => Promise<void>): void {
  const main = async (): Promise<void> => {
    const out = resolve(process.argv[2] ?? join(__dirname, '../..', defaultDir));
    mkdirSync(out, { recursive: true });
    await browser.start();
    try {
      await shots(browser, out);
      console.log(`screenshots written to ${out}`);
    } finally {
      await browser.stop();
    }
  };
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
