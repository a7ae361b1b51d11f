/**
 * Screenshots of the settings inspector (nothing selected) at 1400×900, light and dark: the
 * interview network (a shipped data set), pass-class (a CSV with its column picker, the host's
 * preview played from the real file) and the spiral (a generator).
 *
 *   node --import tsx test/webview/settingsScreenshots.ts [outDir]   (default .cache/screenshots)
 */
import { join } from 'node:path';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { screenshotRun } from './screenshotRun';

screenshotRun(new EditorBrowser(), '.cache/screenshots', async (browser, out) => {
  const csv = readRepoFile('examples/data/pass-class.csv').trim().split('\n').map((l) => l.split(','));
  for (const name of ['interview', 'pass-class', 'spiral']) {
    for (const theme of ['light', 'dark'] as const) {
      const host = await browser.open(readRepoFile(`examples/${name}.nn`), { theme, width: 1400, height: 900, fileName: `${name}.nn` });
      if (name === 'pass-class') {
        await host.post({ type: 'csvPreview', preview: { path: 'data/pass-class.csv', header: csv[0], rows: csv.slice(1, 6) } });
        await host.page.waitForSelector('[data-testid="csv-picker"]');
      }
      await host.page.evaluate('document.querySelector(\'[data-testid="training-settings"]\')?.scrollIntoView({ block: "start" })');
      await host.page.mouse.move(5, 450);
      await host.page.waitForTimeout(300);
      await host.page.screenshot({ path: join(out, `settings-${name}-${theme}.png`) });
      await host.page.close();
    }
  }
});
