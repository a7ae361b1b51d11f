/**
 * The settings inspector (nothing selected) in headless Chromium: the design's training section
 * as fields, each change one setTrainingField intent that the fake host applies with the real
 * model core; the CSV column picker over the host's preview message.
 */
import * as assert from 'node:assert/strict';
import { editorSuite, readRepoFile } from './editorHarness';
import type { FakeHost } from './editorHarness';

/** Waits until the host has answered and the view drew the answer. */
async function settle(host: FakeHost, before: number): Promise<void> {
  for (let i = 0; i < 100 && host.version === before; i++) await host.page.waitForTimeout(20);
  await host.rendered();
}

const value = (host: FakeHost, field: string): Promise<string> =>
  host.page.$eval(`[data-field="${field}"]`, (e) => (e as unknown as { value: string }).value);

describe('settings inspector (Chromium)', function () {
  this.timeout(120_000);
  // Each test's last page is checked (messages valid, no page errors) and closed after it.
  const browser = editorSuite();
  let host: FakeHost | undefined;

  it('with nothing selected shows the training settings, each field named by its label', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'), { fileName: 'interview.nn' });
    await host.page.waitForSelector('[data-testid="training-settings"]');
    assert.equal(await value(host, 'training-optimizer-learningRate'), '0.01');
    assert.equal(await value(host, 'training-epochs'), '200');
    assert.equal(await value(host, 'training-batchSize'), '8');
    assert.equal(await value(host, 'training-validationSplit'), '0.2');
    assert.equal(await value(host, 'training-earlyStopping-patience'), '10');
    assert.equal(await value(host, 'training-data-dataset'), 'interview');
    assert.equal(await value(host, 'training-optimizer-type'), 'adam');
    // Adam's parameters, not SGD's.
    assert.ok(await host.page.$('[data-field="training-optimizer-beta1"]'));
    assert.equal(await host.page.$('[data-field="training-optimizer-momentum"]'), null);
    // Every dropdown and checkbox has a <label for> (text fields carry their label inside).
    // DOM reads as page code (the test tsconfig has no DOM types).
    const unlabelled = await host.page.evaluate(`[...document.querySelectorAll('[data-testid="training-settings"] vscode-dropdown, [data-testid="training-settings"] vscode-checkbox')]
      .filter((e) => !document.querySelector('label[for="' + e.id + '"]')).map((e) => e.getAttribute('data-field'))`);
    assert.deepEqual(unlabelled, []);
    // Selecting a node shows the node instead.
    await host.page.click('[data-node-id="hidden"] .node-title');
    assert.equal(await host.page.$('[data-testid="training-settings"]'), null);
  });

  it('changing the learning rate sends one intent and changes only that number in the file', async () => {
    host = await browser.open(readRepoFile('examples/interview.nn'), { fileName: 'interview.nn' });
    const before = host.text;
    const v = host.version;
    await host.page.fill('[data-field="training-optimizer-learningRate"] input', '0.05');
    await host.page.press('[data-field="training-optimizer-learningRate"] input', 'Enter');
    await settle(host, v);
    assert.deepEqual(host.intents('setTrainingField').map((m) => [m.path, m.value]), [[['optimizer', 'learningRate'], 0.05]]);
    assert.equal(host.text, before.replace('"learningRate": 0.01', '"learningRate": 0.05'));
    assert.equal(await value(host, 'training-optimizer-learningRate'), '0.05');
    // A value the format refuses is not sent: the view says why, in the parser's words.
    await host.page.fill('[data-field="training-optimizer-learningRate"] input', '20');
    await host.page.press('[data-field="training-optimizer-learningRate"] input', 'Enter');
    await host.page.waitForSelector('[data-testid="notice"]:not([hidden])');
    assert.match(await host.page.textContent('[data-testid="notice"]') ?? '', /learningRate must be a number > 0 and ≤ 10, not 20/);
    assert.equal(host.intents('setTrainingField').length, 1);
    // Emptying a setting removes it from the file.
    const v2 = host.version;
    await host.page.fill('[data-field="training-seed"] input', '');
    await host.page.press('[data-field="training-seed"] input', 'Enter');
    await settle(host, v2);
    assert.doesNotMatch(host.text, /"seed"/);
    // Another kind of data: the first generator that fits two inputs.
    const v3 = host.version;
    await host.page.click('[data-field="training-data-kind"]');
    await host.page.click('[data-field="training-data-kind"] vscode-option[value="generator"]');
    await settle(host, v3);
    assert.match(host.text, /"data": \{ "generator": "spiral", "samples": 1000, "noise": 0\.05 \},/);
  });

  it('the CSV column picker shows the header and first rows from the host, and a role change rewrites the columns', async () => {
    host = await browser.open(readRepoFile('examples/pass-class.nn'), { fileName: 'pass-class.nn' });
    await host.page.waitForSelector('[data-testid="csv-loading"]');
    assert.deepEqual(host.received.filter((m) => m.type === 'previewCsv'), [{ type: 'previewCsv', path: 'data/pass-class.csv' }]);
    const csv = readRepoFile('examples/data/pass-class.csv').trim().split('\n').map((l) => l.split(','));
    await host.post({ type: 'csvPreview', preview: { path: 'data/pass-class.csv', header: csv[0], rows: csv.slice(1, 6) } });
    await host.page.waitForSelector('[data-testid="csv-picker"]');
    const table = await host.page.$$eval('[data-testid="csv-picker"] tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.querySelector('label')?.textContent ?? c.textContent ?? '')));
    assert.deepEqual(table, [csv[0], ...csv.slice(1, 6)]);
    const roles = await host.page.$$eval('[data-testid="csv-picker"] select', (ss) => ss.map((s) => (s as unknown as { value: string }).value));
    assert.deepEqual(roles, ['feature', 'feature', 'label']);
    const v = host.version;
    await host.page.selectOption('[data-column="project_hours"]', 'unused');
    await settle(host, v);
    assert.match(host.text, /"data": \{ "csv": "data\/pass-class\.csv", "features": \["lectures"\], "labels": \["pass"\] \}/);
    // Host errors (outside the workspace) are shown, not a table.
    await host.post({ type: 'csvPreview', preview: { path: 'data/pass-class.csv', header: [], rows: [], error: 'pass-class.nn: training.data.csv "data/pass-class.csv" points outside the workspace' } });
    await host.page.waitForSelector('[data-testid="csv-error"]');
  });

  it('a design without data offers "Add training data…"; generator settings for the spiral', async () => {
    const spiral = readRepoFile('examples/spiral.nn');
    host = await browser.open(spiral.replace(/"data": \{[^}]*\},\n\s*/, ''), { fileName: 'spiral.nn' });
    await host.page.click('[data-action="add-training-data"]');
    for (let i = 0; i < 50 && !host.received.some((m) => m.type === 'addTrainingData'); i++) await host.page.waitForTimeout(20);
    assert.ok(host.received.some((m) => m.type === 'addTrainingData'));
    await host.setText(spiral);
    await host.rendered();
    assert.equal(await value(host, 'training-data-generator'), 'spiral');
    assert.equal(await value(host, 'training-data-samples'), '2000');
    assert.equal(await value(host, 'training-data-noise'), '0.02');
    const v = host.version;
    await host.page.fill('[data-field="training-data-noise"] input', '0.1');
    await host.page.press('[data-field="training-data-noise"] input', 'Enter');
    await settle(host, v);
    assert.equal(host.text, spiral.replace('"noise": 0.02', '"noise": 0.1'));
  });
});
