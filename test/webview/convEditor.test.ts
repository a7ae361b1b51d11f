/**
 * The graph editor on image networks, in headless Chromium against the fake host (real model core
 * and intent → edit mapping): palette entries of the image layers, their inspector fields as
 * minimal text edits, volumes drawn in proportion to H × W × C, shapes on edges, formulas on hover.
 */
import * as assert from 'node:assert/strict';
import { checkNetwork } from '../../src/model';
import { replacementForIntent } from '../../src/extension/intentEdits';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';

const smallImageNet = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "shape": [8, 8, 1] },
    { "id": "flat", "type": "flatten" },
    { "id": "y", "type": "dense", "units": 10, "activation": "softmax" }
  ],
  "edges": [
    { "from": "x", "to": "flat" },
    { "from": "flat", "to": "y" }
  ]
}
`;

const convNet = `{
  "format": "nn/1",
  "nodes": [
    { "id": "image", "type": "input", "shape": [28, 28, 1] },
    { "id": "conv", "type": "conv2d", "filters": 32, "kernelSize": 3, "activation": "relu" },
    { "id": "pool", "type": "maxpool2d", "poolSize": 2 },
    { "id": "conv2", "type": "conv2d", "filters": 32, "kernelSize": 9 },
    { "id": "small", "type": "maxpool2d", "poolSize": 1 },
    { "id": "flat", "type": "flatten" },
    { "id": "y", "type": "dense", "units": 10, "activation": "softmax" }
  ],
  "edges": [
    { "from": "image", "to": "conv" },
    { "from": "conv", "to": "pool" },
    { "from": "pool", "to": "conv2" },
    { "from": "conv2", "to": "small" },
    { "from": "small", "to": "flat" },
    { "from": "flat", "to": "y" }
  ]
}
`;

async function nodeText(host: FakeHost, id: string): Promise<string> {
  return host.page.$eval(`[data-node-id="${id}"]`, (e) => e.textContent ?? '');
}

/** Waits until the host has answered and the view drew the answer. */
async function settle(host: FakeHost, before: number): Promise<void> {
  for (let i = 0; i < 100 && host.version === before; i++) await host.page.waitForTimeout(20);
  await host.rendered();
}

/** The drawn size of a node's volume front face (width ∝ channels, height ∝ rows), in graph units. */
async function front(host: FakeHost, id: string): Promise<{ width: number; height: number }> {
  return host.page.$eval(`[data-node-id="${id}"] .volume-front`, (e) => {
    const b = (e as unknown as { getBBox(): { width: number; height: number } }).getBBox();
    return { width: b.width, height: b.height };
  });
}

/** Types `value` into an inspector field and commits it with Enter; resolves once the view drew the answer. */
async function typeInto(host: FakeHost, field: string, value: string): Promise<void> {
  const v = host.version;
  await host.page.fill(`[data-field="${field}"] input`, value);
  await host.page.press(`[data-field="${field}"] input`, 'Enter');
  await settle(host, v);
}

describe('graph editor webview on image networks (Chromium)', function () {
  this.timeout(120_000);
  // Each test's last page is checked (messages valid, no page errors) and closed after it.
  const browser = editorSuite();
  let host: FakeHost | undefined;

  it('the palette adds a Conv2D with its defaults (8 filters, 3×3, relu) after the selection, drawn with its output shape', async () => {
    host = await browser.open(smallImageNet);
    await host.page.click('[data-node-id="x"] .node-title');
    const v = host.version;
    await host.page.click('[data-palette="conv2d"]');
    await settle(host, v);
    const add = host.intents('addNode');
    assert.deepEqual(add.map((m) => [m.node, m.after]), [[{ id: 'conv1', type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' }, 'x']]);
    assert.ok(host.text.includes('{ "id": "conv1", "type": "conv2d", "filters": 8, "kernelSize": 3, "activation": "relu" }'), host.text);
    assert.match(await nodeText(host, 'conv1'), /Conv2D · 8 filters 3×3 · relu/);
    assert.match(await nodeText(host, 'conv1'), /→ \[6×6×8\] · 80 params/);
    assert.equal(await host.page.textContent('[data-testid="inspector-shape"]'), '[6×6×8]');
  });

  it('offers every image layer in the palette, each added as a node the format accepts', async () => {
    host = await browser.open(smallImageNet);
    const keys = ['input-image', 'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool2d', 'flatten', 'reshape', 'batchnorm'];
    for (const key of keys) {
      await host.page.click('[data-node-id="x"] .node-title');
      const v = host.version;
      await host.page.click(`[data-palette="${key}"]`);
      await settle(host, v);
    }
    assert.deepEqual(host.intents('addNode').map((m) => m.node.type), ['input', 'conv2d', 'maxpool2d', 'avgpool2d', 'globalavgpool2d', 'flatten', 'reshape', 'batchnorm']);
    assert.deepEqual(host.intents('addNode').find((m) => m.node.type === 'maxpool2d')?.node, { id: 'pool1', type: 'maxpool2d', poolSize: 2 });
    const { parsed } = checkNetwork(host.text);
    assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  it('editing the kernel size in the inspector sends one setProperty and changes only that number in the file; the output shape follows', async () => {
    host = await browser.open(convNet);
    await host.page.click('[data-node-id="conv"] .node-title');
    assert.equal(await host.page.inputValue('[data-field="kernelSize"] input'), '3');
    assert.equal(await host.page.textContent('[data-testid="inspector-shape"]'), '[26×26×32]');
    const before = host.text;
    await typeInto(host, 'kernelSize', '5');
    const sent = host.intents('setProperty');
    assert.deepEqual(sent.map((m) => [m.id, m.key, m.value]), [['conv', 'kernelSize', 5]]);
    const r = replacementForIntent(before, sent[0]);
    assert.deepEqual(r && { old: before.slice(r.offset, r.offset + r.length), content: r.content }, { old: '3', content: '5' });
    assert.equal(host.text, before.replace('"kernelSize": 3,', '"kernelSize": 5,'));
    assert.equal(await host.page.textContent('[data-testid="inspector-shape"]'), '[24×24×32]');
    // Height × width, and a value the format refuses (shown, never sent).
    await host.page.click('[data-node-id="conv"] .node-title');
    await typeInto(host, 'kernelSize', '3×5');
    assert.ok(host.text.includes('"kernelSize": [3, 5]'));
    assert.equal(await host.page.textContent('[data-testid="inspector-shape"]'), '[26×24×32]');
    await host.page.click('[data-node-id="conv"] .node-title');
    await host.page.fill('[data-field="kernelSize"] input', '0');
    await host.page.press('[data-field="kernelSize"] input', 'Enter');
    assert.match(await host.page.textContent('[data-testid="notice"]') ?? '', /0 is not valid for kernelSize/);
    assert.equal(host.intents('setProperty').length, 2);
  });

  it('edits filters, strides, padding, pool size, batch-norm momentum and an input\'s shape as single property edits', async () => {
    host = await browser.open(convNet);
    await host.page.click('[data-node-id="conv"] .node-title');
    await typeInto(host, 'filters', '16');
    await host.page.click('[data-node-id="conv"] .node-title');
    await typeInto(host, 'strides', '2');
    await host.page.click('[data-node-id="conv"] .node-title');
    let v = host.version;
    await host.page.click('[data-field="padding"]');
    await host.page.click('[data-field="padding"] vscode-option[value="same"]');
    await settle(host, v);
    assert.equal(await host.page.textContent('[data-testid="inspector-shape"]'), '[14×14×16]');
    await host.page.click('[data-node-id="pool"] .node-title');
    await typeInto(host, 'poolSize', '7');
    await host.page.click('[data-node-id="image"] .node-title');
    assert.equal(await host.page.inputValue('[data-field="shape"] input'), '28×28×1');
    await typeInto(host, 'shape', '32, 32, 3');
    assert.deepEqual(host.intents('setProperty').map((m) => [m.id, m.key, m.value]), [
      ['conv', 'filters', 16], ['conv', 'strides', 2], ['conv', 'padding', 'same'], ['pool', 'poolSize', 7], ['image', 'shape', [32, 32, 3]],
    ]);
    assert.ok(host.text.includes('{ "id": "image", "type": "input", "shape": [32, 32, 3] }'));
    assert.ok(host.text.includes('{ "id": "conv", "type": "conv2d", "filters": 16, "kernelSize": 3, "activation": "relu", "strides": 2, "padding": "same" }'), host.text);
    // Batch norm's fields: empty writes the default by removing the field.
    v = host.version;
    await host.setText(host.text.replace('{ "id": "pool", "type": "maxpool2d", "poolSize": 7 }', '{ "id": "pool", "type": "batchnorm", "momentum": 0.9 }'));
    await host.rendered();
    await host.page.click('[data-node-id="pool"] .node-title');
    assert.equal(await host.page.inputValue('[data-field="momentum"] input'), '0.9');
    await typeInto(host, 'momentum', '');
    assert.ok(host.text.includes('{ "id": "pool", "type": "batchnorm" }'), host.text);
    assert.ok(v < host.version);
  });

  it('draws image outputs as volumes: taller for more rows, wider for more channels; vectors stay blocks', async () => {
    host = await browser.open(convNet);
    const image = await front(host, 'image'); // 28×28×1
    const conv = await front(host, 'conv'); // 26×26×32
    const pool = await front(host, 'pool'); // 13×13×32
    const conv2 = await front(host, 'conv2'); // 5×5×32
    assert.ok(conv.width > 3 * image.width, `32 channels (${conv.width}) drawn far wider than 1 (${image.width})`);
    assert.ok(image.height > conv.height && conv.height > pool.height && pool.height > conv2.height, 'heights follow the rows: 28 > 26 > 13 > 5');
    assert.equal(pool.width, conv.width, 'the same channels, the same width');
    assert.ok(image.height < 3 * conv2.height, 'log scale: 28 rows are not drawn 5.6× as tall as 5');
    assert.equal(await host.page.getAttribute('[data-node-id="conv2"] .volume', 'data-shape'), '5x5x32');
    // The window of the layer each volume feeds, on its H × W face, in proportion: 3×3 of 28×28 is small, 9×9 of 13×13 large.
    const windowOf = (id: string) => host!.page.$eval(`[data-node-id="${id}"] .volume-window`, (e) => ({
      size: e.getAttribute('data-window'), title: e.textContent, height: (e as unknown as { getBBox(): { height: number } }).getBBox().height,
    }));
    const [w0, w1, w2] = await Promise.all(['image', 'conv', 'pool'].map(windowOf));
    assert.deepEqual([w0.size, w0.title, w1.size, w1.title, w2.size], ['3x3', '3×3 window of conv', '2x2', '2×2 window of pool', '9x9']);
    assert.ok(w0.height / image.height < 0.2 && w2.height / pool.height > 0.6, `window heights ${w0.height} of ${image.height}, ${w2.height} of ${pool.height}`);
    assert.equal((await windowOf('conv2')).size, '1x1', 'a pool of 1 is still a window');
    assert.equal(await host.page.$('[data-node-id="small"] .volume-window'), null, 'small feeds a flatten: no window');
    assert.equal(await host.page.$('[data-node-id="flat"] .volume'), null);
    assert.equal(await host.page.$('[data-node-id="y"] .volume'), null);
    // The node is tall enough to hold its volume.
    const box = await host.page.locator('[data-node-id="image"] .node-box').boundingBox();
    const vol = await host.page.locator('[data-node-id="image"] .volume').boundingBox();
    assert.ok(box && vol && vol.y > box.y && vol.y + vol.height < box.y + box.height);
    // The exported diagram keeps the volumes' theme colours (resolved, as outside VS Code).
    const svg = await host.page.evaluate(() => (globalThis as unknown as { neuralCanvas: { exportDiagram(f: string): Promise<string> } }).neuralCanvas.exportDiagram('svg'));
    const volumeRules = svg.split('\n').filter((l) => l.includes('.volume >'));
    assert.ok(volumeRules.length >= 4 && volumeRules.every((l) => !/initial|var\(/.test(l)), volumeRules.join('\n'));
    assert.ok(volumeRules.some((l) => l.includes('.graph .volume > * { fill: #1a85ff; stroke: #1a85ff;')), 'conv volumes in the theme blue');
    assert.ok(volumeRules.some((l) => l.includes('.graph .type-input .volume > * { fill: #388a34; stroke: #388a34; }')), 'input volumes in the theme green');
    assert.ok(svg.includes('class="volume-front"'));
  });

  it('wraps a long chain (LeNet-5) into rows so Fit shows it at a readable size; wrap edges run through the gap between rows', async () => {
    host = await browser.open(readRepoFile('examples/lenet5.nn'), { width: 1400, height: 900, fileName: 'lenet5.nn' });
    await host.page.waitForTimeout(300);
    const box = async (id: string) => (await host!.page.locator(`[data-node-id="${id}"] .node-box`).boundingBox())!;
    const [image, c1, flat, digit] = await Promise.all(['image', 'C1', 'flat', 'digit'].map(box));
    assert.ok(c1.x > image.x && Math.abs(c1.y - image.y) < image.height, 'the first row runs left to right');
    assert.ok(digit.y > image.y + image.height, 'the output is on a later row');
    // Fit draws the text at least 80 % of its size (one row would be about 45 %).
    const fontPx = await host.page.$eval('[data-node-id="C1"] .node-title', (e) => e.getBoundingClientRect().height);
    assert.ok(fontPx >= 0.8 * 13, `node titles ${fontPx.toFixed(1)} px tall on screen`);
    // The edge from the end of a row to the start of the next one, and its label, stay clear of every node.
    const wrapLabel = await host.page.locator('[data-edge="flat->F5"] .edge-label').boundingBox();
    for (const b of [flat, digit, await box('S4'), await box('F5')]) {
      const overlaps = wrapLabel!.x < b.x + b.width && b.x < wrapLabel!.x + wrapLabel!.width && wrapLabel!.y < b.y + b.height && b.y < wrapLabel!.y + wrapLabel!.height;
      assert.ok(!overlaps, 'the wrap edge label lies in the gap between rows');
    }
    await host.page.close();
    // A short network keeps its single row.
    host = await browser.open(readRepoFile('examples/interview.nn'), { width: 1400, height: 900 });
    const [x, hidden, y] = await Promise.all(['x', 'hidden', 'y'].map(box));
    assert.ok(x.x < hidden.x && hidden.x < y.x && Math.abs(x.y + x.height / 2 - (y.y + y.height / 2)) < 2);
  });

  it('copies and pastes image layers (an image input pastes as its shape alone)', async () => {
    host = await browser.open(convNet);
    await host.page.click('[data-node-id="image"] .node-title');
    await host.page.click('[data-node-id="conv"] .node-title', { modifiers: ['Shift'] });
    await host.page.keyboard.press('Control+c');
    const v = host.version;
    await host.page.keyboard.press('Control+v');
    await settle(host, v);
    assert.deepEqual(host.intents('paste').map((p) => p.nodes.map((n) => n.id)), [['image_copy', 'conv_copy']]);
    assert.ok(host.text.includes('{ "id": "image_copy", "type": "input", "shape": [28, 28, 1] }'), host.text);
    assert.match(await nodeText(host, 'conv_copy'), /→ \[26×26×32\] · 320 params/);
  });

  it('labels edges with the tensor shapes and shows the parameter formula on hover', async () => {
    host = await browser.open(convNet);
    const labels = await host.page.$$eval('.edge-label', (els) => els.map((e) => e.textContent));
    assert.deepEqual(labels.sort(), ['[13×13×32]', '[26×26×32]', '[28×28×1]', '[5×5×32]', '[5×5×32]', '[800]'].sort());
    assert.equal(await host.page.getAttribute('[data-edge="conv->pool"]', 'aria-label'), 'conv to pool, [26×26×32]');
    const hover = await host.page.textContent('[data-node-id="conv"] > title');
    assert.match(hover ?? '', /Conv2D · 32 filters 3×3 · relu/);
    assert.match(hover ?? '', /Output \[26×26×32\]/);
    assert.match(hover ?? '', /Parameters: 3×3×1×32 \+ 32 = 320/);
    assert.equal(await host.page.textContent('[data-node-id="conv"] .node-footer title'), 'Parameters: 3×3×1×32 + 32 = 320');
    await host.page.click('[data-node-id="conv"] .node-title');
    assert.equal(await host.page.textContent('[data-testid="inspector-params"]'), '3×3×1×32 + 32 = 320');
  });
});
