/**
 * examples/digits-convnet.nn, trained as `nn train` trains it (the jobs layer: check the design,
 * load the shipped digits as 8×8×1 images, split, seeded weights, train() on the CPU), reaches at
 * least 97% validation accuracy. It takes about half a minute on a loaded two-core machine.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileNetwork, train, type TrainEvent } from '../../../src/engine';
import { checkDesign, loadJobData, settingsFor } from '../../../src/jobs';

const FILE = path.join(__dirname, '../../../examples/digits-convnet.nn');

describe('examples/digits-convnet.nn', function () {
  this.timeout(180_000);

  it('reaches at least 97% validation accuracy on the CPU with its own settings', async () => {
    const design = checkDesign({ file: FILE, text: readFileSync(FILE, 'utf8') });
    assert.deepEqual(design.analysis.shapes.get('image'), [8, 8, 1]);
    const settings = settingsFor(design.doc);
    const split = await loadJobData(design, settings);
    assert.equal(split.train.inputSize, 64);
    const net = compileNetwork(design.doc, design.analysis, { seed: settings.seed });
    const events: TrainEvent[] = [];
    const t0 = Date.now();
    const result = await train(net, split, settings, { backend: 'cpu', onEvent: (e) => events.push(e) });
    const seconds = (Date.now() - t0) / 1000;
    const accuracy = result.metrics.accuracy ?? 0;
    console.log(`      digits convnet: ${(accuracy * 100).toFixed(1)}% validation accuracy after ${result.epochs} epochs (${result.reason}) in ${seconds.toFixed(1)} s`);
    assert.equal(result.backend, 'cpu');
    assert.ok(split.validation && split.validation.count > 300, 'a fifth of the 1,797 digits is held out');
    assert.ok(accuracy >= 0.97, `validation accuracy ${(accuracy * 100).toFixed(1)}% is below 97%`);
    // The start event counts every layer with parameters, conv layers included.
    const start = events.find((e) => e.type === 'start');
    assert.ok(start?.type === 'start');
    assert.deepEqual(start.paramCounts, [{ id: 'conv1', count: 160 }, { id: 'conv2', count: 4640 }, { id: 'digit', count: 2890 }]);
    assert.equal(start.totalParams, design.analysis.totalParams);
    // The gradients panel gets statistics of the conv layers too.
    const layers = events.filter((e) => e.type === 'layers');
    if (layers.length > 0) {
      const last = layers[layers.length - 1];
      assert.ok(last.type === 'layers');
      assert.deepEqual(last.layers.map((l) => l.id), ['conv1', 'conv2', 'digit']);
    }
  });
});
