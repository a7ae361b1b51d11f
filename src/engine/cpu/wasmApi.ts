/** The slice of the WebAssembly JS API the SIMD kernels use (the host tsconfig has no DOM/wasm typings). */
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly object, when there is one. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
