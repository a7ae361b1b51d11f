/**
 * Tiny image data files written by the tests themselves (nothing is downloaded): IDX files and
 * PNG/JPEG images, encoded with the same pure-JavaScript libraries the loader decodes with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** An IDX file: big-endian magic, sizes, then the bytes. */
export function idxBytes(magic: number, dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

/** Three 2×3 images: pixel p of image i is 40·i + 10·p; labels 0, 2, 1. */
export const PIXELS = Array.from({ length: 18 }, (_, k) => 40 * Math.floor(k / 6) + 10 * (k % 6));
export const LABELS = [0, 2, 1];

/** A width×height image whose pixel (r, c) has RGB `rgb(r, c)`; alpha 255 unless `alpha` says. */
export function rgbaImage(width: number, height: number, rgb: (r: number, c: number) => [number, number, number], alpha = 255): { width: number; height: number; data: Buffer } {
  const data = Buffer.alloc(width * height * 4);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const o = 4 * (r * width + c);
      const [R, G, B] = rgb(r, c);
      data[o] = R; data[o + 1] = G; data[o + 2] = B; data[o + 3] = alpha;
    }
  }
  return { width, height, data };
}

/** Writes `img` as PNG (colorType 0 gray, 2 RGB, 6 RGBA) to `file`, making its folder. */
export function writePng(file: string, img: { width: number; height: number; data: Buffer }, colorType: 0 | 2 | 6 = 6): void {
  const png = new PNG({ width: img.width, height: img.height });
  img.data.copy(png.data);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png, { colorType }));
}

/** Writes `img` as a JPEG of the best quality to `file`, making its folder. */
export function writeJpeg(file: string, img: { width: number; height: number; data: Buffer }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, jpeg.encode(img, 100).data);
}
