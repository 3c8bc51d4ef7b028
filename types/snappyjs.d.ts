// snappyjs ships no types; only what bench/snappy.ts uses. `maxLength` is checked against the declared length.
declare module "snappyjs" {
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
