/**
 * A folder of PNG and JPEG images as training data, one sub-folder per class (as Keras'
 * image_dataset_from_directory): the sorted sub-folder names are the class names, the images in
 * each are its samples (sorted by file name). Every image must have the input's height and
 * width; pixels are scaled to [0, 1] and converted to the input's channels: 3 → RGB, 1 → gray
 * by ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B, what Pillow's convert('L') does). Alpha is
 * dropped. Rows are HWC, channels last.
 *
 * Decoders: pngjs and jpeg-js, pure JavaScript (no native module, no install script), chosen by
 * the file's first bytes rather than its extension.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import type { ImageFolderData } from '../../model/types';
import { dataFileByteLimit, formatBytes, readDataFile } from './dataFile';
import { DataError, type Dataset } from './dataset';
import { pixelNames, shapeText, type ImageInput } from './imageInput';

/** File extensions read as images (any case); other files (notes, .DS_Store) are skipped. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** One class of an image folder: its name (the sub-folder's) and its image files. */
export interface ImageClass {
  name: string;
  /** Absolute path of the sub-folder. */
  dir: string;
  /** Absolute paths of its images, sorted by name. */
  files: string[];
}

/**
 * Lists an image folder (relative to `baseDir`; `folder` as written in the design): its class
 * sub-folders, sorted, each with its image files. Hidden entries (".name") are skipped.
 */
export function listImageFolder(folder: string, baseDir: string): ImageClass[] {
  const abs = path.resolve(baseDir, folder);
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  if (!st) throw new DataError(`${folder}: no such folder (looked for ${abs}); training.data.imageFolder is relative to the .nn file's folder.`, { file: folder });
  if (!st.isDirectory()) throw new DataError(`${folder}: is not a folder; training.data.imageFolder names a folder with one sub-folder of images per class.`, { file: folder });
  const classes: ImageClass[] = [];
  const loose: string[] = [];
  for (const name of visible(abs)) {
    const dir = path.join(abs, name);
    const s = fs.statSync(dir, { throwIfNoEntry: false });
    if (s?.isDirectory()) {
      const files = visible(dir).filter((f) => isImageName(f) && fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile());
      classes.push({ name, dir, files: files.map((f) => path.join(dir, f)) });
    } else if (isImageName(name)) loose.push(name);
  }
  if (classes.length === 0) {
    throw new DataError(
      `${folder}: has no sub-folders${loose.length ? ` (only loose images such as ${loose[0]})` : ''}; put each class's images in a sub-folder named after the class (e.g. ${folder}/cat/, ${folder}/dog/).`,
      { file: folder },
    );
  }
  if (classes.length < 2) {
    throw new DataError(`${folder}: has one class sub-folder ('${classes[0].name}'); a classifier needs at least two, one sub-folder of images per class.`, { file: folder });
  }
  const empty = classes.find((c) => c.files.length === 0);
  if (empty) {
    throw new DataError(`${folder}/${empty.name}: the class folder '${empty.name}' has no PNG or JPEG images; add images to it or remove the folder.`, { file: `${folder}/${empty.name}` });
  }
  return classes;
}

