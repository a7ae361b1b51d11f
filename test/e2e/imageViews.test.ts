/**
 * An image network in a real VS Code (code-server) in a real browser: train a tiny digits convnet
 * from the command palette; the graph editor's training view shows validation images with
 * predicted and true classes (mistakes first) beside the confusion matrix, in place of the
 * decision boundary; a click on an image of that grid opens the gradients panel on the first
 * conv layer's filters and that image's feature maps.
 * Screenshots go to test-results/e2e/.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../integration/codeServer';
import { frameWith, graphFrame, openFromExplorer, retry, runExact, screenshot, useWorkbench } from './workbench';

describe('an image network in a real VS Code', function () {
  const wb = useWorkbench([[join(REPO_ROOT, 'test/unit/trainer/fixtures/digits-conv.nn'), 'digits-conv.nn']], { viewport: { width: 1400, height: 900 }, shotPrefix: 'images-' });

  it('Train shows validation images beside the confusion matrix; clicking one opens the panel on the filters and that image\'s feature maps', async () => {
    const page = wb.session.page;
    await openFromExplorer(page, 'digits-conv.nn');
    const graph = graphFrame(page);
    await graph.locator('[data-node-id="c1"]').waitFor({ state: 'visible', timeout: 60_000 });
    await runExact(page, 'Neural Canvas: Train');
    await graph.locator('[data-testid="image-grid"] figure').first().waitFor({ state: 'visible', timeout: 60_000 });
    await retry('the run to finish', async () => {
      assert.match((await graph.locator('[data-testid="training"] .outcome').textContent()) ?? '', /completed 3 epoch\(s\).*weights saved to digits-conv\.weights\.safetensors/);
    }, 60, 500);
    assert.equal(await graph.locator('[data-testid="boundary"]').isHidden(), true, 'no decision boundary for an image network');
    assert.equal(await graph.locator('table.confusion tr').count(), 11);
    assert.match((await graph.locator('[data-testid="image-grid"] .grid-summary').textContent()) ?? '', /\d+ of 359 wrong/);
    await screenshot(page, 'images-training-view');

    // A click on the fourth image of the editor's grid opens the gradients panel on that image's maps.
    const editor = await frameWith(page, '[data-testid="image-grid"] figure');
    const cell = (await editor.$$('[data-testid="image-grid"] figure'))[3];
    const row = await cell.getAttribute('data-row');
    await cell.click();
    const panel = await frameWith(page, '#panel [data-testid="feature-maps"] .cells canvas');
    assert.equal((await panel.$$('[data-testid="filters"] canvas')).length, 4, 'the four 3×3 filters of c1');
    assert.equal((await panel.$$('[data-testid="feature-maps"] .cells canvas')).length, 4, 'one feature map per filter');
    assert.match((await panel.textContent('.conv .caption')) ?? '', /c1: 4 maps of 6×6 .*digits-conv\.weights\.safetensors/);
    await retry('the panel to show the clicked image', async () => {
      assert.match((await panel.textContent('.conv h3:nth-of-type(2)')) ?? '', new RegExp(`image ${row}$`));
      assert.equal(await panel.getAttribute('.conv .strip .picked', 'data-row').catch(() => row), row);
    }, 30, 300);
    await page.waitForTimeout(500);
    await (await panel.$('[data-testid="conv-views"]'))?.scrollIntoViewIfNeeded();
    await screenshot(page, 'images-gradients-panel');
  });
});
