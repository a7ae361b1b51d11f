/**
 * The Summary view in Chromium (the real bundle under the extension's CSP): it shows the rows and
 * totals `nn summary` prints for the examples, sorts by every column (again: reversed; "#" back to
 * the graph's order), a click or Enter on a row asks the host to select that node, the graph's
 * selection is highlighted, a new version of the text replaces the table keeping sort and
 * selection, and a broken design says why.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryContent } from '../../src/extension/summary/summaryContent';
import { SummaryBrowser, type SummaryPage } from './summaryHarness';

const example = (f: string): string => readFileSync(join(__dirname, '../../examples', f), 'utf8');

describe('Summary view (Chromium)', function () {
  this.timeout(60_000);
  const browser = new SummaryBrowser();
  let view: SummaryPage;
  before(() => browser.start());
  after(() => browser.stop());
  beforeEach(async () => { view = await browser.open('light'); });
  afterEach(async () => {
    assert.deepEqual(view.errors, [], 'no errors in the page');
    await view.page.close();
  });

  const cells = (): Promise<string[][]> => view.page.evaluate(`[...document.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent))`) as Promise<string[][]>;

  it('shows every layer of LeNet-5 with its output shape, parameters with their formula, and the totals nn summary prints', async () => {
    await view.post(summaryContent(example('lenet5.nn'), 'lenet5.nn'));
    const p = await view.probe();
    assert.deepEqual(p.layers, ['image', 'C1', 'S2', 'C3', 'S4', 'flat', 'F5', 'F6', 'digit']);
    assert.equal(p.sort, 'order ascending');
    const rows = await cells();
    assert.deepEqual(rows[1].slice(0, 5), ['2', 'C1', 'conv2d (tanh)', '(None, 28, 28, 6)', '156 = 5×5×1×6 + 6']);
    assert.deepEqual(rows[5].slice(1, 4), ['flat', 'flatten', '(None, 400)']);
    assert.equal(rows[6][4], '48,120 = 400×120 + 120');
    const totals = await view.page.$eval('.totals', (e) => e.textContent ?? '');
    assert.match(totals, /Total params61,706Trainable/);
    assert.match(totals, /Trainable params61,706/);
    assert.match(totals, /Non-trainable params0FLOPs/);
    assert.match(await view.page.$eval('h1', (e) => e.textContent ?? ''), /Model: "LeNet-5"/);
  });

  it('sorts by a column when its header is clicked, reverses on a second click, and "#" restores the graph\'s order', async () => {
    await view.post(summaryContent(example('lenet5.nn'), 'lenet5.nn'));
    await view.probe();
    await view.page.click('th button[data-sort="params"]');
    let p = await view.probe((x) => x.sort === 'params descending');
    assert.deepEqual(p.layers.slice(0, 3), ['F5', 'F6', 'C3'], 'largest first');
    assert.equal(await view.page.$eval('th[aria-sort="descending"] button', (b) => b.dataset.sort), 'params');
    await view.page.click('th button[data-sort="params"]');
    p = await view.probe((x) => x.sort === 'params ascending');
    assert.deepEqual(p.layers.slice(-3), ['C3', 'F6', 'F5']);
    await view.page.click('th button[data-sort="layer"]');
    p = await view.probe((x) => x.sort === 'layer ascending');
    assert.deepEqual(p.layers, ['C1', 'C3', 'digit', 'F5', 'F6', 'flat', 'image', 'S2', 'S4']);
    await view.page.click('th button[data-sort="flops"]');
    p = await view.probe((x) => x.sort === 'flops descending');
    assert.equal(p.layers[0], 'C3', 'the second convolution costs the most operations');
    await view.page.click('th button[data-sort="order"]');
    p = await view.probe((x) => x.sort === 'order ascending');
    assert.deepEqual(p.layers, ['image', 'C1', 'S2', 'C3', 'S4', 'flat', 'F5', 'F6', 'digit']);
  });

  it('a click or Enter on a row asks the host to select that node; the graph\'s selection is highlighted', async () => {
    await view.post(summaryContent(example('interview.nn'), 'interview.nn'));
    await view.probe();
    await view.page.click('tbody tr[data-layer="hidden"]');
    assert.deepEqual(view.posted.filter((m) => m.type === 'select'), [{ type: 'select', id: 'hidden' }]);
    await view.probe((x) => x.selected.join() === 'hidden');
    await view.page.focus('tbody tr[data-layer="hidden"]');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(view.posted.filter((m) => m.type === 'select').map((m) => m.id), ['hidden', 'y']);
    await view.post({ type: 'select', ids: ['x', 'y'] });
    await view.probe((x) => x.selected.join() === 'x,y');
    assert.deepEqual(await view.page.evaluate(`[...document.querySelectorAll('tbody tr.selected')].map((t) => t.dataset.layer)`), ['x', 'y']);
  });

  it('a new version replaces the table, keeping the sort and the selection that still exists', async () => {
    const text = example('interview.nn');
    await view.post(summaryContent(text, 'interview.nn'));
    await view.probe();
    await view.page.click('th button[data-sort="params"]');
    await view.post({ type: 'select', ids: ['hidden'] });
    await view.probe((x) => x.sort === 'params descending' && x.selected.join() === 'hidden');
    // Five hidden units instead of three (their inline weights dropped): 2×5 + 5 and 5×1 + 1.
    const edited = text.replace('"units": 3, "activation": "relu",', '"units": 5, "activation": "relu",')
      .replace(/\n\s+"weights": \[\[0\.5[^\n]*\n[^\n]*"bias": \[-0\.3, 0\.2, 0\.5\] \}/, ' }')
      .replace(/\n\s+"weights": \[\[-0\.2[^\n]*\n[^\n]*"bias": \[0\.05\] \}/, ' }');
    const content = summaryContent(edited, 'interview.nn');
    assert.equal(content.totals.total, 21, 'the edit gives 15 + 6 parameters');
    await view.post(content);
    const p = await view.probe((x) => x.layers.join() === 'hidden,y,x');
    assert.equal(p.sort, 'params descending');
    assert.deepEqual(p.selected, ['hidden']);
    assert.match(await view.page.$eval('.totals', (e) => e.textContent ?? ''), /Total params21Trainable/);
  });

  it('a design with errors says so; one that cannot be read shows only why', async () => {
    const cyclic = example('interview.nn').replace('{ "from": "hidden", "to": "y" }', '{ "from": "hidden", "to": "y" }, { "from": "y", "to": "hidden" }');
    await view.post(summaryContent(cyclic, 'interview.nn'));
    let p = await view.probe((x) => x.problem);
    assert.match(await view.page.$eval('.problem', (e) => e.textContent ?? ''), /interview\.nn has \d+ errors?: .*Problems panel/);
    await view.post(summaryContent('{ "format": "nn/1", "nodes": [', 'broken.nn'));
    p = await view.probe((x) => x.file === 'broken.nn');
    assert.deepEqual(p.layers, []);
    assert.match(await view.page.$eval('.problem', (e) => e.textContent ?? ''), /broken\.nn cannot be read as a network/);
  });

  it('drops a malformed message without breaking', async () => {
    await view.post({ type: 'show', file: 'a.nn', rows: 'nope' });
    await view.post(summaryContent(example('perceptron.nn'), 'perceptron.nn'));
    const p = await view.probe();
    assert.deepEqual(p.layers, ['x', 'y']);
  });
});
