/**
 * A snapshot that changes nothing the inspector shows (an edit of a node elsewhere, from the
 * graph or a text editor) leaves the inspector as it is, in headless Chromium: its controls are
 * not built again, so what the user is typing in a field stays (and a 2,000-node redraw does not
 * pay for the toolkit controls).
 */
import * as assert from 'node:assert/strict';
import { editorSuite, readRepoFile } from './editorHarness';

describe('inspector kept across unrelated edits (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();

  it('keeps the settings being typed when another part of the design changes, and shows a change to them', async () => {
    const host = await browser.open(readRepoFile('examples/interview.nn'), { fileName: 'interview.nn' });
    const epochs = '[data-field="training-epochs"] input';
    await host.page.waitForSelector('[data-testid="training-settings"]');
    await host.page.evaluate('document.querySelector(\'[data-testid="training-settings"]\').dataset.mark = "first"');
    // Typed, not yet committed (no Enter, no blur).
    await host.page.fill(epochs, '33');
    await host.setText(host.text.replace('"activation": "relu"', '"activation": "tanh"'));
    await host.rendered();
    assert.equal(await host.page.$eval('[data-node-id="hidden"] .node-sub', (e) => e.textContent), 'Dense · 3 units · tanh');
    assert.equal(await host.page.$eval('[data-testid="training-settings"]', (e) => (e as unknown as { dataset: Record<string, string> }).dataset.mark), 'first');
    assert.equal(await host.page.$eval('[data-field="training-epochs"]', (e) => (e as unknown as { value: string }).value), '33');
    // A change to the settings themselves is shown (the field typed back to the file's value first).
    await host.page.fill(epochs, '200');
    await host.setText(host.text.replace('"epochs": 200', '"epochs": 50'));
    await host.rendered();
    assert.equal(await host.page.$eval('[data-field="training-epochs"]', (e) => (e as unknown as { value: string }).value), '50');
    assert.deepEqual(host.intents('setTrainingField'), []);
  });
});
