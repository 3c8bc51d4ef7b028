// The contract every embedder meets, and the small vector helpers they share.

export interface Embedder {
  /**
   * Identifies the vector space: vectors from embedders with different ids must not be compared. Changes
   * whenever the algorithm, the model or the dimension does (store it next to every vector).
   */
  readonly id: string;
  readonly dim: number;
  /** One L2-normalized vector per text, in order (a text without any feature gives the zero vector). */
  embed(texts: string[]): Promise<Float32Array[]>;
  /**
   * Resolves once `id` and `dim` can be read. Only remote embedders without a configured dimension need it
   * (their `id`/`dim` throw until a first response has shown the dimension); absent means always ready.
   */
  ready?(): Promise<void>;
}

/** Scales `v` to unit length in place (accumulating in double precision) and returns it; a zero vector stays zero. */
export function l2NormalizeInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    s += x * x;
  }
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}

/** Dot product in double precision (the cosine for normalized vectors). */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`dimension mismatch: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
