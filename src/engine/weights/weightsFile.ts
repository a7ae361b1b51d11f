/** Reading and writing the `name.weights.safetensors` file beside a design (Node fs). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type SafetensorsContents, type WeightMap } from './safetensors';

/** Reads a weights file; errors name the file and say what to do. */
export async function readWeightsFile(file: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new SafetensorsError(`${file}: no weights file; train the network first (nn train) or give the layers inline weights.`);
    }
    throw new SafetensorsError(`${file}: cannot read the weights file (${(e as Error).message}).`);
  }
  try {
    return decodeSafetensors(bytes);
  } catch (e) {
    throw new SafetensorsError(`${file}: ${(e as Error).message} Delete it and train again to rewrite it.`);
  }
}

/**
 * Writes a weights file atomically (a temporary file renamed over the old one), so a crash or a
 * full disk mid-write never leaves a half-written file where good weights were.
 */
export async function writeWeightsFile(file: string, tensors: WeightMap, metadata?: Record<string, string>): Promise<void> {
  const bytes = encodeSafetensors(tensors, metadata);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await fs.promises.writeFile(tmp, bytes);
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw new SafetensorsError(`${file}: cannot write the weights file (${(e as Error).message}).`);
  }
}
