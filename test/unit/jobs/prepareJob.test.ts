/** The jobs layer's settings and workspace rules (moved from the trainer's helper tests, where they lived before src/jobs). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside, settingsFor } from '../../../src/jobs';
import { checkNetwork } from '../../../src/model';

const root = path.resolve(__dirname, '../../..');

describe('jobs: settings and the workspace', () => {
  it('applies the quick pick overrides over the file\'s settings', () => {
    const { parsed } = checkNetwork(fs.readFileSync(path.join(root, 'examples/interview.nn'), 'utf8'));
    assert.ok(parsed.doc);
    const base = settingsFor(parsed.doc);
    const s = settingsFor(parsed.doc, { epochs: 7, learningRate: 0.5 });
    assert.deepEqual([base.epochs, s.epochs, s.optimizer.learningRate, s.batchSize], [200, 7, 0.5, base.batchSize]);
    assert.equal(settingsFor(parsed.doc, { seed: 11 }).seed, 11, 'the CLI\'s --seed');
  });

  it('keeps data paths inside the workspace', () => {
    assert.equal(isInside('/ws', '/ws/data/a.csv'), true);
    assert.equal(isInside('/ws', '/ws/../etc/passwd'), false);
    assert.equal(isInside('/ws', '/wsx/a.csv'), false);
  });
});
