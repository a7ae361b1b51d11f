/**
 * Find and follow, and the keyboard and screen-reader paths of the graph editor (issue 13), in
 * headless Chromium against the fake host: Ctrl+F finds nodes by id, label or type and reveals
 * each match; pasted and added nodes are selected and in view; cycle edges are drawn in the error
 * colour; C connects two nodes from the keyboard; inspector fields are named by their labels; the
 * first Tab stop skips to the graph; the find box in the high-contrast theme.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bigNetworkText } from './bigNetwork';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';
import { twoLayers } from './smallDesigns';

const cyclic = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 2 },
    { "id": "a", "type": "dense", "units": 2 },
    { "id": "b", "type": "dense", "units": 2 },
    { "id": "join", "type": "add" },
    { "id": "out", "type": "dense", "units": 1 }
  ],
  "edges": [
    { "from": "x", "to": "join" },
    { "from": "join", "to": "a" },
    { "from": "a", "to": "b" },
    { "from": "b", "to": "join" },
    { "from": "b", "to": "out" }
  ]
}
`;

/** Waits until the host has answered and the view drew the answer. */
async function settle(host: FakeHost, before: number): Promise<void> {
  for (let i = 0; i < 100 && host.version === before; i++) await host.page.waitForTimeout(20);
  await host.rendered();
}

async function selectedIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-node-id][aria-pressed="true"]', (els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
}

/** Whether node `id`'s box lies wholly inside the graph's visible area. */
async function inView(page: Page, id: string): Promise<boolean> {
  const graph = await page.locator('[data-testid="graph"]').boundingBox();
  const box = await page.locator(`[data-node-id="${id}"] .node-box`).boundingBox();
  if (!graph || !box) return false;
  return box.x >= graph.x - 1 && box.y >= graph.y - 1 && box.x + box.width <= graph.x + graph.width + 1 && box.y + box.height <= graph.y + graph.height + 1;
}

/** Zooms in far enough that most of a big graph is off-screen. */
async function zoomIn(page: Page, times = 8): Promise<void> {
  await page.focus('[data-testid="graph"]');
  for (let i = 0; i < times; i++) await page.keyboard.press('+');
}

/** The focused element's test id or node id, through the document (the test tsconfig has no DOM types). */
async function focusedKey(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { getAttribute(a: string): string | null } | null } }).document.activeElement;
    return el?.getAttribute('data-testid') ?? el?.getAttribute('data-node-id') ?? '';
  });
}

