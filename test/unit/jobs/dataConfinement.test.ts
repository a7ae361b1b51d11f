/**
 * Data files stay inside the workspace even through symbolic links: training (loadJobData) and
 * Export… (exportDesign) compare real paths, so a link in the workspace to a file outside it is
 * refused with a message naming the file, while links that stay inside, and a workspace folder
 * reached through a link, still work.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportDesign } from '../../../src/trainer/exportFiles';
import { checkDesign, loadJobData, settingsFor } from '../../../src/jobs';

const root = path.resolve(__dirname, '../../..');
const example = fs.readFileSync(path.join(root, 'examples/pass-class.nn'), 'utf8');
const rows = fs.readFileSync(path.join(root, 'examples/data/pass-class.csv'), 'utf8');

describe('data confinement follows symbolic links', () => {
  let tmp: string;
  let ws: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-confine-'));
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.writeFileSync(path.join(tmp, 'outside', 'secret.csv'), rows);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of pass-class.nn in the workspace reading `csv`. */
  function design(csv: string): ReturnType<typeof checkDesign> {
    const file = path.join(ws, 'pass.nn');
    const text = example.replace('"csv": "data/pass-class.csv"', `"csv": ${JSON.stringify(csv)}`);
    fs.writeFileSync(file, text);
    return checkDesign({ text, file, allowedRoots: [ws] });
  }

  it('refuses to train on a link inside the workspace to a file outside it, naming the file', async () => {
    fs.symlinkSync(path.join(tmp, 'outside', 'secret.csv'), path.join(ws, 'data.csv'));
    const d = design('data.csv');
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]), (e: Error) => {
      assert.match(e.message, /^pass\.nn: training\.data\.csv "data\.csv" resolves outside the workspace \(a symbolic link to .*outside[/\\]secret\.csv\)/);
      return true;
    });
  });

  it('refuses a file under a linked folder that leads outside', async () => {
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(ws, 'data'), 'dir');
    const d = design('data/secret.csv');
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]), /"data\/secret\.csv" resolves outside the workspace/);
  });

  it('still trains on a link that stays inside, and in a workspace opened through a link', async () => {
    fs.writeFileSync(path.join(ws, 'real.csv'), rows);
    fs.symlinkSync(path.join(ws, 'real.csv'), path.join(ws, 'data.csv'));
    const d = design('data.csv');
    const split = await loadJobData(d, settingsFor(d.doc), [ws]);
    assert.ok(split.train.count > 0);
    const linkedWs = path.join(tmp, 'ws-link');
    fs.symlinkSync(ws, linkedWs, 'dir');
    const viaLink = checkDesign({ text: fs.readFileSync(d.file, 'utf8'), file: path.join(linkedWs, 'pass.nn'), allowedRoots: [linkedWs] });
    assert.ok((await loadJobData(viaLink, settingsFor(viaLink.doc), [ws])).train.count > 0, 'the design seen through a link to the workspace');
    assert.ok((await loadJobData(d, settingsFor(d.doc), [linkedWs])).train.count > 0, 'the workspace root given as a link');
  });

  it('Export… refuses to copy the rows of an outside file into the export, and writes nothing', async () => {
    fs.symlinkSync(path.join(tmp, 'outside', 'secret.csv'), path.join(ws, 'data.csv'));
    const d = design('data.csv');
    await assert.rejects(
      exportDesign({ ...d, shown: 'pass.nn' }, 'pytorch', { cwd: ws, allowedRoots: [ws] }),
      (e: Error) => /^pass\.nn: training\.data\.csv "data\.csv" resolves outside the workspace/.test(e.message) || assert.fail(e.message),
    );
    assert.deepEqual(fs.readdirSync(ws).sort(), ['data.csv', 'pass.nn']);
  });
});
