/**
 * The loss chart follows a color theme change made while it is shown (headless Chromium, real
 * editor bundle). VS Code restyles a webview in place: it swaps the body's theme class and the
 * variables on <html>, and never reloads the page; a chart that kept the colours it was built with
 * drew light-theme axis labels on the dark background (found in code-server, dark after light).
 */
import * as assert from 'node:assert/strict';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { DARK, LIGHT } from './themes';

/** The most common opaque grey of the loss chart's canvas: the axes' labels and ticks. */
const AXIS_GREY = `(() => {
  const counts = new Map();
  for (const cv of document.querySelectorAll('[data-testid="loss-chart"] canvas')) {
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 250 || d[i] !== d[i + 1] || d[i] !== d[i + 2]) continue;
      counts.set(d[i], (counts.get(d[i]) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
})()`;

/** What the workbench does to a webview on a theme change (variables on <html>, the body's class). */
function switchTheme(vars: Record<string, string>, bodyClass: string): string {
  return `(() => {
    for (const [k, v] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(k, v);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(${JSON.stringify(bodyClass)});
  })()`;
}

describe('the loss chart and a color theme change (Chromium)', function () {
  this.timeout(60000);
  const browser = new EditorBrowser();
  before(() => browser.start());
  after(() => browser.stop());

  it('redraws its axes in the new theme\'s foreground, light to dark and back', async () => {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { theme: 'light', fileName: 'spiral.nn', width: 1280, height: 760 });
    const page = host.page;
    await host.post({ type: 'training', update: { kind: 'start', runId: 1, file: 'spiral.nn', backend: 'cpu', reason: 'test', mode: 'train', paramCounts: [], totalParams: 337,
      trainCount: 100, validationCount: 20, epochs: 2, stepsPerEpoch: 10, batchSize: 10, notices: [] } });
    for (let s = 1; s <= 20; s++) {
      await host.post({ type: 'training', update: { kind: 'progress', runId: 1, epoch: s <= 10 ? 1 : 2, step: ((s - 1) % 10) + 1, totalSteps: 10, globalStep: s, loss: 2 / s, samplesPerSec: 1000 } });
    }
    await page.waitForSelector('[data-testid="loss-chart"] canvas', { timeout: 10_000 });
    const grey = async (): Promise<number> => {
      await page.waitForTimeout(300);
      return (await page.evaluate(AXIS_GREY)) as number;
    };
    const hex = (c: string): number => parseInt(c.slice(1, 3), 16);
    assert.equal(await grey(), hex(LIGHT['--vscode-foreground']), 'light: the labels in the light foreground');

    await page.evaluate(switchTheme(DARK, 'vscode-dark'));
    assert.equal(await grey(), hex(DARK['--vscode-foreground']), 'dark: the labels in the dark foreground');

    await page.evaluate(switchTheme(LIGHT, 'vscode-light'));
    assert.equal(await grey(), hex(LIGHT['--vscode-foreground']), 'light again');
    assert.deepEqual(host.errors.filter((e) => !/status of 404/.test(e)), []);
    await page.close();
  });
});