describe('graph editor: find, follow and accessibility (Chromium)', function () {
  this.timeout(120_000);
  // Each test's last page is checked (messages valid, no page errors) and closed after it.
  const browser = editorSuite();
  let host: FakeHost | undefined;

  it('Ctrl+F finds nodes by id, label and type, steps with Enter / Shift+Enter / F3, and scrolls each match into view', async () => {
    const text = bigNetworkText(100).replace('"id": "t7_2", "type": "dense"', '"id": "t7_2", "label": "Bottleneck", "type": "dense"');
    host = await browser.open(text, { width: 1400, height: 900 });
    const page = host.page;
    await zoomIn(page);
    await page.keyboard.press('Control+f');
    assert.ok(await page.isVisible('[data-testid="find-box"]'));
    assert.equal(await focusedKey(page), 'find-input');
    // By id: one match, selected and scrolled into view.
    assert.equal(await inView(page, 't9_8'), false, 'the node starts off-screen');
    await page.keyboard.type('t9_8');
    assert.equal(await page.textContent('[data-testid="find-count"]'), '1 of 1');
    assert.deepEqual(await selectedIds(page), ['t9_8']);
    assert.ok(await inView(page, 't9_8'), 'the match is scrolled into view');
    // By label, any case.
    await page.fill('[data-testid="find-input"]', 'bottleNECK');
    assert.equal(await page.textContent('[data-testid="find-count"]'), '1 of 1');
    assert.deepEqual(await selectedIds(page), ['t7_2']);
    assert.ok(await inView(page, 't7_2'));
    // By type: every dropout, in data-flow order; Enter, Shift+Enter and F3 step and wrap.
    await page.fill('[data-testid="find-input"]', 'dropout');
    const count = await page.textContent('[data-testid="find-count"]');
    const m = /^1 of (\d+)$/.exec(count ?? '');
    assert.ok(m, `count: ${count}`);
    const total = Number(m[1]);
    assert.ok(total > 10);
    const first = (await selectedIds(page))[0];
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('[data-testid="find-count"]'), `2 of ${total}`);
    const second = (await selectedIds(page))[0];
    assert.notEqual(second, first);
    assert.match(await page.getAttribute(`[data-node-id="${second}"]`, 'aria-label') ?? '', /Dropout/);
    assert.ok(await inView(page, second));
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.textContent('[data-testid="find-count"]'), `1 of ${total}`);
    assert.deepEqual(await selectedIds(page), [first]);
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.textContent('[data-testid="find-count"]'), `${total} of ${total}`, 'wraps around');
    await page.keyboard.press('F3');
    assert.equal(await page.textContent('[data-testid="find-count"]'), `1 of ${total}`);
    await page.fill('[data-testid="find-input"]', 'no such node');
    assert.equal(await page.textContent('[data-testid="find-count"]'), 'No results');
    // Escape closes and gives the keyboard back to the graph; the last match stays selected.
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('[data-testid="find-box"]'), false);
    assert.equal(await focusedKey(page), 'graph');
    assert.deepEqual(await selectedIds(page), [first]);
    assert.equal(host.received.filter((r) => 'requestId' in r).length, 0, 'finding sends no edit');
  });

  it('a pasted node is selected and scrolled into view', async () => {
    host = await browser.open(bigNetworkText(100), { width: 1400, height: 900 });
    const page = host.page;
    await zoomIn(page);
    await page.keyboard.press('Control+f');
    await page.keyboard.type('t9_8');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+c');
    const v = host.version;
    await page.keyboard.press('Control+v');
    await settle(host, v);
    assert.deepEqual(host.intents('paste').map((p) => p.nodes.map((n) => n.id)), [['t9_8_copy']]);
    assert.deepEqual(await selectedIds(page), ['t9_8_copy']);
    assert.ok(await inView(page, 't9_8_copy'), 'the pasted node is in view');
  });

  it('a node added from the palette is selected and scrolled into view', async () => {
    host = await browser.open(bigNetworkText(100), { width: 1400, height: 900 });
    const page = host.page;
    await zoomIn(page);
    await page.keyboard.press('Control+f');
    await page.keyboard.type('t0_1');
    await page.keyboard.press('Escape');
    // Scroll the selected node away, as after looking elsewhere.
    for (let i = 0; i < 12; i++) await page.keyboard.press('-');
    for (let i = 0; i < 12; i++) await page.keyboard.press('+');
    const v = host.version;
    await page.click('[data-palette="dropout"]');
    await settle(host, v);
    assert.deepEqual(host.intents('addNode').map((a) => [a.node.id, a.after]), [['drop1', 't0_1']]);
    assert.deepEqual(await selectedIds(page), ['drop1']);
    assert.ok(await inView(page, 'drop1'));
  });

  it('draws the edges of a cycle in the error colour, and only those', async () => {
    host = await browser.open(cyclic);
    const page = host.page;
    const cycleEdges = await page.$$eval('.edge.cycle', (els) => els.map((e) => e.getAttribute('data-edge')).sort());
    assert.deepEqual(cycleEdges, ['a->b', 'b->join', 'join->a']);
    const stroke = (key: string): Promise<string> => page.$eval(`[data-edge="${key}"] .edge-line`, (e) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(e).stroke);
    const error = await page.evaluate(() => {
      const g = (globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement;
      return (globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string } }).getComputedStyle(g).getPropertyValue('--vscode-errorForeground').trim();
    });
    assert.equal(error, '#f85149');
    assert.equal(await stroke('b->join'), 'rgb(248, 81, 73)');
    assert.notEqual(await stroke('x->join'), 'rgb(248, 81, 73)');
    assert.notEqual(await stroke('b->out'), 'rgb(248, 81, 73)');
    assert.match(await page.getAttribute('[data-edge="b->join"]', 'aria-label') ?? '', /on a cycle/);
    // Breaking the loop (an edit in the text) clears the marks.
    await host.setText(host.text.replace('{ "from": "b", "to": "join" },\n', ''));
    await host.rendered();
    assert.equal(await page.$$eval('.edge.cycle', (els) => els.length), 0);
  });

  it('connects two existing nodes from the keyboard: C, arrows, Enter sends one connect; Escape cancels', async () => {
    host = await browser.open(twoLayers);
    const page = host.page;
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedIds(page), ['a']);
    // Escape: nothing sent, and the selection is kept.
    await page.keyboard.press('c');
    assert.match(await page.textContent('.canvas .sr-only[aria-live]') ?? '', /Connect a to: .*Target 1 of 1: b, Dense/);
    assert.ok(await page.$('[data-node-id="b"].connect-target'));
    await page.keyboard.press('Escape');
    assert.match(await page.textContent('.canvas .sr-only[aria-live]') ?? '', /cancelled/);
    assert.equal(await page.$('.connect-target'), null);
    assert.deepEqual(await selectedIds(page), ['a']);
    // C, an arrow (one candidate: it wraps), Enter: one connect intent, applied.
    await page.keyboard.press('c');
    await page.keyboard.press('ArrowDown');
    const v = host.version;
    await page.keyboard.press('Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('connect').map((c) => [c.from, c.to]), [['a', 'b']]);
    assert.equal(host.received.filter((r) => 'requestId' in r).length, 1, 'exactly one edit');
    assert.ok(await page.$('[data-edge="a->b"]'));
    // From b nothing can be fed (x is an input, a already leads to b): said, not sent.
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedIds(page), ['b']);
    await page.keyboard.press('c');
    assert.match(await page.textContent('.canvas .sr-only[aria-live]') ?? '', /No node can take the output of b/);
    await page.keyboard.press('Enter');
    assert.equal(host.intents('connect').length, 1);
  });

  it('keyboard connect offers only the nodes the rules accept, in data-flow order, and the arrows choose among them', async () => {
    host = await browser.open(`{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 2 },
    { "id": "a", "type": "dense", "units": 3 },
    { "id": "b", "type": "dense", "units": 2 },
    { "id": "merge", "type": "concat" },
    { "id": "c", "type": "dense", "units": 1 }
  ],
  "edges": [
    { "from": "x", "to": "a" },
    { "from": "x", "to": "b" },
    { "from": "b", "to": "merge" }
  ]
}
`);
    const page = host.page;
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedIds(page), ['a']);
    // From a: not x (an input), not b (one input, taken); merge (several inputs) and c (none yet).
    await page.keyboard.press('c');
    const live = (): Promise<string> => page.textContent('.canvas .sr-only[aria-live]').then((t) => t ?? '');
    assert.match(await live(), /Target 1 of 2: merge/);
    assert.equal(await page.$$eval('.connect-target', (els) => els.map((e) => e.getAttribute('data-node-id')).join()), 'merge');
    await page.keyboard.press('ArrowDown');
    assert.match(await live(), /Target 2 of 2: c/);
    assert.equal(await page.$$eval('.connect-target', (els) => els.map((e) => e.getAttribute('data-node-id')).join()), 'c');
    assert.ok(await page.$('[data-testid="keyboard-connect-line"]'), 'a line shows the connection being made');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.match(await live(), /Target 2 of 2: c/, 'wraps around');
    const v = host.version;
    await page.keyboard.press('Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('connect').map((c) => [c.from, c.to]), [['a', 'c']]);
    assert.equal(await page.$('[data-testid="keyboard-connect-line"]'), null);
    assert.equal(await page.$('.connect-target'), null);
  });

  it('names every inspector field by its visible label', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const page = host.page;
    await page.click('[data-node-id="hidden"] .node-title');
    for (const name of ['Id', 'Label', 'Units']) assert.equal(await page.getByRole('textbox', { name, exact: true }).count(), 1, name);
    assert.equal(await page.getByRole('combobox', { name: 'Activation', exact: true }).count(), 1);
    assert.equal(await page.getByRole('checkbox', { name: 'Use bias', exact: true }).count(), 1);
    // Chromium's own accessibility tree agrees: every text box of the inspector has its label as name.
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: { role?: { value: string }; name?: { value: string }; ignored?: boolean }[] };
    const boxes = nodes.filter((n) => !n.ignored && n.role?.value === 'textbox').map((n) => n.name?.value ?? '');
    for (const name of ['Id', 'Label', 'Units']) assert.ok(boxes.includes(name), `${name} in ${JSON.stringify(boxes)}`);
    assert.ok(boxes.every((b) => b !== ''), `no unnamed text field: ${JSON.stringify(boxes)}`);
    // The label still focuses its field, and the field still edits.
    const v = host.version;
    await page.getByRole('textbox', { name: 'Units', exact: true }).fill('4');
    await page.keyboard.press('Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('setProperty').map((m) => [m.id, m.key, m.value]), [['hidden', 'units', 4]]);
  });

  it('the first Tab stop skips to the graph, which has an accessible name', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const page = host.page;
    await page.keyboard.press('Tab');
    assert.equal(await focusedKey(page), 'skip-to-graph');
    assert.ok(await page.isVisible('[data-testid="skip-to-graph"]'), 'visible when focused');
    assert.equal(await page.textContent('[data-testid="skip-to-graph"]'), 'Skip to graph');
    await page.keyboard.press('Enter');
    assert.equal(await focusedKey(page), 'graph');
    assert.equal(await page.getByRole('group', { name: /network graph of 3 nodes/ }).count(), 1);
    // From the graph the arrows work at once.
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selectedIds(page), ['x']);
  });

  it('high contrast theme: the find box is drawn with the contrast border and focus colours', async () => {
    host = await browser.open(bigNetworkText(100), { theme: 'high-contrast', width: 1400, height: 900 });
    const page = host.page;
    assert.ok(await page.$('body.vscode-high-contrast'));
    await page.focus('[data-testid="graph"]');
    await page.keyboard.press('Control+f');
    await page.keyboard.type('dropout');
    const style = await page.$eval('[data-testid="find-box"]', (e) => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string; backgroundColor: string } };
      const input = (e as unknown as { querySelector(s: string): unknown }).querySelector('input');
      return { border: g.getComputedStyle(e).borderTopColor, bg: g.getComputedStyle(e).backgroundColor, inputBorder: g.getComputedStyle(input).borderTopColor };
    });
    assert.deepEqual(style, { border: 'rgb(111, 195, 223)', bg: 'rgb(12, 20, 31)', inputBorder: 'rgb(243, 133, 24)' });
    const shots = process.env.NN_SHOTS;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'find-high-contrast-test.png') });
    }
    const png = await page.locator('[data-testid="find-box"]').screenshot();
    assert.ok(png.length > 500, 'the find box was drawn');
  });
});
