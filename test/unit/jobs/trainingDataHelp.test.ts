import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkDesign, loadJobData, noTrainingDataMessage, readCsvPreview, settingsFor } from '../../../src/jobs';
import { parseNetwork } from '../../../src/model';

const design = (units: number[]): string => JSON.stringify({
  format: 'nn/1',
  nodes: [...units.map((u, i) => ({ id: `x${i}`, type: 'input', units: u })), { id: 'm', type: 'concat' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
  edges: [...units.map((_, i) => ({ from: `x${i}`, to: 'm' })), { from: 'm', to: 'y' }],
});

describe('jobs: help for training data', () => {
  it('a design without data is told what fits its inputs, not a spiral for three inputs', async () => {
    const three = parseNetwork(design([3])).doc;
    assert.ok(three);
    const m = noTrainingDataMessage('gates.nn', three);
    assert.doesNotMatch(m, /spiral/);
    assert.match(m, /"csv": "data\.csv"/);
    assert.match(m, /CSV with 3 feature columns/);
    assert.match(m, /Add training data…/);
    const two = parseNetwork(design([1, 1])).doc;
    assert.ok(two);
    assert.match(noTrainingDataMessage('xor.nn', two, false), /"generator": "spiral"/);
    const four = parseNetwork(design([4])).doc;
    assert.match(noTrainingDataMessage('f.nn', four!), /"dataset": "iris"/);
    // What Train reports.
    const checked = checkDesign({ text: design([3]), file: '/w/gates.nn' });
    await assert.rejects(loadJobData(checked, settingsFor(checked.doc)), (e: Error) => !/spiral/.test(e.message) && /no training\.data/.test(e.message));
  });

  describe('readCsvPreview (the column picker)', () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'nc-csvpreview-'));
      mkdirSync(join(dir, 'ws', 'data'), { recursive: true });
      const rows = ['lectures,project_hours,pass', ...Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${i % 2 ? 'yes' : 'no'}`)];
      writeFileSync(join(dir, 'ws', 'data', 'p.csv'), `\ufeff${rows.join('\r\n')}\r\n`);
      writeFileSync(join(dir, 'secret.csv'), 'a,b\n1,2\n');
      symlinkSync(join(dir, 'secret.csv'), join(dir, 'ws', 'data', 'link.csv'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('sends the header and the first 5 rows of a CSV inside the workspace', () => {
      const p = readCsvPreview(join(dir, 'ws', 'd.nn'), 'data/p.csv', [join(dir, 'ws')]);
      assert.deepEqual(p.header, ['lectures', 'project_hours', 'pass']);
      assert.deepEqual(p.rows, [['0', '0', 'no'], ['1', '2', 'yes'], ['2', '4', 'no'], ['3', '6', 'yes'], ['4', '8', 'no']]);
      assert.equal(p.error, undefined);
    });

    it('reads nothing outside the workspace, through .. or a link, and says why', () => {
      for (const csv of ['../secret.csv', 'data/link.csv']) {
        const p = readCsvPreview(join(dir, 'ws', 'd.nn'), csv, [join(dir, 'ws')]);
        assert.deepEqual([p.header, p.rows], [[], []]);
        assert.match(p.error ?? '', /outside the workspace/);
      }
      assert.match(readCsvPreview(join(dir, 'ws', 'd.nn'), 'data/none.csv', [join(dir, 'ws')]).error ?? '', /does not exist/);
    });
  });
});
