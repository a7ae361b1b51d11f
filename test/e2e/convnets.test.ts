/**
 * Convolutional networks on a person's path through a real VS Code (code-server in Chromium, at
 * 1400×900), in the dark and the light theme: the digits convnet example opens as volumes joined
 * by shape-labelled edges, Train with Options runs it and the validation image grid appears; LeNet-5
 * draws its volumes and the status bar counts 61,706 parameters.
 * Screenshots go to test-results/e2e/vscode-*-{dark,light}.png.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../integration/codeServer';
import { graphFrame, openFromExplorer, retry, runExact, screenshot, trainWithOptions, useWorkbench } from './workbench';

/** Picks a color theme through "Preferences: Color Theme", as a person does, and waits for the workbench to take it. */
async function colorTheme(page: Page, theme: 'Dark Modern' | 'Light Modern'): Promise<void> {
  const kind = theme === 'Dark Modern' ? 'vs-dark' : 'vs';
  await retry(`choosing the ${theme} theme`, async () => {
    await page.keyboard.press('Escape');
    await runExact(page, 'Preferences: Color Theme', 1);
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 3_000 });
    await input.fill(theme);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor({ state: 'visible', timeout: 3_000 });
    await input.press('Enter');
    await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 5_000 });
  }, 4, 500);
  // The webviews restyle from the theme's variables a moment later.
  await page.waitForTimeout(1_000);
}

describe('convolutional networks in a real VS Code, light and dark', function () {
  const wb = useWorkbench([
    [join(REPO_ROOT, 'examples', 'digits-convnet.nn'), 'digits-convnet.nn'],
    [join(REPO_ROOT, 'examples', 'lenet5.nn'), 'lenet5.nn'],
  ], { viewport: { width: 1400, height: 900 }, shotPrefix: 'convnets-' });

  it('the digits convnet draws volumes and shape-labelled edges; Train with Options shows the validation image grid', async () => {
    const page = wb.session.page;
    await openFromExplorer(page, 'digits-convnet.nn');
    const graph = graphFrame(page);
    await graph.locator('[data-node-id="conv1"]').waitFor({ state: 'visible', timeout: 60_000 });
    // Every image-shaped output is a volume with its H×W×C; flat vectors are not.
    for (const [node, shape] of [['image', '8x8x1'], ['conv1', '8x8x16'], ['conv2', '6x6x32'], ['pool', '3x3x32']]) {
      assert.equal(await graph.locator(`[data-node-id="${node}"] .volume`).getAttribute('data-shape'), shape, `${node}'s volume`);
    }
    assert.equal(await graph.locator('[data-node-id="flat"] .volume').count(), 0, 'flatten\'s vector is no volume');
    for (const [from, to, label] of [['image', 'conv1', '[8×8×1]'], ['conv2', 'pool', '[6×6×32]'], ['pool', 'flat', '[3×3×32]'], ['flat', 'drop', '[288]']]) {
      assert.equal(await graph.locator(`.edge[data-from="${from}"][data-to="${to}"] .edge-label`).textContent(), label, `the edge ${from} → ${to}`);
    }

    // Train with Options: 4 epochs (the example's 25 take half a minute), learning rate kept, the CPU.
    await trainWithOptions(page, 4);
    await graph.locator('[data-testid="image-grid"] figure').first().waitFor({ state: 'visible', timeout: 60_000 });
    await retry('the run to finish', async () => {
      assert.match((await graph.locator('[data-testid="training"] .outcome').textContent()) ?? '', /completed 4 epoch\(s\).*weights saved to digits-convnet\.weights\.safetensors/);
    }, 120, 500);
    assert.equal(await graph.locator('[data-testid="boundary"]').isHidden(), true, 'no decision boundary for an image network');
    assert.match((await graph.locator('[data-testid="image-grid"] .grid-summary').textContent()) ?? '', /\d+ of 359 wrong/);
    assert.ok(await graph.locator('[data-testid="image-grid"] figure').count() > 0);
    await graph.locator('[data-testid="image-grid"]').scrollIntoViewIfNeeded();

    await colorTheme(page, 'Dark Modern');
    await screenshot(page, 'vscode-digits-convnet-grid-dark');
    await colorTheme(page, 'Light Modern');
    await screenshot(page, 'vscode-digits-convnet-grid-light');
  });

  it('LeNet-5 draws its volumes and the status bar counts 61,706 parameters', async () => {
    const page = wb.session.page;
    await openFromExplorer(page, 'lenet5.nn');
    const graph = graphFrame(page);
    await graph.locator('[data-node-id="C1"]').waitFor({ state: 'visible', timeout: 60_000 });
    for (const [node, shape] of [['image', '32x32x1'], ['C1', '28x28x6'], ['S2', '14x14x6'], ['C3', '10x10x16'], ['S4', '5x5x16']]) {
      assert.equal(await graph.locator(`[data-node-id="${node}"] .volume`).getAttribute('data-shape'), shape, `${node}'s volume`);
    }
    assert.equal(await graph.locator('.edge[data-from="S4"][data-to="flat"] .edge-label').textContent(), '[5×5×16]');
    await retry('the status bar to count LeNet-5', async () => {
      assert.match(await page.locator('.statusbar').innerText(), /61,706 params/);
    }, 20, 300);
    assert.equal(await graph.locator('[data-testid="node-badge"]').count(), 0, 'no problem badges');

    await colorTheme(page, 'Light Modern');
    await screenshot(page, 'vscode-lenet5-light');
    await colorTheme(page, 'Dark Modern');
    await screenshot(page, 'vscode-lenet5-dark');
  });
});
