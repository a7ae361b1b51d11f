/**
 * Screenshots of the find box on the 100-node synthetic network (light, dark, high contrast), a
 * match revealed at a zoom where the rest is off-screen, and the inspector with its labels.
 *
 *   node --import tsx test/webview/findScreenshots.ts [outDir]   (default .cache/shots)
 */
import { join } from 'node:path';
import { bigNetworkText } from './bigNetwork';
import { EditorBrowser } from './editorHarness';
import { screenshotRun } from './screenshotRun';

screenshotRun(new EditorBrowser(), '.cache/shots', async (browser, out) => {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    const host = await browser.open(bigNetworkText(100), { theme, width: 1400, height: 900, fileName: 'synthetic-100.nn' });
    await host.page.focus('[data-testid="graph"]');
    for (let i = 0; i < 6; i++) await host.page.keyboard.press('+');
    await host.page.keyboard.press('Control+f');
    await host.page.keyboard.type('dropout');
    await host.page.keyboard.press('Enter');
    await host.page.keyboard.press('Enter');
    await host.page.mouse.move(5, 450);
    await host.page.waitForTimeout(300);
    await host.page.screenshot({ path: join(out, `find-${theme}.png`) });
    await host.page.close();
  }
});
