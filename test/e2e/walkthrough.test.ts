/**
 * The walkthrough and the Summary view in a real VS Code (code-server) in a real browser: open
 * "Learn neural networks with Neural Canvas" from the palette, press the first step's button,
 * agree to copy the example, and the perceptron opens in the graph beside the steps; then Show
 * Summary beside the interview network's graph. Screenshots go to test-results/e2e/.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../integration/codeServer';
import { openFromExplorer, retry, runCommand, screenshot, tab, useWorkbench } from './workbench';

describe('the walkthrough and the summary in a real VS Code', function () {
  const wb = useWorkbench([[join(REPO_ROOT, 'examples/interview.nn'), 'interview.nn']], { viewport: { width: 1400, height: 900 }, shotPrefix: 'walkthrough-' });

  it('opens from the palette; a step\'s button copies its example (after asking) and opens it in the graph beside the steps', async () => {
    const page = wb.session.page;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('Learn neural networks');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Learn neural networks with Neural Canvas' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await input.press('Enter');
    const container = page.locator('.gettingStartedContainer');
    await container.getByText('Learn neural networks with Neural Canvas').first().waitFor({ state: 'visible', timeout: 30_000 });
    await container.getByText('A perceptron\'s output by hand').first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(1500);
    await screenshot(page, 'walkthrough-page');

    await retry('pressing "Open the Perceptron"', async () => {
      await container.getByRole('button', { name: 'Open the Perceptron' }).first().click({ timeout: 3_000 });
      await page.locator('.monaco-dialog-box').waitFor({ state: 'visible', timeout: 3_000 });
    }, 3);
    assert.match((await page.locator('.monaco-dialog-box').textContent()) ?? '', /Copy perceptron\.nn into neural-canvas-examples/);
    await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: 'Copy and Open' }).click();
    await tab(page, 'perceptron.nn').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'neural-canvas-examples' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForTimeout(2500);
    await screenshot(page, 'walkthrough-perceptron-opened');
  });

  it('Show Summary opens the table beside the interview network\'s graph', async () => {
    const page = wb.session.page;
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await openFromExplorer(page, 'interview.nn');
    await tab(page, 'interview.nn').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(2000);
    await runCommand(page, 'Neural Canvas: Show Summary');
    await tab(page, 'Summary: interview.nn').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(2500);
    await screenshot(page, 'summary-beside-graph');
  });
});
