/**
 * Selecting several nodes from the keyboard alone (issue 13), in headless Chromium against the
 * fake host: Shift+arrow extends the selection, Ctrl+arrow moves the focus alone and Ctrl+Space
 * adds the focused node, Ctrl+A selects all, Escape selects none; the screen reader hears how
 * many nodes are selected; Ctrl+G then groups them as one edit of the file. Screenshots in light
 * and dark go to .cache/shots.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { checkNetwork } from '../../src/model';
import { editorSuite } from './editorHarness';
import type { FakeHost } from './editorHarness';

const chain = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 4 },
    { "id": "a", "type": "dense", "units": 8, "activation": "relu" },
    { "id": "b", "type": "dense", "units": 8, "activation": "relu" },
    { "id": "c", "type": "dense", "units": 8, "activation": "relu" },
    { "id": "d", "type": "dense", "units": 8, "activation": "relu" },
    { "id": "out", "type": "dense", "units": 1, "activation": "sigmoid" }
  ],
  "edges": [
    { "from": "x", "to": "a" },
    { "from": "a", "to": "b" },
    { "from": "b", "to": "c" },
    { "from": "c", "to": "d" },
    { "from": "d", "to": "out" }
  ]
}
`;

async function settle(host: FakeHost, before: number): Promise<void> {
  for (let i = 0; i < 100 && host.version === before; i++) await host.page.waitForTimeout(20);
  await host.rendered();
}

async function selectedIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-node-id][aria-pressed="true"]', (els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
}

async function focusedNode(page: Page): Promise<string | null> {
  return page.$$eval('.nodes [data-node-id].focused', (els) => (els.length === 1 ? els[0].getAttribute('data-node-id') : `${els.length} focused`));
}

const shots = join(__dirname, '../../.cache/shots');

const live = (page: Page): Promise<string> => page.textContent('.canvas .sr-only[aria-live]').then((t) => t ?? '');

describe('graph editor: selecting several nodes from the keyboard (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();

  it('Shift+arrow selects three nodes, the count is announced, and Ctrl+G groups them as one edit', async () => {
    const host = await browser.open(chain);
    const { page } = host;
    // Keyboard only: the first Tab stop skips to the graph.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight'); // x
    await page.keyboard.press('ArrowRight'); // a
    assert.deepEqual(await selectedIds(page), ['a']);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    assert.deepEqual((await selectedIds(page)).sort(), ['a', 'b', 'c']);
    assert.equal(await focusedNode(page), 'c');
    assert.match(await live(page), /^c, Dense.*, selected\. 3 nodes selected\.$/);
    const before = host.version;
    await page.keyboard.press('Control+g');
    await settle(host, before);
    assert.deepEqual(host.intents('group').map((m) => [...(m.ids as string[])].sort()), [['a', 'b', 'c']]);
    const doc = checkNetwork(host.text).parsed.doc;
    assert.deepEqual(doc?.groups?.map((g) => [g.id, g.collapsed, [...g.nodes].sort()]), [['group1', true, ['a', 'b', 'c']]]);
    assert.equal(doc?.nodes.length, 6, 'grouping leaves the nodes as they were');
  });

  it('Ctrl+arrow moves the focus alone, Ctrl+Space adds or takes out the focused node; Ctrl+A selects all; Escape selects none', async () => {
    const host = await browser.open(chain);
    const { page } = host;
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('ArrowRight'); // x
    await page.keyboard.press('ArrowRight'); // a
    // Skip b: the focus moves on its own, the selection stays.
    await page.keyboard.press('Control+ArrowRight');
    assert.deepEqual(await selectedIds(page), ['a']);
    assert.equal(await focusedNode(page), 'b');
    assert.match(await live(page), /^b, .*, not selected\. 1 node selected\.$/);
    await page.keyboard.press('Control+ArrowRight');
    await page.keyboard.press('Control+Space');
    assert.deepEqual((await selectedIds(page)).sort(), ['a', 'c']);
    assert.match(await live(page), /^c, .*, selected\. 2 nodes selected\.$/);
    // Ctrl+Space again takes it out; the focus stays on it.
    await page.keyboard.press('Control+Space');
    assert.deepEqual(await selectedIds(page), ['a']);
    assert.equal(await focusedNode(page), 'c');
    await page.keyboard.press('Shift+Space');
    assert.deepEqual((await selectedIds(page)).sort(), ['a', 'c']);
    // Ctrl+A: every node; the focus stays where it was.
    await page.keyboard.press('Control+a');
    assert.deepEqual((await selectedIds(page)).sort(), ['a', 'b', 'c', 'd', 'out', 'x']);
    assert.equal(await focusedNode(page), 'c');
    assert.match(await live(page), /6 nodes selected\.$/);
    assert.match(await page.textContent('.inspector') ?? '', /6 nodes selected/);
    // Escape: nothing selected, the focus kept, so the arrows go on from there.
    await page.keyboard.press('Escape');
    assert.deepEqual(await selectedIds(page), []);
    assert.equal(await focusedNode(page), 'c');
    assert.match(await live(page), /^c, .*, not selected\. No nodes selected\.$/);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedIds(page), ['d']);
    assert.equal(host.received.filter((r) => 'requestId' in r).length, 0, 'selecting edits nothing');
  });

  it('two selected nodes and the focus on a third, unselected, are told apart in light and dark (screenshots)', async () => {
    mkdirSync(shots, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const host = await browser.open(chain, { theme, width: 1200, height: 500 });
      const { page } = host;
      await page.focus('[data-testid="graph"]');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Control+ArrowRight');
      assert.deepEqual((await selectedIds(page)).sort(), ['a', 'b']);
      assert.equal(await focusedNode(page), 'c');
      await page.screenshot({ path: join(shots, `keyboard-select-${theme}.png`) });
      if (theme === 'light') await page.close();
    }
  });
});
