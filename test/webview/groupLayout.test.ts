/**
 * An expanded group drawn as one frame round exactly its members (issue 13), in headless
 * Chromium against the fake host: the layout keeps the members of each expanded group together,
 * even when they are neither consecutive in the file nor on one branch, and when a long chain is
 * wrapped into rows (a group too wide for a row takes rows of its own). Screenshots in light and dark go to .cache/shots.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { editorSuite } from './editorHarness';

const shots = join(__dirname, '../../.cache/shots');

const dense = (id: string, units = 8): string => `    { "id": "${id}", "type": "dense", "units": ${units}, "activation": "relu" }`;

/** Two branches from x that join; the group takes a1 (first branch) and b2 (second), not next to each other in the file. */
const branches = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 4 },
${['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => dense(id)).join(',\n')},
    { "id": "join", "type": "add" },
    { "id": "out", "type": "dense", "units": 1, "activation": "sigmoid" }
  ],
  "edges": [
${[['x', 'a1'], ['a1', 'a2'], ['a2', 'a3'], ['a3', 'join'], ['x', 'b1'], ['b1', 'b2'], ['b2', 'b3'], ['b3', 'join'], ['join', 'out']].map(([from, to]) => `    { "from": "${from}", "to": "${to}" }`).join(',\n')}
  ],
  "groups": [
    { "id": "mixed", "label": "Picked by hand", "nodes": ["b2", "a1"], "collapsed": false }
  ]
}
`;

/** A chain of 40 dense layers (wrapped into rows), with layers 14 to 21 in an expanded group. */
function longChain(): string {
  const ids = [...Array(40).keys()].map((i) => `l${i}`);
  return `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 4 },
${ids.map((id) => dense(id)).join(',\n')}
  ],
  "edges": [
${['x', ...ids].slice(1).map((id, i) => `    { "from": "${['x', ...ids][i]}", "to": "${id}" }`).join(',\n')}
  ],
  "groups": [
    { "id": "middle", "label": "Middle block", "nodes": ${JSON.stringify(ids.slice(14, 22))} }
  ]
}
`;
}

type Rect = { x: number; y: number; width: number; height: number };
const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const within = (a: Rect, b: Rect): boolean => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;

/** The frames drawn for group `id` (one rect when the members are together, a halo per member otherwise), and every node's box, in page pixels. */
async function drawn(page: Page, id: string): Promise<{ frames: Rect[]; nodes: Map<string, Rect> }> {
  // No named functions inside the page's callbacks (the test's compiler would wrap them in a helper the page lacks).
  const frames = await page.$$eval(`[data-group-frame="${id}"] .group-frame-box`, (els) => els.map((e) => e.getBoundingClientRect().toJSON() as Rect));
  const nodes = await page.$$eval('.nodes [data-node-id] .node-box', (els) => els.map((e) => [e.closest('[data-node-id]')?.getAttribute('data-node-id') ?? '', e.getBoundingClientRect().toJSON() as Rect] as const));
  return { frames, nodes: new Map(nodes) };
}

/** Asserts one frame for group `id` holding exactly `members`. */
async function oneFrameAround(page: Page, id: string, members: string[]): Promise<void> {
  const { frames, nodes } = await drawn(page, id);
  assert.equal(frames.length, 1, `one frame round the group, not a halo per member (${frames.length} drawn)`);
  const frame = frames[0];
  const inside = [...nodes].filter(([, r]) => overlaps(r, frame)).map(([n]) => n).sort();
  assert.deepEqual(inside, [...members].sort(), 'the frame holds exactly the members');
  for (const m of members) assert.ok(within(nodes.get(m) as Rect, frame), `${m} wholly inside the frame`);
}

/** Scrolls node `id` into view with Find (Ctrl+F), for the screenshot. */
async function show(page: Page, id: string): Promise<void> {
  await page.keyboard.press('Control+f');
  await page.keyboard.type(id);
  await page.keyboard.press('Escape');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
}

describe('graph editor: an expanded group is one frame round exactly its members (Chromium)', function () {
  this.timeout(120_000);
  const browser = editorSuite();

  it('members neither consecutive in the file nor on one branch are laid out together: one frame, no other node in it (light and dark screenshots)', async () => {
    mkdirSync(shots, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const host = await browser.open(branches, { theme, width: 1400, height: 900 });
      await oneFrameAround(host.page, 'mixed', ['a1', 'b2']);
      assert.match(await host.page.textContent('[data-group-frame="mixed"]') ?? '', /Picked by hand/);
      await host.page.screenshot({ path: join(shots, `group-layout-branches-${theme}.png`) });
      if (theme === 'light') {
        assert.deepEqual(host.errors.filter((e) => !/favicon|404/.test(e)), []);
        await host.page.close();
      }
    }
  });

  it('a long chain wrapped into rows: a group wider than a row takes rows of its own, in one frame, top to bottom too', async () => {
    const members = [...Array(8).keys()].map((i) => `l${14 + i}`);
    const host = await browser.open(longChain(), { width: 1000, height: 800 });
    const { page } = host;
    const { nodes } = await drawn(page, 'middle');
    assert.ok(new Set([...nodes.values()].map((r) => Math.round(r.y))).size > 2, 'the chain is wrapped into rows');
    await oneFrameAround(page, 'middle', members);
    await show(page, 'l17');
    await page.screenshot({ path: join(shots, 'group-layout-chain-light.png') });
    await host.setText(host.text.replace('"groups"', '"layout": { "direction": "down" },\n  "groups"'));
    await host.rendered();
    await page.waitForTimeout(400); // the glide to the new places
    await oneFrameAround(page, 'middle', members);
    await show(page, 'l17');
    await page.screenshot({ path: join(shots, 'group-layout-chain-down-light.png') });
  });
});
