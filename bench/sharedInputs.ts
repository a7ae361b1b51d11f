/**
 * The inputs every contender of a round trains from, as files a child process reads: the data
 * (x, y) and the initial weights, raw little-endian float32, so ours, the hand-written loop and
 * PyTorch start from the very same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initialParams, makeWorkloadData, paramLayers, type Workload, type WorkloadData } from './workloads';

/** The files of one workload. */
export interface SharedFiles {
  x: string;
  y: string;
  weights: string;
}

function writeF32(file: string, a: Float32Array): void {
  fs.writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Reads a raw float32 file. */
export function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Layer params in the order the weights file holds them (paramLayers: convolutions, then dense): W1 in our layout, b1, W2, b2 … */
export function flattenParams(params: { weight: Float32Array; bias: Float32Array }[]): Float32Array {
  const total = params.reduce((s, p) => s + p.weight.length + p.bias.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of params) {
    out.set(p.weight, o);
    o += p.weight.length;
    out.set(p.bias, o);
    o += p.bias.length;
  }
  return out;
}

/** Splits a weights file's floats back into the workload's layers (the inverse of flattenParams). */
export function unflattenParams(w: Workload, flat: Float32Array): { weight: Float32Array; bias: Float32Array }[] {
  let o = 0;
  const out = paramLayers(w).map((p) => {
    const n = p.weightShape.reduce((a, b) => a * b, 1), units = p.weightShape[0];
    const weight = flat.slice(o, o + n);
    o += n;
    const bias = flat.slice(o, o + units);
    o += units;
    return { weight, bias };
  });
  if (o !== flat.length) throw new Error(`the weights file holds ${flat.length} floats; workload ${w.name} needs ${o}`);
  return out;
}

/** The engine's weight map (`c1.weight` [filters, kh, kw, c], `d1.weight` [units, inputs], `d1.bias` …) for layer params. */
export function weightMapOf(w: Workload, params: { weight: Float32Array; bias: Float32Array }[]): Map<string, { shape: number[]; data: Float32Array }> {
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  paramLayers(w).forEach((l, i) => {
    weights.set(`${l.id}.weight`, { shape: [...l.weightShape], data: params[i].weight });
    weights.set(`${l.id}.bias`, { shape: [l.weightShape[0]], data: params[i].bias });
  });
  return weights;
}

/** Writes a workload's data and initial weights under `dir`; returns the files and the data. */
export function writeSharedInputs(w: Workload, dir: string): { files: SharedFiles; data: WorkloadData } {
  const data = makeWorkloadData(w);
  const files = { x: path.join(dir, `${w.name}.x.f32`), y: path.join(dir, `${w.name}.y.f32`), weights: path.join(dir, `${w.name}.w.f32`) };
  writeF32(files.x, data.x);
  writeF32(files.y, data.y);
  writeF32(files.weights, flattenParams(initialParams(w)));
  return { files, data };
}
