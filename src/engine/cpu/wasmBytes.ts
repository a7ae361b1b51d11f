/** The few pieces of the WebAssembly binary format that the hand-emitted SIMD modules share. */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: id, then its byte length, then its bytes. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** A name: its length, then its characters. */
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A module importing one memory `env.mem` (1 page at least; a shared memory of at most
 * `sharedMaxPages` pages when given) and exporting `names` (functions 0…).
 */
export function moduleBytes(types: number[][], funcTypes: number[], names: string[], bodies: number[][], sharedMaxPages?: number): Uint8Array {
  const type = section(1, [...uleb(types.length), ...types.flat()]);
  const limits = sharedMaxPages ? [0x03, 1, ...uleb(sharedMaxPages)] : [0x00, 1];
  const imports = section(2, [1, ...str('env'), ...str('mem'), 0x02, ...limits]);
  const funcs = section(3, [...uleb(funcTypes.length), ...funcTypes]);
  const exports = section(7, [...uleb(names.length), ...names.flatMap((n, i) => [...str(n), 0x00, ...uleb(i)])]);
  const code = section(10, [...uleb(bodies.length), ...bodies.flat()]);
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...funcs, ...exports, ...code]);
}

/** f32x4.relaxed_madd (a·b + c, one fused instruction where the CPU has FMA): relaxed SIMD's opcode 0x105. */
export const fmadd4 = (): number[] => [0xfd, ...uleb(0x105)];

/** The locals through which a kernel reaches its tile of C: the tile's first byte, a row cursor, the row stride in bytes. */
export interface TileLocals { ct: number; cr: number; ldc: number }

/**
 * Moves a rows × (4·vecs) tile of C between the memory (rows `ldc` bytes apart from local `ct`,
 * walked with local `cr`) and the f32x4 locals acc(r, v): loads them (`store` false) or stores
 * them. `align` is the loads' and stores' alignment hint (log2 bytes). With `below` (the locals
 * of the tile's first row i and the row count m), rows from i + 1 on are moved only when below m.
 */
export function tileRows(l: TileLocals, rows: number, vecs: number, acc: (r: number, v: number) => number, store: boolean, align: number, below?: { i: number; m: number }): number[] {
  const out = [0x20, l.ct, 0x21, l.cr];
  for (let r = 0; r < rows; r++) {
    // if (i + r < m) { …row r… }
    if (below && r > 0) out.push(0x20, below.i, 0x41, r, 0x6a, 0x20, below.m, 0x49, 0x04, 0x40);
    for (let v = 0; v < vecs; v++) {
      if (store) out.push(0x20, l.cr, 0x20, acc(r, v), 0xfd, 0x0b, align, ...uleb(16 * v));
      else out.push(0x20, l.cr, 0xfd, 0x00, align, ...uleb(16 * v), 0x21, acc(r, v));
    }
    if (below && r > 0) out.push(0x0b);
    if (r < rows - 1) out.push(0x20, l.cr, 0x20, l.ldc, 0x6a, 0x21, l.cr);
  }
  return out;
}
