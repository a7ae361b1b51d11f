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
