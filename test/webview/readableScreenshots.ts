/**
 * Screenshots of the readable layout, light and dark: the spiral network in a VS Code-sized editor
 * (1000×900: the side bar takes the rest of a 1400 px window; it runs top to bottom at 100 %), and
 * a 200-layer chain at 1400×900 (rows as wide as the canvas at the readable zoom, the input first,
 * the minimap showing where the view is), then scrolled down.
 *
 *   node --import tsx test/webview/readableScreenshots.ts [outDir]   (default .cache/shots)
 */
import { join } from 'node:path';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { chainText } from './chainNetwork';
import { screenshotRun } from './screenshotRun';

screenshotRun(new EditorBrowser(), '.cache/shots', async (browser, out) => {
  for (const theme of ['light', 'dark'] as const) {
    const spiral = await browser.open(readRepoFile('examples/spiral.nn'), { theme, width: 1000, height: 900, fileName: 'spiral.nn' });
    await spiral.page.waitForTimeout(500);
    await spiral.page.screenshot({ path: join(out, `readable-spiral-${theme}.png`) });
    await spiral.page.close();
    const chain = await browser.open(chainText(200), { theme, width: 1400, height: 900, fileName: 'chain200.nn' });
    await chain.page.waitForTimeout(500);
    await chain.page.screenshot({ path: join(out, `readable-chain200-${theme}.png`) });
    const box = (await chain.page.locator('[data-testid="graph"]').boundingBox())!;
    await chain.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 12; i++) await chain.page.mouse.wheel(0, 500);
    await chain.page.waitForTimeout(300);
    await chain.page.screenshot({ path: join(out, `readable-chain200-scrolled-${theme}.png`) });
    await chain.page.close();
  }
});
