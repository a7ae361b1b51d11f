/** Row layout shared by every program that feeds a network: one array per input node. */

/** Splits row-major rows of all inputs (features concatenated in input-node order) into one array per input node. */
export function splitInputs(x: Float32Array, count: number, sizes: number[]): Float32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.length === 1) return [x];
  let off = 0;
  return sizes.map((w) => {
    const out = new Float32Array(count * w);
    for (let r = 0; r < count; r++) out.set(x.subarray(r * total + off, r * total + off + w), r * w);
    off += w;
    return out;
  });
}
