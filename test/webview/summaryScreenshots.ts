/**
 * Screenshots of the Summary view at 1400×900, light and dark, with the interview network
 * (a row selected) and LeNet-5 (sorted by parameters).
 *
 *   node --import tsx test/webview/summaryScreenshots.ts [outDir]   (default docs/images)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryContent } from '../../src/extension/summary/summaryContent';
import { SummaryBrowser } from './summaryHarness';
import { screenshotRun } from './screenshotRun';

screenshotRun(new SummaryBrowser(), 'docs/images', async (browser, out) => {
  for (const theme of ['light', 'dark'] as const) {
    for (const name of ['interview', 'lenet5']) {
      const view = await browser.open(theme, { width: 1400, height: 900 });
      const file = `${name}.nn`;
      await view.post(summaryContent(readFileSync(join(__dirname, '../../examples', file), 'utf8'), file));
      await view.probe();
      if (name === 'lenet5') await view.page.click('th button[data-sort="params"]');
      else await view.post({ type: 'select', ids: ['hidden'] });
      await view.page.mouse.move(1300, 880);
      await view.page.waitForTimeout(200);
      await view.page.screenshot({ path: join(out, `summary-${name}-${theme}.png`) });
      await view.page.close();
    }
  }
});
