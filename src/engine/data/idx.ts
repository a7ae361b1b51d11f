/**
 * MNIST-format (IDX) files as training data. An IDX file is a big-endian header — the magic
 * number 0x000008NN (0x08: unsigned bytes, NN: the number of dimensions), then one 32-bit size per
 * dimension — followed by the values. Images are 0x00000803 (count × rows × cols), labels
 * 0x00000801 (count). Pixels become floats in [0, 1] (byte / 255), one sample per row, HWC with
 * C = 1; labels become one-hot over 0 … the largest label. Either file may be gzip (`.gz`).
 */
import type { IdxData } from '../../model/types';
import { readDataFile } from './dataFile';
import { DataError, type Dataset } from './dataset';
import { pixelNames } from './imageInput';

/** Magic number of an IDX file of unsigned-byte images: count × rows × cols. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of unsigned-byte labels: count. */
export const IDX_LABELS_MAGIC = 0x00000801;

/** Reads the two files of an `idx` data spec (paths relative to `baseDir`). */
export async function loadIdxFiles(spec: IdxData, baseDir: string): Promise<Dataset> {
  const { images, labels } = spec.idx;
  const [img, lab] = await Promise.all([
    readDataFile(images, baseDir, 'training.data.idx.images'),
    readDataFile(labels, baseDir, 'training.data.idx.labels'),
  ]);
  return parseIdx(img, lab, { images, labels });
}

/** Decodes IDX image and label bytes (already unpacked); `names` name the files in errors. */
export function parseIdx(img: Uint8Array, lab: Uint8Array, names: { images: string; labels: string }): Dataset {
  const [count, rows, cols] = readHeader(img, names.images, IDX_IMAGES_MAGIC, 'images', names.labels);
  const [labelCount] = readHeader(lab, names.labels, IDX_LABELS_MAGIC, 'labels', names.images);
  const pixels = rows * cols;
  if (count === 0) throw new DataError(`${names.images}: holds no images (its header says 0); use the full file.`, { file: names.images });
  if (pixels === 0) throw new DataError(`${names.images}: its images are ${rows}×${cols} pixels, so they hold nothing; the file is damaged.`, { file: names.images });
  checkLength(img, 16, count * pixels, names.images, `${count} images of ${rows}×${cols} pixels`);
  checkLength(lab, 8, labelCount, names.labels, `${labelCount} labels`);
  if (labelCount !== count) {
    throw new DataError(
      `${names.images} holds ${count} images but ${names.labels} holds ${labelCount} labels; use the labels file that belongs to these images (train-… with train-…, t10k-… with t10k-…).`,
      { file: names.images },
    );
  }
  const x = new Float32Array(count * pixels);
  for (let i = 0; i < x.length; i++) x[i] = img[16 + i] / 255;
  let classes = 0;
  for (let i = 0; i < count; i++) classes = Math.max(classes, lab[8 + i] + 1);
  if (classes < 2) {
    throw new DataError(`${names.labels}: every label is ${classes - 1}; a classifier needs at least two classes. Check that this is the right labels file.`, { file: names.labels });
  }
  const y = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) y[i * classes + lab[8 + i]] = 1;
  return {
    x, y, count, inputSize: pixels, outputSize: classes,
    featureNames: pixelNames([rows, cols, 1]),
    labelNames: Array.from({ length: classes }, (_, k) => String(k)),
    task: 'multiclass',
    shape: [rows, cols, 1],
  };
}

/** The header's sizes after checking the magic number; `other` is the spec's other file (for a swapped-files hint). */
function readHeader(b: Uint8Array, file: string, magic: number, what: 'images' | 'labels', other: string): number[] {
  const dims = magic & 0xff;
  const headerBytes = 4 + 4 * dims;
  const want = `an IDX ${what} file starts with 0x${hex(magic)}`;
  if (b.length < 4) throw new DataError(`${file}: is ${b.length} byte${b.length === 1 ? '' : 's'} long, too short for an IDX file (${want}); the file is cut short or not an IDX file.`, { file });
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    const swapped = found === (what === 'images' ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC);
    const hint = swapped
      ? `it is an IDX ${what === 'images' ? 'labels' : 'images'} file: swap "images" and "labels" (the other is ${other})`
      : `"${what}" must name an MNIST-format file like ${what === 'images' ? 'train-images-idx3-ubyte' : 'train-labels-idx1-ubyte'} (or the same with .gz)`;
    throw new DataError(`${file}: not an IDX ${what} file (it starts with 0x${hex(found)}; ${want}); ${hint}.`, { file });
  }
  if (b.length < headerBytes) throw new DataError(`${file}: the file is cut short inside its ${headerBytes}-byte header; download or copy it again.`, { file });
  return Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
}

/** Checks that the values after the header are exactly `n` bytes. */
function checkLength(b: Uint8Array, header: number, n: number, file: string, what: string): void {
  const have = b.length - header;
  if (have < n) {
    throw new DataError(`${file}: the file is cut short: its header promises ${what} (${n} bytes) but only ${have} follow; download or copy it again.`, { file });
  }
  if (have > n) {
    throw new DataError(`${file}: ${have - n} bytes follow the ${what} its header promises; the file is damaged or not an IDX file. Download or copy it again.`, { file });
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
