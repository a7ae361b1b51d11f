/**
 * The safetensors file layout (as written by Hugging Face's `safetensors`): an 8-byte
 * little-endian header length N, N bytes of JSON header (padded with spaces so the data starts
 * on an 8-byte boundary), then the raw little-endian tensor bytes. The header maps each tensor
 * name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the data start)
 * and may hold `__metadata__`, a string → string map. We write F32 and read F32, F64, F16 and
 * BF16 (converted to float32), so files saved by PyTorch in other precisions load too.
 */

/**
 * Parameters keyed `"<nodeId>.<name>"`, row-major: a dense layer's `weight` [units, inputs] and
 * `bias` [units]; a conv2d layer's `weight` [filters, kh, kw, channels] and `bias` [filters]; a
 * batchnorm layer's `gamma`, `beta`, `moving_mean` and `moving_variance` [channels].
 */
export type WeightMap = Map<string, { shape: number[]; data: Float32Array }>;

/** A decoded safetensors file. */
export interface SafetensorsContents {
  tensors: WeightMap;
  metadata: Record<string, string>;
}

/** A damaged or unsupported safetensors file, with a message for the user. */
export class SafetensorsError extends Error {
  /** `message` says what is wrong and what to do. */
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Refuse headers bigger than this (the reference implementation uses the same 100 MB cap). */
const MAX_HEADER_BYTES = 100_000_000;

const BYTES_PER_DTYPE: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes float32 tensors (and optional string metadata) as a safetensors file. */
export function encodeSafetensors(tensors: WeightMap, metadata?: Record<string, string>): Uint8Array {
  // No prototype: a tensor named "__proto__" must be a plain key, not a prototype change.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new SafetensorsError(`a tensor cannot be named '__metadata__' (the name is reserved by the file format).`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new SafetensorsError(`tensor '${name}' has shape [${t.shape.join(', ')}] (${count} values) but ${t.data.length} values.`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  json += ' '.repeat(padded - headerBytes.length);
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(new TextEncoder().encode(json), 8);
  let pos = 8 + padded;
  for (const t of tensors.values()) {
    if (littleEndianHost) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + i * 4, t.data[i], true);
    }
    pos += t.data.byteLength;
  }
  return out;
}

/** Decodes a safetensors file; throws SafetensorsError naming what is wrong. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) {
    throw new SafetensorsError(`the file is ${bytes.length} bytes long, too short to be safetensors (it needs at least an 8-byte header length).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new SafetensorsError(`the header claims ${n} bytes but the file has ${bytes.length - 8} after the length field; the file is truncated or not safetensors.`);
  }
  const headerLength = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SafetensorsError(`the header is not valid JSON (${(e as Error).message}); the file is damaged or not safetensors.`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('the header is not a JSON object; the file is damaged or not safetensors.');
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadataEntries: [string, string][] = [];
  const read: { name: string; begin: number; end: number; tensor: { shape: number[]; data: Float32Array } }[] = [];
  const entries = Object.entries(header as Record<string, unknown>);
  for (const [name, raw] of entries) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError('__metadata__ must be an object of strings.');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new SafetensorsError(`__metadata__ entry '${k}' is not a string.`);
        metadataEntries.push([k, v]);
      }
      continue;
    }
    const tensor = readTensor(name, raw, bytes.subarray(dataStart), dataLength);
    const [begin, end] = (raw as { data_offsets: [number, number] }).data_offsets;
    read.push({ name, begin, end, tensor });
  }
  // The format requires the tensors to tile the data exactly: an overlap or a hole means the
  // header and the data disagree, and the numbers read would be wrong. Data order is also the
  // order the writer used (JSON objects put integer-like keys first, so key order is not);
  // empty tensors take no bytes, so their place among equal offsets is not recoverable.
  read.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  const tensors: WeightMap = new Map();
  for (const { name, begin, end, tensor } of read) {
    if (begin !== expected) {
      throw new SafetensorsError(`tensor '${name}' starts at byte ${begin} of the data but the previous tensor ends at ${expected}; the header's data_offsets overlap or leave a gap, so the file is damaged.`);
    }
    expected = end;
    tensors.set(name, tensor);
  }
  if (expected !== dataLength) {
    throw new SafetensorsError(`the tensors cover ${expected} bytes of data but the file holds ${dataLength}; the file is damaged or was cut or padded after writing.`);
  }
  // fromEntries defines own properties, so even a key named "__proto__" stays a key.
  return { tensors, metadata: Object.fromEntries(metadataEntries) };
}

function readTensor(name: string, raw: unknown, data: Uint8Array, dataLength: number): { shape: number[]; data: Float32Array } {
  const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof t !== 'object' || t === null) throw new SafetensorsError(`tensor '${name}': its header entry is not an object.`);
  const size = typeof t.dtype === 'string' ? BYTES_PER_DTYPE[t.dtype] : undefined;
  if (!size) {
    throw new SafetensorsError(`tensor '${name}' has dtype ${JSON.stringify(t.dtype)}; only F32, F64, F16 and BF16 can be read. Save the weights as float32.`);
  }
  const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (!Array.isArray(t.shape) || !t.shape.every(isIndex)) throw new SafetensorsError(`tensor '${name}': shape must be a list of whole numbers ≥ 0.`);
  const offs = t.data_offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !isIndex(offs[0]) || !isIndex(offs[1]) || offs[1] < offs[0]) {
    throw new SafetensorsError(`tensor '${name}': data_offsets must be [begin, end] with 0 ≤ begin ≤ end.`);
  }
  const [begin, end] = offs as [number, number];
  if (end > dataLength) {
    throw new SafetensorsError(`tensor '${name}' ends at byte ${end} of the data but the file holds ${dataLength}; the file is truncated.`);
  }
  const shape = t.shape as number[];
  const count = shape.reduce((a, b) => a * b, 1);
  if (end - begin !== count * size) {
    throw new SafetensorsError(`tensor '${name}' has shape [${shape.join(', ')}] (${count * size} bytes as ${t.dtype}) but data_offsets span ${end - begin} bytes.`);
  }
  const out = new Float32Array(count);
  const bytes = data.subarray(begin, end);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (t.dtype) {
    case 'F32':
      if (littleEndianHost) new Uint8Array(out.buffer).set(bytes); // copy: the source may be unaligned
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const f = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        f.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = f.getFloat32(0);
      }
      break;
    }
  }
  return { shape: shape.slice(), data: out };
}

/** IEEE 754 half precision to a JS number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The weights file beside a design: `dir/name.nn` → `dir/name.weights.safetensors`. */
export function weightsPathFor(nnPath: string): string {
  const base = nnPath.endsWith('.nn') ? nnPath.slice(0, -3) : nnPath;
  return `${base}.weights.safetensors`;
}
