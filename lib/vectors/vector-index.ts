/**
 * Exact in-memory top-k by dot product (= cosine for the normalized vectors the embedders return), for the
 * plain-Postgres path: load an org's vectors once, answer "similar incidents" from memory.
 *
 * Storage: one growable Float32Array matrix (rows contiguous, row i = the vector of ids[i]) plus id ↔ row maps;
 * remove() moves the last row into the hole, so rows stay dense. Capacity doubles and never shrinks.
 *
 * Search is exact (the same top-k as scoring every row in double precision and sorting; ties broken by id) but
 * does not read every float: a float32 scan of 100,000 × 512 is 205 MB of memory traffic and ~51 M
 * multiply-adds, ~90-110 ms per query in plain JS on one core (bench/vectors-embed.ts). So each row also has an
 * int8 copy (per-row scale, kept in WebAssembly memory, 25 % extra) and a search runs in two steps:
 *  1. a WebAssembly SIMD kernel computes the integer dot product of every int8 row with the quantized query;
 *  2. each approximate score gets a rigorous error bound (below); a row can only be in the top k if its upper
 *     bound reaches the k-th best lower bound, and only those candidates are rescored exactly from the float32
 *     matrix, in double precision.
 * Bound: with v = s·a + e (a integer) and q = t·b + f (b integer), q·v − s·t·(a·b) = q·e + s·(f·a), so by
 * Cauchy–Schwarz |q·v − s·t·(a·b)| ≤ ‖q‖·‖e‖ + ‖f‖·‖s·a‖, with ‖e‖ and ‖s·a‖ stored per row and ‖f‖ per query
 * (plus a 1e-9 relative slack for floating-point rounding). So pruning never drops a true top-k row, whatever
 * the data; near-duplicates only make more candidates. On 100,000 random 512-d unit vectors (the worst case:
 * every score within a few σ of the others), k = 10: ~500 rows pass the first test and ~70-200 are rescored
 * (0.1-0.2 ms); k = 1 with a close match: one.
 * Without WebAssembly SIMD, or with `{ quantize: false }`, every row is scored exactly in JS.
 *
 * `filter` is only called for rows that could still enter the top k (not for every row), so it must be a pure
 * predicate; rows it rejects are never returned.
 */

export interface VectorIndexOptions {
  /** Rows allocated up front (grows by doubling). Default 64, so many small per-org indexes stay small. */
  initialCapacity?: number;
  /** Use the int8 + WebAssembly prefilter when available (results are identical either way). Default true. */
  quantize?: boolean;
}

