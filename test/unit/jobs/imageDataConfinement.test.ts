/**
 * Image data stays inside the workspace like CSV data: both IDX files, the image folder, each
 * class folder and each image are compared as real paths (links followed), for training
 * (loadJobData) and Export… (exportDesign) alike; links that stay inside still work.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/engine/data';
import { checkDesign, loadJobData, settingsFor, type CheckedDesign } from '../../../src/jobs';
import { exportDesign } from '../../../src/trainer/exportFiles';
import { idxBytes, LABELS, PIXELS, rgbaImage, writePng } from '../engine/data/imageFixtures';

/** A design of input [2, 3, C] → flatten → dense 3 softmax, trained on `data`. */
function designText(data: unknown, channels = 1): string {
  return JSON.stringify({
    format: 'nn/1',
    nodes: [
      { id: 'x', type: 'input', shape: [2, 3, channels] },
      { id: 'f', type: 'flatten' },
      { id: 'out', type: 'dense', units: 3, activation: 'softmax' },
    ],
    edges: [{ from: 'x', to: 'f' }, { from: 'f', to: 'out' }],
    training: { data, loss: 'categorical_crossentropy', validationSplit: 0, epochs: 1 },
  }, null, 2);
}

describe('image data confinement follows symbolic links', () => {
  let tmp: string;
  let ws: string;
  let outside: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-confine-img-'));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function design(data: unknown, channels = 1): CheckedDesign {
    const file = path.join(ws, 'pics.nn');
    const text = designText(data, channels);
    fs.writeFileSync(file, text);
    return checkDesign({ text, file, allowedRoots: [ws] });
  }
  const writeIdx = (dir: string): void => {
    fs.writeFileSync(path.join(dir, 'images-idx3-ubyte'), idxBytes(IDX_IMAGES_MAGIC, [3, 2, 3], PIXELS));
    fs.writeFileSync(path.join(dir, 'labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [3], LABELS));
  };
  const idxSpec = { idx: { images: 'images-idx3-ubyte', labels: 'labels-idx1-ubyte' } };
  /** Three 3×2 PNGs in a/ (two) and b/ (one) under `dir`. */
  const writeFolder = (dir: string): void => {
    for (const [cls, name, v] of [['a', '1.png', 10], ['a', '2.png', 20], ['b', '1.png', 30]] as const) {
      writePng(path.join(dir, cls, name), rgbaImage(3, 2, () => [v, v, v]));
    }
  };

  it('trains on IDX files and an image folder inside the workspace (also through links that stay inside)', async () => {
    writeIdx(ws);
    const d = design(idxSpec);
    const split = await loadJobData(d, settingsFor(d.doc), [ws]);
    assert.equal(split.train.count, 3);
    assert.deepEqual(split.train.shape, [2, 3, 1]);
    writeFolder(path.join(ws, 'real-pics'));
    fs.symlinkSync(path.join(ws, 'real-pics'), path.join(ws, 'pics'), 'dir');
    const f = design({ imageFolder: 'pics' });
    const images = await loadJobData(f, settingsFor(f.doc), [ws]);
    assert.deepEqual([images.train.count, images.train.labelNames], [3, ['a', 'b']]);
  });

  it('refuses an IDX images or labels file that is a link to outside, naming the field and the file', async () => {
    writeIdx(outside);
    fs.symlinkSync(path.join(outside, 'images-idx3-ubyte'), path.join(ws, 'images-idx3-ubyte'));
    fs.copyFileSync(path.join(outside, 'labels-idx1-ubyte'), path.join(ws, 'labels-idx1-ubyte'));
    const d = design(idxSpec);
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]),
      /^JobError: pics\.nn: training\.data\.idx\.images "images-idx3-ubyte" resolves outside the workspace \(a symbolic link to .*outside[/\\]images-idx3-ubyte\)/);
    fs.unlinkSync(path.join(ws, 'images-idx3-ubyte'));
    fs.copyFileSync(path.join(outside, 'images-idx3-ubyte'), path.join(ws, 'images-idx3-ubyte'));
    const l = design({ idx: { images: 'images-idx3-ubyte', labels: '../outside/labels-idx1-ubyte' } });
    await assert.rejects(loadJobData(l, settingsFor(l.doc), [ws]), /training\.data\.idx\.labels "\.\.\/outside\/labels-idx1-ubyte" points outside the workspace/);
  });

  it('refuses an image folder that leads outside, a class folder linked outside, and one linked image', async () => {
    writeFolder(path.join(outside, 'pics'));
    fs.symlinkSync(path.join(outside, 'pics'), path.join(ws, 'pics'), 'dir');
    const d = design({ imageFolder: 'pics' });
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]), /training\.data\.imageFolder "pics" resolves outside the workspace/);

    fs.unlinkSync(path.join(ws, 'pics'));
    writeFolder(path.join(ws, 'pics'));
    fs.rmSync(path.join(ws, 'pics', 'b'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'pics', 'b'), path.join(ws, 'pics', 'b'), 'dir');
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]), /training\.data\.imageFolder "pics": pics[/\\]b resolves outside the workspace/);

    fs.unlinkSync(path.join(ws, 'pics', 'b'));
    writeFolder(path.join(ws, 'pics'));
    fs.unlinkSync(path.join(ws, 'pics', 'a', '2.png'));
    fs.symlinkSync(path.join(outside, 'pics', 'a', '2.png'), path.join(ws, 'pics', 'a', '2.png'));
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]),
      /^JobError: pics\.nn: training\.data\.imageFolder "pics": pics[/\\]a[/\\]2\.png resolves outside the workspace \(a symbolic link to .*outside[/\\]pics[/\\]a[/\\]2\.png\); data files must stay inside the workspace folder\. Copy the images into the workspace/);
  });

  it('Export… refuses outside image data too, and writes nothing', async () => {
    writeIdx(outside);
    fs.symlinkSync(path.join(outside, 'images-idx3-ubyte'), path.join(ws, 'images-idx3-ubyte'));
    fs.symlinkSync(path.join(outside, 'labels-idx1-ubyte'), path.join(ws, 'labels-idx1-ubyte'));
    const d = design(idxSpec);
    await assert.rejects(
      exportDesign({ ...d, shown: 'pics.nn' }, 'pytorch', { cwd: ws, allowedRoots: [ws] }),
      (e: Error) => /^pics\.nn: training\.data\.idx\.images "images-idx3-ubyte" resolves outside the workspace/.test(e.message) || assert.fail(e.message),
    );
    assert.deepEqual(fs.readdirSync(ws).sort(), ['images-idx3-ubyte', 'labels-idx1-ubyte', 'pics.nn']);
  });

  it('the CLI names no workspace: its user names the files', async () => {
    writeIdx(outside);
    const d = design({ idx: { images: '../outside/images-idx3-ubyte', labels: '../outside/labels-idx1-ubyte' } });
    assert.equal((await loadJobData(d, settingsFor(d.doc))).train.count, 3);
  });

  it('data that does not fold into the image input: the job error names both numbers', async () => {
    const d = design({ dataset: 'digits' });
    await assert.rejects(loadJobData(d, settingsFor(d.doc), [ws]),
      /pics\.nn: cannot load the training data: data set 'digits': each row has 64 feature values, but input 'x' of shape \[2, 3, 1\] takes H·W·C = 2·3·1 = 6/);
  });
});
