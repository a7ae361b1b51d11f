/**
 * A person's path through Neural Canvas in a real VS Code (code-server 1.100.3) in a real
 * browser (Debian's Chromium): the packaged .vsix installed as a user would, an example opened
 * from the Explorer, a command run from the palette, an edit saved with Ctrl+S. Each scenario
 * leaves a screenshot in test-results/e2e/.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../integration/codeServer';
import { graphFrame, isDirty, openFromExplorer, retry, runCommand, screenshot, tab, useWorkbench } from './workbench';

/** The example a newcomer meets first (the lecture's interview network). */
const EXAMPLE = 'interview.nn';

/** Node ids of a .nn file, read the plain way (the test does not trust the product's parser). */
function nodeIds(file: string): string[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string }[] }).nodes.map((n) => n.id);
}

describe('a person using Neural Canvas in VS Code', function () {
  const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.nn'));
  const wb = useWorkbench(examples.map((f): [string, string] => [join(REPO_ROOT, 'examples', f), f]));

  it('opens an example from the Explorer and sees the graph', async () => {
    const page = wb.session.page;
    await openFromExplorer(page, EXAMPLE);
    const graph = graphFrame(page);
    await graph.locator('[data-testid="graph"]').waitFor({ state: 'visible', timeout: 60_000 });
    const expected = nodeIds(join(wb.server.workspace, EXAMPLE));
    for (const id of expected) {
      await graph.locator(`[data-node-id="${id}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    }
    assert.equal(await graph.locator('[data-node-id]').count(), expected.length);
    // "Sees": every node ends up inside the editor's visible area (after layout and any animation).
    // The graph's own box, not the webview's: the palette and inspector cover the webview's sides.
    const view = await graph.locator('[data-testid="graph"]').boundingBox();
    assert.ok(view, 'the graph has no box on screen');
    // Laid out, too: before the layout arrives every node sits at the origin, on top of the others.
    await retry('every node laid out inside the visible graph area', async () => {
      const boxes: { id: string; x: number; y: number; width: number; height: number }[] = [];
      for (const id of expected) {
        const box = await graph.locator(`[data-node-id="${id}"]`).boundingBox();
        assert.ok(box, `node ${id} has no box`);
        const inside = box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height;
        assert.ok(inside, `node ${id} at (${box.x}, ${box.y}) lies outside the view (${view.x}, ${view.y}, ${view.width}×${view.height})`);
        for (const o of boxes) {
          const overlap = box.x < o.x + o.width && o.x < box.x + box.width && box.y < o.y + o.height && o.y < box.y + box.height;
          assert.ok(!overlap, `nodes ${o.id} and ${id} overlap`);
        }
        boxes.push({ id, ...box });
      }
    }, 15, 700);
    // The graph editor, not the text editor, holds the tab.
    assert.equal(await page.locator('.editor-instance .monaco-editor').count(), 0);
  });

  it('runs "Open in Text Editor" and "Open in Graph Editor" from the command palette', async () => {
    const page = wb.session.page;
    await runCommand(page, 'Neural Canvas: Open in Text Editor');
    const text = page.locator('.editor-instance .monaco-editor .view-lines');
    await text.waitFor({ state: 'visible', timeout: 20_000 });
    await retry('the text editor showing the file', async () => assert.match(await text.innerText(), /"format":\s*"nn\/1"/));
    await screenshot(page, 'palette-open-in-text-editor');
    await runCommand(page, 'Neural Canvas: Open in Graph Editor');
    const graph = graphFrame(page);
    await graph.locator('[data-testid="graph"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await graph.locator('[data-node-id]').count(), nodeIds(join(wb.server.workspace, EXAMPLE)).length);
  });

  it('deletes a node in the graph and saves with Ctrl+S: the dirty marker goes and the file changes', async () => {
    const page = wb.session.page;
    const file = join(wb.server.workspace, EXAMPLE);
    const before = nodeIds(file);
    const victim = before[before.length - 1];
    const graph = graphFrame(page);
    await graph.locator(`[data-node-id="${victim}"]`).click();
    await retry('deleting the selected node with the Delete key', async () => {
      await page.keyboard.press('Delete');
      await graph.locator(`[data-node-id="${victim}"]`).waitFor({ state: 'detached', timeout: 2_000 });
    });
    assert.equal(await isDirty(page, EXAMPLE), true, 'the tab should show unsaved changes after an edit');
    await retry('saving with Ctrl+S', async () => {
      await page.keyboard.press('Control+s');
      await page.locator('.tabs-container .tab.dirty', { hasText: EXAMPLE }).waitFor({ state: 'detached', timeout: 3_000 });
    });
    assert.equal(await isDirty(page, EXAMPLE), false);
    assert.deepEqual(nodeIds(file), before.filter((id) => id !== victim), 'the saved file lacks exactly the deleted node');
    await tab(page, EXAMPLE).waitFor({ state: 'visible' });
  });

  it('groups layers with the keyboard alone (Ctrl+A, Ctrl+G) and VS Code does not take the keys for itself', async () => {
    const page = wb.session.page;
    const name = 'spiral.nn';
    const file = join(wb.server.workspace, name);
    await openFromExplorer(page, name);
    const graph = graphFrame(page);
    await graph.locator('[data-node-id="h1"]').waitFor({ state: 'visible', timeout: 60_000 });
    // Focus into the graph as a keyboard user does: "Skip to graph" is the first Tab stop.
    await graph.locator('[data-testid="graph"]').focus();
    await retry('Ctrl+A selecting every layer, announced', async () => {
      await page.keyboard.press('Control+a');
      assert.match((await graph.locator('.sr-only[aria-live]').textContent()) ?? '', /4 nodes selected/);
    });
    await page.keyboard.press('Control+g');
    await retry('the new group drawn as one box of the four layers', async () => {
      assert.equal(await graph.locator('[data-group-id]').count(), 1);
      assert.match((await graph.locator('[data-group-id]').textContent()) ?? '', /4 layers · 337 params/);
    }, 10, 700);
    // Ctrl+G is also VS Code's "Go to Line": the graph keeps it, so no quick input opens.
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'a quick input opened over the graph');
    await retry('saving with Ctrl+S', async () => {
      await page.keyboard.press('Control+s');
      await page.locator('.tabs-container .tab.dirty', { hasText: name }).waitFor({ state: 'detached', timeout: 3_000 });
    });
    const groups = (JSON.parse(readFileSync(file, 'utf8')) as { groups?: { nodes: string[] }[] }).groups ?? [];
    assert.deepEqual(groups.map((g) => [...g.nodes].sort()), [['h1', 'h2', 'x', 'y']], 'the saved file has one group of the four layers');
    await screenshot(page, 'keyboard-group');
  });
});