export interface SearchHit {
  id: string;
  score: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The WebAssembly kernel, hand-assembled (no toolchain dependency). Equivalent WAT:
//
// (module
//   (import "env" "mem" (memory 1))
//   ;; out[r] = Σ_j rows[r][j] · q[j] for r < n; rows: int8, `stride` bytes apart from $m; q: int16 at $q
//   (func (export "dots") (param $q i32) (param $m i32) (param $n i32) (param $stride i32) (param $out i32)
//     (local $rowEnd i32) (local $qp i32) (local $end i32)
//     (local $acc0 v128) (local $acc1 v128) (local v128) (local v128) (local $x v128) (local v128)
//     (local.set $end (i32.add (i32.mul (local.get $n) (local.get $stride)) (local.get $m)))
//     (block $done
//       (br_if $done (i32.ge_u (local.get $m) (local.get $end)))
//       (loop $rows
//         (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0))
//         (local.set $rowEnd (i32.add (local.get $m) (local.get $stride)))
//         (local.set $qp (local.get $q))
//         (loop $cols                       ;; 64 int8 per iteration, 4 chunks of 16, alternating acc0/acc1:
//           ;; x = v128.load(m + 16c)
//           ;; acc += i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(x),  v128.load(qp + 32c))
//           ;; acc += i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(x), v128.load(qp + 32c + 16))
//           (local.set $m (i32.add (local.get $m) (i32.const 64)))
//           (local.set $qp (i32.add (local.get $qp) (i32.const 128)))
//           (br_if $cols (i32.lt_u (local.get $m) (local.get $rowEnd))))
//         (i32.store (local.get $out) (horizontal sum of (i32x4.add $acc0 $acc1)))
//         (local.set $out (i32.add (local.get $out) (i32.const 4)))
//         (br_if $rows (i32.lt_u (local.get $m) (local.get $end))))))
//
// Rows are padded to a multiple of 64 bytes with zeros (so is the query). The query is int16 (sign-extended
// int8) because i32x4.dot_i16x8_s on it beat i16x8.extmul_*_i8x16_s on two int8 operands by ~1.5× here. With
// |values| ≤ 127 nothing can overflow: a row's sum is at most 512 · 127² < 2³¹ for dim < 130,000.

function leb128u(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const SIMD = 0xfd;
  const v128load = (offset: number) => [SIMD, 0x00, 4, ...leb128u(offset)];
  const v128zero = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
  const i16x8extendLowI8x16S = [SIMD, 0x87, 0x01];
  const i16x8extendHighI8x16S = [SIMD, 0x88, 0x01];
  const i32x4dotI16x8S = [SIMD, 0xba, 0x01];
  const i32x4add = [SIMD, 0xae, 0x01];
  const i32x4extractLane = (l: number) => [SIMD, 0x1b, l];
  const [Q, M, N, STRIDE, OUT, ROW_END, QP, END, ACC0, ACC1, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12];
  const chunk = (c: number, acc: number) => [
    ...get(acc),
    ...get(M), ...v128load(c * 16), ...tee(X),
    ...i16x8extendLowI8x16S, ...get(QP), ...v128load(c * 32), ...i32x4dotI16x8S, ...i32x4add,
    ...get(X), ...i16x8extendHighI8x16S, ...get(QP), ...v128load(c * 32 + 16), ...i32x4dotI16x8S, ...i32x4add,
    ...set(acc),
  ];
  const body = [
    0x02, 0x03, 0x7f, 0x06, 0x7b, // locals: 3 × i32 (5..7), 6 × v128 (8..13)
    ...get(N), ...get(STRIDE), 0x6c, ...get(M), 0x6a, ...set(END),
    0x02, 0x40, // block $done
    ...get(M), ...get(END), 0x4f, 0x0d, 0x00, // br_if $done (m >= end)
    0x03, 0x40, // loop $rows
    ...v128zero, ...set(ACC0), ...v128zero, ...set(ACC1),
    ...get(M), ...get(STRIDE), 0x6a, ...set(ROW_END),
    ...get(Q), ...set(QP),
    0x03, 0x40, // loop $cols
    ...chunk(0, ACC0), ...chunk(1, ACC1), ...chunk(2, ACC0), ...chunk(3, ACC1),
    ...get(M), 0x41, 0xc0, 0x00, 0x6a, ...tee(M), // m += 64 (left on the stack for the compare)
    ...get(QP), 0x41, 0x80, 0x01, 0x6a, ...set(QP), // qp += 128
    ...get(ROW_END), 0x49, 0x0d, 0x00, // br_if $cols (m < rowEnd)
    0x0b, // end $cols
    ...get(OUT),
    ...get(ACC0), ...get(ACC1), ...i32x4add, ...tee(ACC0),
    ...i32x4extractLane(0), ...get(ACC0), ...i32x4extractLane(1), 0x6a,
    ...get(ACC0), ...i32x4extractLane(2), 0x6a, ...get(ACC0), ...i32x4extractLane(3), 0x6a,
    0x36, 0x02, 0x00, // i32.store
    ...get(OUT), 0x41, 0x04, 0x6a, ...set(OUT),
    ...get(M), ...get(END), 0x49, 0x0d, 0x00, // br_if $rows (m < end)
    0x0b, // end $rows
    0x0b, // end $done
    0x0b, // end func
  ];
  const code = [0x01, ...leb128u(body.length), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm v1
    0x01, 0x09, 0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00, // type: (i32 ×5) → ()
    0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, // import env.mem (memory 1)
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x07, 0x08, 0x01, 0x04, 0x64, 0x6f, 0x74, 0x73, 0x00, 0x00, // export "dots"
    0x0a, ...leb128u(code.length), ...code,
  ]);
}