/** Loads an `imageFolder` data spec for the image input `input` (its [H, W, C] says the size and channels). */
export async function loadImageFolder(spec: ImageFolderData, baseDir: string, input: ImageInput | undefined): Promise<Dataset> {
  const folder = spec.imageFolder;
  if (!input || input.shape.length !== 3) {
    throw new DataError(`${folder}: an image folder needs an input node with "shape": [height, width, channels] (channels 1 for gray, 3 for RGB) to know the images' size; give the input a shape instead of "units".`, { file: folder });
  }
  const [h, w, c] = input.shape;
  if (c !== 1 && c !== 3) {
    throw new DataError(`${folder}: input '${input.id}' has ${c} channels (shape ${shapeText(input.shape)}); images can feed 1 channel (gray) or 3 (RGB).`, { file: folder });
  }
  const classes = listImageFolder(folder, baseDir);
  const count = classes.reduce((a, k) => a + k.files.length, 0);
  const size = h * w * c;
  const limit = dataFileByteLimit();
  if (count * size * 4 > limit) {
    throw new DataError(`${folder}: ${count} images of ${shapeText(input.shape)} take ${formatBytes(count * size * 4)} as floats, more than the ${formatBytes(limit)} this machine can load; train on fewer images.`, { file: folder });
  }
  const x = new Float32Array(count * size);
  const y = new Float32Array(count * classes.length);
  let row = 0;
  for (let k = 0; k < classes.length; k++) {
    for (const abs of classes[k].files) {
      const shown = path.join(folder, path.relative(path.resolve(baseDir, folder), abs));
      const bytes = await readDataFile(abs, baseDir, 'training.data.imageFolder', { shown });
      const sizeError = (s: { width: number; height: number }): DataError => new DataError(
        `${shown}: the image is ${s.width}×${s.height} pixels (width×height), but input '${input.id}' of shape ${shapeText(input.shape)} takes ${w}×${h}; resize the images to ${w}×${h}, or set the input's shape to [${s.height}, ${s.width}, ${c}].`,
        { file: shown },
      );
      // The header's size first, so an image of the wrong size is refused before it is decoded.
      const header = imageSize(bytes);
      if (header && (header.width !== w || header.height !== h)) throw sizeError(header);
      const img = decodeImage(bytes, shown);
      if (img.width !== w || img.height !== h) throw sizeError(img);
      writePixels(img.data, x, row * size, h * w, c);
      y[row * classes.length + k] = 1;
      row++;
    }
  }
  return {
    x, y, count, inputSize: size, outputSize: classes.length,
    featureNames: pixelNames(input.shape),
    labelNames: classes.map((k) => k.name),
    task: 'multiclass',
    shape: input.shape.slice(),
  };
}

/** Decodes PNG or JPEG bytes to 8-bit RGBA; `shown` names the file in errors. */
export function decodeImage(bytes: Uint8Array, shown: string): { width: number; height: number; data: Uint8Array } {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    throw new DataError(`${shown}: is not a PNG or JPEG image (its first bytes are neither); convert it to PNG or JPEG, or move it out of the folder.`, { file: shown });
  }
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    throw new DataError(`${shown}: cannot decode this ${isPng ? 'PNG' : 'JPEG'} image (${(e as Error).message}); the file may be damaged: open and save it again, or remove it.`, { file: shown });
  }
}

/** Width and height from a PNG's IHDR or a JPEG's start-of-frame header; undefined when not found. */
export function imageSize(b: Uint8Array): { width: number; height: number } | undefined {
  const u16 = (i: number): number => (b[i] << 8) | b[i + 1];
  const u32 = (i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && String.fromCharCode(b[12], b[13], b[14], b[15]) === 'IHDR') {
    return { width: u32(16), height: u32(20) };
  }
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  for (let i = 2; i + 9 <= b.length;) {
    if (b[i] !== 0xff) return undefined;
    const m = b[i + 1];
    if (m === 0xff) { i++; continue; }
    // SOF0 … SOF15 carry the frame size; C4 (Huffman tables), C8 and CC (arithmetic coding) do not.
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { height: u16(i + 5), width: u16(i + 7) };
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd8)) { i += 2; continue; }
    i += 2 + u16(i + 2);
  }
  return undefined;
}

/** Writes `pixels` RGBA pixels as floats in [0, 1] with `c` channels (1: luma, 3: RGB) into `out` at `o`. */
function writePixels(rgba: Uint8Array, out: Float32Array, o: number, pixels: number, c: number): void {
  for (let p = 0; p < pixels; p++) {
    const r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
    if (c === 1) out[o + p] = (r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b) / 255;
    else {
      out[o + 3 * p] = r / 255;
      out[o + 3 * p + 1] = g / 255;
      out[o + 3 * p + 2] = b / 255;
    }
  }
}

/** Entries of `dir` that are not hidden, sorted (code-unit order, like Python's sorted()). */
function visible(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}
