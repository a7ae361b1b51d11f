/**
 * Takes the README/docs screenshots of the graph editor in headless Chromium with VS Code-like
 * theme variables: the interview network (light, block view; dark, neurons expanded) and a
 * 100-node network with its minimap.
 *
 *   node --import tsx test/webview/screenshots.ts [outDir]   (default docs/images)
 */
import { join } from 'node:path';
import { bigNetworkText } from './bigNetwork';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { screenshotRun } from './screenshotRun';

screenshotRun(new EditorBrowser(), 'docs/images', async (browser, out) => {
  const interview = readRepoFile('examples/interview.nn');
  for (const theme of ['light', 'dark'] as const) {
    const host = await browser.open(interview, { theme, width: 1280, height: 640, fileName: 'interview.nn' });
    if (theme === 'dark') {
      await host.page.click('[data-action="unfold"]');
      await host.page.waitForTimeout(400);
      await host.page.click('[data-action="screen-full"]');
    }
    await host.page.click('[data-node-id="hidden"] .node-title');
    await host.page.mouse.move(5, 300);
    await host.page.waitForTimeout(400);
    await host.page.screenshot({ path: join(out, `graph-interview-${theme}.png`) });
    await host.page.close();
  }
  const big = await browser.open(bigNetworkText(100), { theme: 'dark', width: 1600, height: 900, fileName: 'synthetic-100.nn' });
  await big.page.waitForTimeout(300);
  await big.page.screenshot({ path: join(out, 'graph-100-nodes.png') });
  await big.page.close();
});
