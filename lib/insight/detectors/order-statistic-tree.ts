/**
 * A multiset of doubles with O(log n) insert, remove, k-th smallest and rank:
 * a treap stored in typed arrays (no allocation per operation). Priorities
 * come from a fixed-seed xorshift generator, so the structure is deterministic.
 *
 * Query results (k-th values, ranks) depend only on the multiset, never on the
 * tree's shape, so a tree rebuilt from a checkpoint answers bit-identically.
 */
export class OrderStatisticTree {
  readonly capacity: number;
  private key: Float64Array;
  private pri: Uint32Array;
  private left: Int32Array;
  private right: Int32Array;
  private sz: Int32Array;
  private freeList: Int32Array;
  private freeTop: number;
  private root = 0; // 0 is the nil node
  private rng = 0x2545f491;
  // split() results
  private sl = 0;
  private sr = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new Error("capacity must be >= 1");
    this.capacity = capacity;
    const n = capacity + 1;
    this.key = new Float64Array(n);
    this.pri = new Uint32Array(n);
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    this.sz = new Int32Array(n);
    this.freeList = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeList[i] = capacity - i;
    this.freeTop = capacity;
  }

  get size(): number {
    return this.sz[this.root]!;
  }

  private nextPriority(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  private upd(t: number): void {
    this.sz[t] = this.sz[this.left[t]!]! + this.sz[this.right[t]!]! + 1;
  }

  /** Splits t into keys < k (this.sl) and keys >= k (this.sr). */
  private split(t: number, k: number): void {
    if (t === 0) {
      this.sl = 0;
      this.sr = 0;
      return;
    }
    if (this.key[t]! < k) {
      this.split(this.right[t]!, k);
      this.right[t] = this.sl;
      this.upd(t);
      this.sl = t;
    } else {
      this.split(this.left[t]!, k);
      this.left[t] = this.sr;
      this.upd(t);
      this.sr = t;
    }
  }

  private merge(a: number, b: number): number {
    if (a === 0) return b;
    if (b === 0) return a;
    if (this.pri[a]! > this.pri[b]!) {
      this.right[a] = this.merge(this.right[a]!, b);
      this.upd(a);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b]!);
    this.upd(b);
    return b;
  }

  private insertAt(t: number, node: number): number {
    if (t === 0) return node;
    if (this.pri[node]! > this.pri[t]!) {
      this.split(t, this.key[node]!);
      this.left[node] = this.sl;
      this.right[node] = this.sr;
      this.upd(node);
      return node;
    }
    if (this.key[node]! < this.key[t]!) this.left[t] = this.insertAt(this.left[t]!, node);
    else this.right[t] = this.insertAt(this.right[t]!, node);
    this.upd(t);
    return t;
  }

  insert(x: number): void {
    if (Number.isNaN(x)) throw new Error("cannot insert NaN");
    if (this.freeTop === 0) throw new Error("OrderStatisticTree is full");
    const node = this.freeList[--this.freeTop]!;
    this.key[node] = x;
    this.pri[node] = this.nextPriority();
    this.left[node] = 0;
    this.right[node] = 0;
    this.sz[node] = 1;
    this.root = this.insertAt(this.root, node);
  }

  private removed = false;

  private removeAt(t: number, x: number): number {
    if (t === 0) return 0;
    const k = this.key[t]!;
    if (x === k) {
      const m = this.merge(this.left[t]!, this.right[t]!);
      this.freeList[this.freeTop++] = t;
      this.removed = true;
      return m;
    }
    if (x < k) this.left[t] = this.removeAt(this.left[t]!, x);
    else this.right[t] = this.removeAt(this.right[t]!, x);
    this.upd(t);
    return t;
  }

  /** Removes one occurrence of x; returns false if absent. */
  remove(x: number): boolean {
    this.removed = false;
    this.root = this.removeAt(this.root, x);
    return this.removed;
  }

  /** The k-th smallest value, k = 0 … size−1. */
  kth(k: number): number {
    if (!(k >= 0 && k < this.size)) throw new RangeError(`kth(${k}) out of range (size ${this.size})`);
    let t = this.root;
    let kk = k;
    for (;;) {
      const ls = this.sz[this.left[t]!]!;
      if (kk < ls) t = this.left[t]!;
      else if (kk === ls) return this.key[t]!;
      else {
        kk -= ls + 1;
        t = this.right[t]!;
      }
    }
  }

  /** Number of stored values strictly less than x. */
  countLess(x: number): number {
    let t = this.root;
    let c = 0;
    while (t !== 0) {
      if (this.key[t]! < x) {
        c += this.sz[this.left[t]!]! + 1;
        t = this.right[t]!;
      } else t = this.left[t]!;
    }
    return c;
  }

  /** Median (mean of the two middle values for an even count). */
  median(): number {
    const n = this.size;
    if (n === 0) return Number.NaN;
    const h = n >> 1;
    return n & 1 ? this.kth(h) : (this.kth(h - 1) + this.kth(h)) / 2;
  }

  /**
   * With A(i) = m − kth(split − 1 − i) and B(j) = kth(split + j) − m (both
   * ascending): 0 if taking i values from A and need − i from B gives the
   * `need` smallest deviations, +1 if i must grow, −1 if it must shrink.
   * (A method rather than a closure: no allocation per query.)
   */
  private checkTake(i: number, m: number, split: number, need: number, na: number, nb: number): number {
    const j = need - i;
    if (i < na && j > 0 && this.kth(split + j - 1) - m > m - this.kth(split - 1 - i)) return 1;
    if (i > 0 && j < nb && m - this.kth(split - i) > this.kth(split + j) - m) return -1;
    return 0;
  }

  /** Search hint: how many of the smallest deviations came from below m last time. */
  private devHint = 0;

  /**
   * k-th smallest (0-based) of |v − m| over the stored values, in O(log² n)
   * worst case: the deviations below m (m − v, v < m) and above m (v − m,
   * v ≥ m) form two sorted sequences readable by rank, and the k-th of their
   * union is found by searching how many come from the lower one. The search
   * starts from the previous answer (galloping), so a sliding window usually
   * needs a handful of rank queries. The hint only steers the search; the
   * result depends on the multiset alone.
   */
  kthAbsDeviation(m: number, k: number): number {
    const n = this.size;
    if (!(k >= 0 && k < n)) throw new RangeError(`kthAbsDeviation(${k}) out of range (size ${n})`);
    const split = this.countLess(m); // values of rank [0, split) are < m
    const na = split;
    const nb = n - split;
    const need = k + 1;
    let lo = Math.max(0, need - nb);
    let hi = Math.min(need, na);
    let i = Math.min(Math.max(this.devHint, lo), hi);
    let c = this.checkTake(i, m, split, need, na, nb);
    if (c > 0) {
      lo = i + 1;
      for (let step = 1; ; step *= 2) {
        const t = i + step;
        if (t >= hi) break;
        const ct = this.checkTake(t, m, split, need, na, nb);
        if (ct === 0) {
          lo = hi = t;
          break;
        }
        if (ct < 0) {
          hi = t - 1;
          break;
        }
        lo = t + 1;
      }
    } else if (c < 0) {
      hi = i - 1;
      for (let step = 1; ; step *= 2) {
        const t = i - step;
        if (t <= lo) break;
        const ct = this.checkTake(t, m, split, need, na, nb);
        if (ct === 0) {
          lo = hi = t;
          break;
        }
        if (ct > 0) {
          lo = t + 1;
          break;
        }
        hi = t - 1;
      }
    }
    while (c !== 0) {
      if (lo > hi) throw new Error("kthAbsDeviation: inconsistent order (NaN stored?)");
      i = (lo + hi) >> 1;
      c = this.checkTake(i, m, split, need, na, nb);
      if (c > 0) lo = i + 1;
      else if (c < 0) hi = i - 1;
    }
    this.devHint = i;
    const j = need - i;
    if (i === 0) return this.kth(split + j - 1) - m;
    if (j === 0) return m - this.kth(split - i);
    return Math.max(m - this.kth(split - i), this.kth(split + j - 1) - m);
  }

  /**
   * Median absolute deviation around m (unscaled). For an even count the two
   * middle deviations come from one search: the next one after the `n/2`
   * smallest is the smaller of the two sequences' next elements.
   */
  medianAbsDeviation(m: number): number {
    const n = this.size;
    if (n === 0) return Number.NaN;
    const h = n >> 1;
    if (n & 1) return this.kthAbsDeviation(m, h);
    const lower = this.kthAbsDeviation(m, h - 1); // sets devHint = i for need = h
    const split = this.countLess(m);
    const i = this.devHint;
    const j = h - i;
    const a = i < split ? m - this.kth(split - 1 - i) : Infinity;
    const b = j < n - split ? this.kth(split + j) - m : Infinity;
    return (lower + (a < b ? a : b)) / 2;
  }

  clear(): void {
    this.root = 0;
    for (let i = 0; i < this.capacity; i++) this.freeList[i] = this.capacity - i;
    this.freeTop = this.capacity;
  }
}
