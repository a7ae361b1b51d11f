/**
 * The editor webview in headless Chromium, under the extension's real HTML and CSP, against a
 * fake host that applies intents with the real model core.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkNetwork } from '../../src/model';
import { bigNetworkText } from './bigNetwork';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';
import { twoLayers } from './smallDesigns';

const examples = readdirSync(join(__dirname, '../../examples')).filter((f) => f.endsWith('.nn')).sort();

async function nodeIds(host: FakeHost): Promise<string[]> {
  return host.page.$$eval('[data-testid="graph"] [data-node-id]', (els) => els.map((e) => e.getAttribute('data-node-id') ?? ''));
}

async function nodeText(host: FakeHost, id: string): Promise<string> {
  return host.page.$eval(`[data-node-id="${id}"]`, (e) => e.textContent ?? '');
}

/** Waits until the host has answered and the view drew the answer. */
async function settle(host: FakeHost, before: number): Promise<void> {
  for (let i = 0; i < 100 && host.version === before; i++) await host.page.waitForTimeout(20);
  await host.rendered();
}

describe('graph editor webview (Chromium)', function () {
  this.timeout(120_000);
  // Each test's last page is checked (messages valid, no page errors) and closed after it.
  const browser = editorSuite();
  let host: FakeHost | undefined;

  it('renders every example: all nodes, their output shapes and the total parameter count', async () => {
    host = await browser.open(readRepoFile(`examples/${examples[0]}`), { fileName: examples[0] });
    assert.ok(examples.length >= 3, 'expected the examples folder');
    for (const file of examples) {
      const text = readRepoFile(`examples/${file}`);
      await host.setText(text);
      await host.rendered();
      const { parsed, analysis } = checkNetwork(text);
      assert.deepEqual((await nodeIds(host)).sort(), parsed.doc?.nodes.map((n) => n.id).sort(), file);
      for (const n of parsed.doc?.nodes ?? []) {
        const shape = analysis?.shapes.get(n.id);
        if (shape) assert.ok((await nodeText(host, n.id)).includes(`→ [${shape.join('×')}]`), `${file}: ${n.id} shows its shape`);
      }
      if (analysis) assert.equal(await host.page.textContent('[data-testid="toolbar-params"]'), `${analysis.totalParams.toLocaleString('en-US')} parameters`, file);
    }
  });

  it('draws the interview network left to right with shapes on edges and the parameter formula on hover', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const boxes = await Promise.all(['x', 'hidden', 'y'].map((id) => host!.page.locator(`[data-node-id="${id}"] .node-box`).boundingBox()));
    assert.ok(boxes.every(Boolean));
    assert.ok(boxes[0]!.x < boxes[1]!.x && boxes[1]!.x < boxes[2]!.x, 'inputs on the left, output on the right');
    assert.match(await nodeText(host, 'hidden'), /Dense · 3 units · relu/);
    assert.match(await nodeText(host, 'hidden'), /→ \[3\] · 9 params/);
    assert.equal(await host.page.textContent('[data-node-id="hidden"] .node-footer title'), 'Parameters: 2×3 + 3 = 9');
    const labels = await host.page.$$eval('.edge-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(labels.sort(), ['[2]', '[3]']);
    assert.equal(await host.page.textContent('[data-testid="toolbar-params"]'), '13 parameters');
    // Screen readers get a label per node and an outline in data-flow order.
    assert.match(await host.page.getAttribute('[data-node-id="hidden"]', 'aria-label') ?? '', /hidden, Dense, 3 units, relu, output shape \[3\], 9 parameters/);
    assert.deepEqual(await host.page.$$eval('.outline li', (els) => els.map((e) => e.getAttribute('data-outline-id'))), ['x', 'hidden', 'y']);
  });

  it('runs the ELK layout in a worker started from a blob: URL under the strict CSP', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const csp = await host.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /script-src 'nonce-[A-Za-z0-9]+'/);
    assert.doesNotMatch(csp ?? '', /unsafe/);
    const fetched = await host.page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string }[] } }).performance.getEntriesByType('resource').map((r) => r.name));
    assert.ok(fetched.some((u) => u.endsWith('/layoutWorker.js')), 'the worker script was fetched');
    const transforms = await host.page.$$eval('[data-node-id]', (els) => els.map((e) => e.getAttribute('transform')));
    assert.equal(new Set(transforms).size, 3, 'ELK gave every node its own place');
  });

  it('clicking a palette item with a node selected sends addNode after it; the new node appears selected', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="hidden"] .node-title');
    const v = host.version;
    await host.page.click('[data-palette="dropout"]');
    await settle(host, v);
    const add = host.intents('addNode');
    assert.equal(add.length, 1);
    assert.deepEqual({ node: add[0].node, after: add[0].after }, { node: { id: 'drop1', type: 'dropout', rate: 0.5 }, after: 'hidden' });
    assert.ok((await nodeIds(host)).includes('drop1'));
    assert.equal(await host.page.getAttribute('[data-node-id="drop1"]', 'aria-pressed'), 'true');
    assert.ok(host.text.includes('{ "id": "drop1", "type": "dropout", "rate": 0.5 }'));
  });

  it('dragging a palette item onto a node adds it after that node; onto empty space pins it where dropped', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    let v = host.version;
    await host.page.dragAndDrop('[data-palette="dropout"]', '[data-node-id="x"] .node-title');
    await settle(host, v);
    assert.deepEqual(host.intents('addNode').map((m) => [m.node.id, m.after, m.position]), [['drop1', 'x', undefined]]);
    v = host.version;
    const canvas = await host.page.locator('[data-testid="graph"]').boundingBox();
    await host.page.dragAndDrop('[data-palette="input"]', '[data-testid="graph"]', { targetPosition: { x: 20, y: canvas!.height - 20 } });
    await settle(host, v);
    const second = host.intents('addNode')[1];
    assert.equal(second.node.id, 'x1');
    assert.equal(second.after, undefined);
    assert.ok(second.position, 'dropped on empty space: pinned there');
    assert.ok(checkNetwork(host.text).parsed.doc?.layout?.pinned?.x1);
  });

  it('selects with a shift-drag box', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const canvas = await host.page.locator('[data-testid="graph"]').boundingBox();
    await host.page.keyboard.down('Shift');
    await host.page.mouse.move(canvas!.x + 5, canvas!.y + 5);
    await host.page.mouse.down();
    await host.page.mouse.move(canvas!.x + canvas!.width - 5, canvas!.y + canvas!.height - 5, { steps: 5 });
    await host.page.mouse.up();
    await host.page.keyboard.up('Shift');
    const selected = await host.page.$$eval('[data-node-id][aria-pressed="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    assert.deepEqual(selected.sort(), ['hidden', 'x', 'y']);
    assert.match(await host.page.textContent('.inspector') ?? '', /3 nodes selected/);
  });

  it('palette search filters the node kinds', async () => {
    host = await browser.open(twoLayers);
    await host.page.fill('[data-testid="palette-search"] input', 'soft');
    assert.deepEqual(await host.page.$$eval('[data-palette]', (els) => els.map((e) => e.getAttribute('data-palette'))), ['dense-softmax']);
  });

  it('connects by dragging from an output port to a node, and refuses an invalid connection with a reason', async () => {
    host = await browser.open(twoLayers);
    const drag = async (from: string, to: string): Promise<void> => {
      const port = await host!.page.locator(`[data-node-id="${from}"] .port-out`).boundingBox();
      const target = await host!.page.locator(`[data-node-id="${to}"] .node-box`).boundingBox();
      await host!.page.mouse.move(port!.x + port!.width / 2, port!.y + port!.height / 2);
      await host!.page.mouse.down();
      await host!.page.mouse.move(target!.x + 10, target!.y + target!.height / 2, { steps: 5 });
      await host!.page.mouse.up();
    };
    const v = host.version;
    await drag('a', 'b');
    await settle(host, v);
    assert.deepEqual(host.intents('connect').map((c) => [c.from, c.to]), [['a', 'b']]);
    assert.ok(checkNetwork(host.text).parsed.doc?.edges.some((e) => e.from === 'a' && e.to === 'b'));
    await drag('b', 'x');
    await host.page.waitForSelector('[data-testid="notice"]:not([hidden])');
    assert.match(await host.page.textContent('[data-testid="notice"]') ?? '', /Cannot connect: x is an input/);
    assert.equal(host.intents('connect').length, 1, 'the refused connection was never sent');
  });

  it('deletes the selection with Delete, and a multi-selection (shift-click) in one intent', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="y"] .node-title');
    await host.page.click('[data-node-id="hidden"] .node-title', { modifiers: ['Shift'] });
    const v = host.version;
    await host.page.keyboard.press('Delete');
    await settle(host, v);
    assert.deepEqual(host.intents('removeNodes').map((m) => [...m.ids].sort()), [['hidden', 'y']]);
    assert.deepEqual(await nodeIds(host), ['x']);
  });

  it('renames and edits properties in the inspector (toolkit controls)', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="hidden"] .node-title');
    let v = host.version;
    await host.page.fill('[data-field="units"] input', '5');
    await host.page.press('[data-field="units"] input', 'Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('setProperty').map((m) => [m.id, m.key, m.value]), [['hidden', 'units', 5]]);
    assert.match(await nodeText(host, 'hidden'), /5 units/);
    v = host.version;
    await host.page.fill('[data-field="id"] input', 'h1');
    await host.page.press('[data-field="id"] input', 'Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('rename').map((m) => [m.oldId, m.newId]), [['hidden', 'h1']]);
    assert.ok((await nodeIds(host)).includes('h1'));
    assert.ok(checkNetwork(host.text).parsed.doc?.edges.some((e) => e.from === 'x' && e.to === 'h1'));
    // A value the format does not allow is refused in the view, with a reason, and never sent.
    await host.page.click('[data-node-id="h1"] .node-title');
    await host.page.fill('[data-field="units"] input', '2.5');
    await host.page.press('[data-field="units"] input', 'Enter');
    assert.match(await host.page.textContent('[data-testid="notice"]') ?? '', /2\.5 is not valid for units/);
    assert.equal(host.intents('setProperty').length, 1);
  });

  it('changes the activation from the toolkit dropdown', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="hidden"] .node-title');
    const v = host.version;
    await host.page.click('[data-field="activation"]');
    await host.page.click('[data-field="activation"] vscode-option[value="tanh"]');
    await settle(host, v);
    assert.deepEqual(host.intents('setProperty').map((m) => [m.id, m.key, m.value]), [['hidden', 'activation', 'tanh']]);
    assert.ok(host.text.includes('"activation": "tanh"'));
  });

  it('is usable from the keyboard: arrows follow edges, Enter opens the inspector, Delete deletes', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.focus('[data-testid="graph"]');
    const selected = () => host!.page.$$eval('[data-node-id][aria-pressed="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    await host.page.keyboard.press('ArrowRight');
    assert.deepEqual(await selected(), ['x']);
    await host.page.keyboard.press('ArrowRight');
    assert.deepEqual(await selected(), ['hidden']);
    await host.page.keyboard.press('ArrowRight');
    assert.deepEqual(await selected(), ['y']);
    await host.page.keyboard.press('ArrowLeft');
    assert.deepEqual(await selected(), ['hidden']);
    await host.page.keyboard.press('Enter');
    const focused = await host.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(a: string): string } | null } | null } }).document.activeElement?.closest('[data-field]')?.getAttribute('data-field'));
    assert.equal(focused, 'id');
    await host.page.focus('[data-testid="graph"]');
    const v = host.version;
    await host.page.keyboard.press('Delete');
    await settle(host, v);
    assert.deepEqual(host.intents('removeNodes').map((m) => m.ids), [['hidden']]);
  });

  it('copies and pastes the selection with fresh ids (Ctrl+C, Ctrl+V)', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="hidden"] .node-title');
    await host.page.click('[data-node-id="y"] .node-title', { modifiers: ['Shift'] });
    await host.page.keyboard.press('Control+c');
    const v = host.version;
    await host.page.keyboard.press('Control+v');
    await settle(host, v);
    const paste = host.intents('paste');
    assert.deepEqual(paste.map((p) => p.nodes.map((n) => n.id)), [['hidden_copy', 'y_copy']]);
    assert.deepEqual(paste[0].edges, [{ from: 'hidden_copy', to: 'y_copy' }]);
    assert.ok((await nodeIds(host)).includes('y_copy'));
  });

  it('pins a node where it is dropped after a drag', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const box = await host.page.locator('[data-node-id="y"] .node-title').boundingBox();
    const v = host.version;
    await host.page.mouse.move(box!.x + 5, box!.y + 5);
    await host.page.mouse.down();
    await host.page.mouse.move(box!.x + 5, box!.y + 120, { steps: 6 });
    await host.page.mouse.up();
    await settle(host, v);
    const pin = host.intents('pin');
    assert.equal(pin.length, 1);
    assert.deepEqual(Object.keys(pin[0].positions), ['y']);
    assert.ok(checkNetwork(host.text).parsed.doc?.layout?.pinned?.y);
    assert.ok(await host.page.$('[data-node-id="y"].pinned'));
  });

  it('shows diagnostics as a badge with the message on the node', async () => {
    host = await browser.open(readRepoFile('examples/xor-linear.nn'));
    const d = checkNetwork(host.text).diagnostics.find((x) => x.code === 'linear-collapse');
    assert.ok(d?.nodeId);
    const badge = await host.page.textContent(`[data-node-id="${d.nodeId}"] [data-testid="node-badge"] title`);
    assert.match(badge ?? '', /two linear layers in a row/);
  });

  it('shows the error state with the diagnostics and an Open in Text Editor button, and sends no edits', async () => {
    host = await browser.open('{ "format": "nn/1", "nodes": [ { "id": "x", ');
    await host.page.waitForSelector('[data-testid="error-state"]');
    assert.equal(await host.page.$('[data-testid="graph"] [data-node-id]'), null);
    assert.match(await host.page.textContent('[data-testid="error-state"]') ?? '', /test\.nn:1:\d+:/);
    await host.page.click('[data-testid="error-state"] [data-action="open-text-editor"]');
    await host.page.waitForTimeout(100);
    assert.equal(host.intents('openTextEditor').length, 1);
    assert.deepEqual(host.received.map((m) => m.type), ['ready', 'openTextEditor']);
    // Fixing the text brings the graph back.
    await host.setText(readRepoFile('examples/interview.nn'));
    await host.rendered();
    assert.deepEqual((await nodeIds(host)).sort(), ['hidden', 'x', 'y']);
    // The graph's handlers were not attached twice on the way back: one key press, one step.
    await host.page.focus('[data-testid="graph"]');
    await host.page.keyboard.press('ArrowRight');
    assert.deepEqual(await host.page.$$eval('[data-node-id][aria-pressed="true"]', (els) => els.map((e) => e.getAttribute('data-node-id'))), ['x']);
  });

  it('re-renders on an external text change', async () => {
    host = await browser.open(twoLayers);
    await host.setText(host.text.replace('"units": 3', '"units": 7'));
    await host.rendered();
    assert.match(await nodeText(host, 'a'), /7 units/);
    assert.match(await nodeText(host, 'a'), /→ \[7\] · 21 params/);
    // A change that breaks the network shows the problem on the node instead of failing.
    await host.setText(readRepoFile('examples/interview.nn').replace('"units": 3', '"units": 7'));
    await host.rendered();
    assert.match(await host.page.textContent('[data-node-id="hidden"] [data-testid="node-badge"] title') ?? '', /expects weights of 7 rows/);
  });

  it('expands a small dense layer into neurons and back (E key)', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    await host.page.click('[data-node-id="hidden"] .node-title');
    await host.page.keyboard.press('e');
    await host.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-node-id="hidden"] .neuron').length === 3);
    await host.page.keyboard.press('e');
    await host.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-node-id="hidden"] .neuron').length === 0);
  });

  it('exports the diagram as standalone SVG and as PNG', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'));
    const svg = await host.page.evaluate(() => (globalThis as unknown as { neuralCanvas: { exportDiagram(f: string): Promise<string> } }).neuralCanvas.exportDiagram('svg'));
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('data-node-id="hidden"'));
    assert.doesNotMatch(svg, /var\(--/, 'theme variables are resolved');
    assert.doesNotMatch(svg, /class="port/, 'editing handles are left out');
    const png = await host.page.evaluate(() => (globalThis as unknown as { neuralCanvas: { exportDiagram(f: string): Promise<string> } }).neuralCanvas.exportDiagram('png'));
    assert.match(png, /^data:image\/png;base64,/);
    assert.ok(png.length > 2000);
  });

  it('shows a minimap for a 100-node network', async () => {
    host = await browser.open(bigNetworkText(100));
    assert.equal((await nodeIds(host)).length, 100);
    assert.ok(await host.page.isVisible('[data-testid="minimap"]'));
  });
});
