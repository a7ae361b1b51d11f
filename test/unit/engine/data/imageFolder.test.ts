/**
 * A folder of PNG/JPEG images, one sub-folder per class, as training data: written here in a
 * temp folder, read through loadData for an input of a given [H, W, C]. Class names are the
 * sorted sub-folder names; pixels are HWC in [0, 1], converted to the input's channels; every
 * error names the file or folder and says what to do.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, imageSize, loadData, type Dataset } from '../../../../src/engine/data';
import { rgbaImage, writeJpeg, writePng } from './imageFixtures';

describe('image folder data (one sub-folder per class)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-images-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const at = (...p: string[]): string => path.join(dir, 'imgs', ...p);
  const load = (shape: number[] | undefined, folder = 'imgs'): Promise<Dataset> =>
    loadData({ imageFolder: folder }, { baseDir: dir, seed: 1, input: shape ? { id: 'pic', shape } : undefined });
  const rejects = async (p: Promise<unknown>, starts: string, re: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof DataError, `a DataError, got ${String(e)}`);
      assert.ok(e.message.startsWith(starts), `starts with ${starts}: ${e.message}`);
      assert.match(e.message, re);
      return true;
    });
  };

  /** Pixel (r, c) of class k's image: red 10·r + 50·k, green 20·c, blue 200 (3 wide, 2 high). */
  const colour = (k: number) => (r: number, c: number): [number, number, number] => [10 * r + 50 * k, 20 * c, 200];

  /** dog/ (sorted second) holds a PNG; cat/ a gray PNG and an RGBA PNG; notes and hidden files are skipped. */
  function threeImages(): void {
    writePng(at('dog', 'a.png'), rgbaImage(3, 2, colour(1)), 2);
    writePng(at('cat', 'b.png'), rgbaImage(3, 2, colour(0)), 6);
    writePng(at('cat', 'a.PNG'), rgbaImage(3, 2, (r, c) => [r * 100 + c, r * 100 + c, r * 100 + c]), 0);
    fs.writeFileSync(at('cat', 'notes.txt'), 'not an image');
    fs.writeFileSync(at('.DS_Store'), 'junk');
    fs.mkdirSync(at('.cache'));
  }

  it('reads RGB images: classes are the sorted sub-folder names, files sorted, pixels HWC in [0, 1]', async () => {
    threeImages();
    const ds = await load([2, 3, 3]);
    assert.deepEqual(ds.labelNames, ['cat', 'dog']);
    assert.equal(ds.count, 3);
    assert.equal(ds.inputSize, 18);
    assert.deepEqual(ds.shape, [2, 3, 3]);
    assert.equal(ds.task, 'multiclass');
    assert.deepEqual(Array.from(ds.y), [1, 0, 1, 0, 0, 1], 'cat/a.PNG, cat/b.png, dog/a.png');
    const row = (i: number): number[] => Array.from(ds.x.subarray(i * 18, (i + 1) * 18)).map((v) => Math.round(v * 255));
    const expect = (rgb: (r: number, c: number) => [number, number, number]): number[] => {
      const out: number[] = [];
      for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) out.push(...rgb(r, c));
      return out;
    };
    assert.deepEqual(row(0), expect((r, c) => [r * 100 + c, r * 100 + c, r * 100 + c]), 'a gray PNG gives R = G = B');
    assert.deepEqual(row(1), expect(colour(0)), 'RGBA: alpha dropped');
    assert.deepEqual(row(2), expect(colour(1)));
    assert.ok(ds.x.every((v) => v >= 0 && v <= 1));
    assert.equal(ds.featureNames[0], 'px_0_0_0');
  });

  it('converts to gray for a 1-channel input (ITU-R 601 luma, as Pillow\'s convert("L"))', async () => {
    threeImages();
    const ds = await load([2, 3, 1]);
    assert.equal(ds.inputSize, 6);
    assert.deepEqual(Array.from(ds.x.subarray(0, 6)), [0, 1, 2, 100, 101, 102].map((v) => Math.fround(v / 255)), 'gray stays exactly gray');
    const [R, G, B] = colour(1)(1, 2);
    assert.ok(Math.abs(ds.x[2 * 6 + 5] - (0.299 * R + 0.587 * G + 0.114 * B) / 255) < 1e-6);
  });

  it('reads JPEG images (decoded within JPEG\'s loss)', async () => {
    writeJpeg(at('a', 'x.jpg'), rgbaImage(8, 8, () => [200, 100, 50]));
    writeJpeg(at('b', 'y.JPEG'), rgbaImage(8, 8, () => [20, 40, 240]));
    const ds = await load([8, 8, 3]);
    assert.deepEqual(ds.labelNames, ['a', 'b']);
    for (let p = 0; p < 64; p++) {
      assert.ok(Math.abs(ds.x[3 * p] * 255 - 200) <= 3 && Math.abs(ds.x[192 + 3 * p + 2] * 255 - 240) <= 3, `pixel ${p}`);
    }
  });

  it('an image of another size: names the file, its size and the input\'s', async () => {
    threeImages();
    writePng(at('dog', 'big.png'), rgbaImage(4, 2, colour(1)));
    await rejects(load([2, 3, 1]), path.join('imgs', 'dog', 'big.png'),
      /the image is 4×2 pixels \(width×height\), but input 'pic' of shape \[2, 3, 1\] takes 3×2; resize the images to 3×2, or set the input's shape to \[2, 4, 1\]/);
  });

  it('reads the size from the header (PNG IHDR, JPEG start of frame), so an oversized image is refused before decoding', async () => {
    writeJpeg(at('a', 'x.jpg'), rgbaImage(7, 5, () => [1, 2, 3]));
    assert.deepEqual(imageSize(fs.readFileSync(at('a', 'x.jpg'))), { width: 7, height: 5 });
    threeImages();
    assert.deepEqual(imageSize(fs.readFileSync(at('dog', 'a.png'))), { width: 3, height: 2 });
    // A header that claims 40000×30000 pixels (1.2 gigapixels): never decoded, refused by its size.
    const huge = Buffer.from(fs.readFileSync(at('dog', 'a.png')));
    huge.writeUInt32BE(40000, 16);
    huge.writeUInt32BE(30000, 20);
    fs.writeFileSync(at('dog', 'huge.png'), huge);
    fs.rmSync(at('a'), { recursive: true });
    await rejects(load([2, 3, 1]), path.join('imgs', 'dog', 'huge.png'), /the image is 40000×30000 pixels \(width×height\), but input 'pic' of shape \[2, 3, 1\] takes 3×2/);
  });

  it('an empty class folder: names it and says to add images or remove it', async () => {
    threeImages();
    fs.mkdirSync(at('emu'));
    fs.writeFileSync(at('emu', 'notes.txt'), 'soon');
    await rejects(load([2, 3, 1]), 'imgs/emu', /the class folder 'emu' has no PNG or JPEG images; add images to it or remove the folder/);
  });

  it('a missing folder, a file instead of a folder, no class sub-folders, one class', async () => {
    await rejects(load([2, 3, 1], 'nothing'), 'nothing', /no such folder \(looked for .*nothing\); training\.data\.imageFolder is relative to the \.nn file's folder/);
    fs.writeFileSync(path.join(dir, 'file.png'), 'x');
    await rejects(load([2, 3, 1], 'file.png'), 'file.png', /is not a folder/);
    writePng(at('loose.png'), rgbaImage(3, 2, colour(0)));
    await rejects(load([2, 3, 1]), 'imgs', /has no sub-folders \(only loose images such as loose\.png\); put each class's images in a sub-folder named after the class/);
    writePng(at('cat', 'a.png'), rgbaImage(3, 2, colour(0)));
    await rejects(load([2, 3, 1]), 'imgs', /has one class sub-folder \('cat'\); a classifier needs at least two/);
  });

  it('a damaged image, or a file that only pretends to be one: names it', async () => {
    threeImages();
    const good = fs.readFileSync(at('dog', 'a.png'));
    fs.writeFileSync(at('dog', 'b.png'), good.subarray(0, 40));
    await rejects(load([2, 3, 1]), path.join('imgs', 'dog', 'b.png'), /cannot decode this PNG image \(.*\); the file may be damaged: open and save it again, or remove it/);
    fs.writeFileSync(at('dog', 'b.png'), 'GIF89a…');
    await rejects(load([2, 3, 1]), path.join('imgs', 'dog', 'b.png'), /is not a PNG or JPEG image/);
  });

  it('needs an input shape with 1 or 3 channels', async () => {
    threeImages();
    await rejects(load(undefined), 'imgs', /an image folder needs an input node with "shape": \[height, width, channels\]/);
    await rejects(load([2, 3, 4]), 'imgs', /input 'pic' has 4 channels \(shape \[2, 3, 4\]\); images can feed 1 channel \(gray\) or 3 \(RGB\)/);
  });
});