let kernel: WebAssembly.Module | null | undefined;
function kernelModule(): WebAssembly.Module | null {
  if (kernel === undefined) {
    try {
      const bytes = kernelBytes();
      kernel = typeof WebAssembly === "object" && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

/** Whether this runtime runs the int8 WebAssembly SIMD prefilter. */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

type DotsFn = (q: number, m: number, n: number, stride: number, out: number) => void;

const PAGE = 65_536;
/** Keeps the int32 sums of the kernel from overflowing (dim · 127² < 2³¹). */
const MAX_QUANTIZED_DIM = 65_536;
const STRIDE_ALIGN = 64;

/** The int8 shadow of the matrix: rows in WebAssembly memory, then the int16 query, then the int32 scores. */
class Int8Rows {
  readonly stride: number;
  private memory: WebAssembly.Memory;
  private dots: DotsFn;
  private bytes: Int8Array;
  /** Per row: the scale s, ‖s·a‖₂ (the dequantized row's norm) and ‖v − s·a‖₂ (the rounding error's norm). */
  scales: Float64Array;
  norms: Float64Array;
  residuals: Float64Array;
  private cap: number;

  constructor(module: WebAssembly.Module, dim: number, cap: number) {
    this.stride = Math.ceil(dim / STRIDE_ALIGN) * STRIDE_ALIGN;
    this.cap = cap;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.bytesFor(cap) / PAGE) });
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.dots = instance.exports.dots as DotsFn;
    this.bytes = new Int8Array(this.memory.buffer);
    this.scales = new Float64Array(cap);
    this.norms = new Float64Array(cap);
    this.residuals = new Float64Array(cap);
  }

  private bytesFor(cap: number): number {
    return cap * this.stride + 2 * this.stride + cap * 4;
  }

  grow(cap: number): void {
    const need = Math.ceil(this.bytesFor(cap) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) this.memory.grow(need);
    this.bytes = new Int8Array(this.memory.buffer);
    const larger = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.scales = larger(this.scales);
    this.norms = larger(this.norms);
    this.residuals = larger(this.residuals);
    this.cap = cap;
  }

  /**
   * Quantizes v to `out` (from `offset`; the rest of the stride is zeroed) as v ≈ s·a with integer |a_i| ≤ 127;
   * returns [s, ‖s·a‖₂, ‖v − s·a‖₂].
   */
  private quantizeInto(v: Float32Array, out: Int8Array | Int16Array, offset: number): [number, number, number] {
    let maxAbs = 0;
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(v[i]!);
      if (a > maxAbs) maxAbs = a;
    }
    if (maxAbs === 0) {
      out.fill(0, offset, offset + this.stride);
      return [0, 0, 0];
    }
    const scale = maxAbs / 127;
    const inv = 127 / maxAbs;
    let aa = 0;
    let ee = 0;
    for (let i = 0; i < v.length; i++) {
      let x = Math.round(v[i]! * inv);
      if (x > 127) x = 127;
      else if (x < -127) x = -127;
      out[offset + i] = x;
      aa += x * x;
      const e = v[i]! - scale * x;
      ee += e * e;
    }
    out.fill(0, offset + v.length, offset + this.stride);
    return [scale, scale * Math.sqrt(aa), Math.sqrt(ee)];
  }

  set(row: number, v: Float32Array): void {
    const [scale, norm, residual] = this.quantizeInto(v, this.bytes, row * this.stride);
    this.scales[row] = scale;
    this.norms[row] = norm;
    this.residuals[row] = residual;
  }

  move(from: number, to: number): void {
    this.bytes.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
    this.scales[to] = this.scales[from]!;
    this.norms[to] = this.norms[from]!;
    this.residuals[to] = this.residuals[from]!;
  }

  /** Quantizes q and computes its integer dot product with every row 0..n-1; returns [scores, t, ‖q − t·b‖₂]. */
  score(q: Float32Array, n: number): [Int32Array, number, number] {
    const qOff = this.cap * this.stride; // 64-byte aligned
    const outOff = qOff + 2 * this.stride;
    const [t, , residual] = this.quantizeInto(q, new Int16Array(this.memory.buffer, qOff, this.stride), 0);
    this.dots(qOff, 0, n, this.stride, outOff);
    return [new Int32Array(this.memory.buffer, outOff, n), t, residual];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Top-k: a bounded min-heap whose root is the worst kept hit (lowest score; on equal scores, the larger id).

class TopK {
  readonly scores: Float64Array;
  readonly rows: Int32Array;
  size = 0;

  constructor(
    readonly k: number,
    private readonly ids: string[],
  ) {
    this.scores = new Float64Array(k);
    this.rows = new Int32Array(k);
  }

  private worse(sa: number, ra: number, sb: number, rb: number): boolean {
    return sa < sb || (sa === sb && this.ids[ra]! > this.ids[rb]!);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** Whether (score, row) would enter a full heap (always true while it is not full). */
  admits(score: number, row: number): boolean {
    return this.size < this.k || this.worse(this.scores[0]!, this.rows[0]!, score, row);
  }

  push(score: number, row: number): void {
    const { scores, rows } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(score, row, scores[p]!, rows[p]!)) break;
        scores[i] = scores[p]!;
        rows[i] = rows[p]!;
        i = p;
      }
      scores[i] = score;
      rows[i] = row;
      return;
    }
    // replace the root and sift down
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.worse(scores[r]!, rows[r]!, scores[l]!, rows[l]!) ? r : l;
      if (!this.worse(scores[c]!, rows[c]!, score, row)) break;
      scores[i] = scores[c]!;
      rows[i] = rows[c]!;
      i = c;
    }
    scores[i] = score;
    rows[i] = row;
  }

  /** Best first. */
  result(): SearchHit[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (this.worse(this.scores[a]!, this.rows[a]!, this.scores[b]!, this.rows[b]!) ? 1 : -1));
    return order.map((i) => ({ id: this.ids[this.rows[i]!]!, score: this.scores[i]! }));
  }
}

/** Min-heap of plain numbers with a fixed capacity (the k best lower bounds). */
class MinHeap {
  private readonly a: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.a = new Float64Array(k);
  }
  get min(): number {
    return this.a[0]!;
  }
  /** Keeps the k largest values pushed. */
  offer(x: number): void {
    const a = this.a;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (a[p]! <= x) break;
        a[i] = a[p]!;
        i = p;
      }
      a[i] = x;
      return;
    }
    if (x <= a[0]!) return;
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && a[r]! < a[l]! ? r : l;
      if (a[c]! >= x) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = x;
  }
}

// ---------------------------------------------------------------------------------------------------------------

export class VectorIndex {
  readonly dim: number;
  private cap: number;
  private n = 0;
  private matrix: Float32Array;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private readonly int8: Int8Rows | undefined;
  private candRows = new Int32Array(256);
  private candUpper = new Float64Array(256);

  constructor(dim: number, opts: VectorIndexOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.cap = Math.max(1, Math.floor(opts.initialCapacity ?? 64));
    this.matrix = new Float32Array(this.cap * dim);
    const kernel = opts.quantize === false || dim > MAX_QUANTIZED_DIM ? null : kernelModule();
    this.int8 = kernel ? new Int8Rows(kernel, dim, this.cap) : undefined;
  }

  get size(): number {
    return this.n;
  }

  /** Whether searches use the int8 WebAssembly prefilter. */
  get quantized(): boolean {
    return this.int8 !== undefined;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** A copy of the stored vector. */
  get(id: string): Float32Array | undefined {
    const r = this.rowOf.get(id);
    return r === undefined ? undefined : this.matrix.slice(r * this.dim, (r + 1) * this.dim);
  }

  /** Inserts or replaces the vector of `id` (copied; not normalized: scores are plain dot products). */
  upsert(id: string, v: Float32Array): void {
    this.check(v, "vector");
    let r = this.rowOf.get(id);
    if (r === undefined) {
      if (this.n === this.cap) this.grow();
      r = this.n++;
      this.ids[r] = id;
      this.rowOf.set(id, r);
    }
    this.matrix.set(v, r * this.dim);
    this.int8?.set(r, v);
  }

  /** Removes `id`; returns whether it was there. The last row moves into its place. */
  remove(id: string): boolean {
    const r = this.rowOf.get(id);
    if (r === undefined) return false;
    this.rowOf.delete(id);
    const last = --this.n;
    if (r !== last) {
      const moved = this.ids[last]!;
      this.matrix.copyWithin(r * this.dim, last * this.dim, (last + 1) * this.dim);
      this.int8?.move(last, r);
      this.ids[r] = moved;
      this.rowOf.set(moved, r);
    }
    this.ids.length = last;
    return true;
  }

  /** The k rows with the highest dot product with q, best first (ties: smaller id first). */
  search(q: Float32Array, k: number, filter?: (id: string) => boolean): SearchHit[] {
    this.check(q, "query");
    k = Math.min(Math.floor(k), this.n);
    if (!(k > 0)) return [];
    const top = new TopK(k, this.ids);
    if (this.int8) this.searchQuantized(q, top, filter);
    else this.searchExact(q, top, filter);
    return top.result();
  }

  private searchExact(q: Float32Array, top: TopK, filter: ((id: string) => boolean) | undefined): void {
    for (let r = 0; r < this.n; r++) {
      const s = this.exact(q, r);
      if (!top.admits(s, r)) continue;
      if (filter && !filter(this.ids[r]!)) continue;
      top.push(s, r);
    }
  }

  private searchQuantized(q: Float32Array, top: TopK, filter: ((id: string) => boolean) | undefined): void {
    const int8 = this.int8!;
    const n = this.n;
    const [dots, t, qResidual] = int8.score(q, n);
    let qq = 0;
    for (let i = 0; i < q.length; i++) qq += q[i]! * q[i]!;
    const qNorm = Math.sqrt(qq);
    // Floating-point slack: a 1e-9 fraction of the largest possible |score| (‖q‖·‖v‖ ≤ ‖q‖·(‖s·a‖ + ‖e‖)),
    // far above the rounding error of these sums (~dim · 2⁻⁵³) and far below any gap that matters.
    const slack = 1e-9 * (qNorm + qResidual);
    const { scales, norms, residuals } = int8;
    const lower = new MinHeap(top.k);
    let bound = -Infinity; // the k-th best lower bound so far
    let nc = 0;
    for (let r = 0; r < n; r++) {
      const norm = norms[r]!;
      const residual = residuals[r]!;
      const approx = scales[r]! * t * dots[r]!;
      const err = qNorm * residual + qResidual * norm + slack * (norm + residual);
      const upper = approx + err;
      if (upper < bound) continue;
      if (filter && !filter(this.ids[r]!)) continue;
      if (nc === this.candRows.length) this.growCandidates();
      this.candRows[nc] = r;
      this.candUpper[nc++] = upper;
      lower.offer(approx - err);
      if (lower.size === lower.k) bound = lower.min;
    }
    for (let i = 0; i < nc; i++) {
      if (this.candUpper[i]! < bound) continue;
      const r = this.candRows[i]!;
      const s = this.exact(q, r);
      if (top.admits(s, r)) top.push(s, r);
    }
  }

  /** q · row r in double precision. */
  private exact(q: Float32Array, r: number): number {
    const m = this.matrix;
    const dim = this.dim;
    const base = r * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let j = 0;
    for (; j + 4 <= dim; j += 4) {
      a0 += q[j]! * m[base + j]!;
      a1 += q[j + 1]! * m[base + j + 1]!;
      a2 += q[j + 2]! * m[base + j + 2]!;
      a3 += q[j + 3]! * m[base + j + 3]!;
    }
    for (; j < dim; j++) a0 += q[j]! * m[base + j]!;
    return a0 + a1 + (a2 + a3);
  }

  private check(v: Float32Array, what: string): void {
    if (!(v instanceof Float32Array)) throw new TypeError(`${what} must be a Float32Array`);
    if (v.length !== this.dim) throw new Error(`${what} has dimension ${v.length}, index has ${this.dim}`);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new Error(`${what} has a non-finite component at ${i}`);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const m = new Float32Array(cap * this.dim);
    m.set(this.matrix.subarray(0, this.n * this.dim));
    this.matrix = m;
    this.int8?.grow(cap);
    this.cap = cap;
  }

  private growCandidates(): void {
    const rows = new Int32Array(this.candRows.length * 2);
    rows.set(this.candRows);
    const upper = new Float64Array(this.candUpper.length * 2);
    upper.set(this.candUpper);
    this.candRows = rows;
    this.candUpper = upper;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Serialization

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** float32 little-endian bytes, e.g. for a `bytea` column (dim × 4 bytes). */
export function toBytes(v: Float32Array): Buffer<ArrayBuffer> {
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)); // a copy
  const b = Buffer.allocUnsafe(v.length * 4);
  for (let i = 0; i < v.length; i++) b.writeFloatLE(v[i]!, i * 4);
  return b;
}

/** The inverse of toBytes (copies, so `b` may be unaligned, e.g. a slice of a driver's buffer). */
export function fromBytes(b: Uint8Array): Float32Array {
  if (b.byteLength % 4 !== 0) throw new Error(`vector bytes must be a multiple of 4, got ${b.byteLength}`);
  const out = new Float32Array(b.byteLength / 4);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
  else {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** The pgvector text literal `[0.1,-0.2,…]` (9 significant digits: every float32 round-trips). */
export function toPgVector(v: Float32Array): string {
  const parts = new Array<string>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) throw new Error(`pgvector cannot store a non-finite component (index ${i})`);
    parts[i] = shortFloat32(x);
  }
  return `[${parts.join(",")}]`;
}

/** Parses pgvector's text output `[0.1,-0.2,…]`. */
export function fromPgVector(s: string): Float32Array {
  const t = s.trim();
  if (!t.startsWith("[") || !t.endsWith("]")) throw new Error("not a pgvector literal");
  const body = t.slice(1, -1).trim();
  if (body === "") return new Float32Array(0);
  const parts = body.split(",");
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!.trim();
    const x = Number(p);
    if (p === "" || !Number.isFinite(x)) throw new Error(`bad pgvector component at index ${i}`);
    out[i] = x;
  }
  return out;
}

/** The shortest decimal (≤ 9 significant digits) that parses back to the same float32. */
function shortFloat32(x: number): string {
  if (x === 0) return "0";
  for (let p = 6; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}
