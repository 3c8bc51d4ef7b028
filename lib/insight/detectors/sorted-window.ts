/**
 * The values of a sliding window kept sorted in one Float64Array: k-th value in O(1), rank in O(log n),
 * median in O(1) and the median absolute deviation in O(log n). Sliding costs one memmove of the values
 * between the leaving and the arriving value's positions (a third of the window on average): for windows of
 * a few thousand values that is a few kilobytes copied, far cheaper than the pointer chasing of a balanced
 * tree (the ensemble's robust channel spent most of its time there).
 */
export class SortedWindow {
  // Grows by doubling up to `capacity` (see FloatRing): young series stay small.
  private a: Float64Array;
  private n = 0;
  /** Search hint: how many of the smallest deviations came from below m last time. */
  private devHint = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
    this.a = new Float64Array(Math.min(capacity, 32));
  }

  get size(): number {
    return this.n;
  }

  /** Index of the first value ≥ x (values < x come before it). */
  countLess(x: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.a[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first value > x. */
  private countLessOrEqual(x: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.a[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(x: number): void {
    if (Number.isNaN(x)) throw new RangeError("SortedWindow: NaN cannot be ordered");
    if (this.n === this.capacity) throw new RangeError("SortedWindow is full");
    if (this.n === this.a.length) {
      const grown = new Float64Array(Math.min(this.capacity, this.a.length * 2));
      grown.set(this.a);
      this.a = grown;
    }
    const i = this.countLessOrEqual(x);
    this.a.copyWithin(i + 1, i, this.n);
    this.a[i] = x;
    this.n++;
  }

  /** Removes one occurrence of x; false when x is not stored. */
  remove(x: number): boolean {
    const i = this.countLess(x);
    if (i >= this.n || this.a[i] !== x) return false;
    this.a.copyWithin(i, i + 1, this.n);
    this.n--;
    return true;
  }

  /**
   * Removes one occurrence of `old` and inserts `x`, moving only the values between the two positions.
   * False (and nothing changed) when `old` is not stored.
   */
  replace(old: number, x: number): boolean {
    if (Number.isNaN(x)) throw new RangeError("SortedWindow: NaN cannot be ordered");
    const r = this.countLess(old);
    if (r >= this.n || this.a[r] !== old) return false;
    if (x >= old) {
      // Slide the values in (r, p) one step left, where p is the first index after r holding a value > x.
      const p = this.countLessOrEqual(x);
      this.a.copyWithin(r, r + 1, p);
      this.a[p - 1] = x;
    } else {
      // Slide the values in [q, r) one step right, where q is the first index holding a value > x.
      const q = this.countLessOrEqual(x);
      this.a.copyWithin(q + 1, q, r);
      this.a[q] = x;
    }
    return true;
  }

  kth(k: number): number {
    if (!(k >= 0 && k < this.n)) throw new RangeError(`kth(${k}) out of range (size ${this.n})`);
    return this.a[k]!;
  }

  /** Median (mean of the two middle values for an even count). */
  median(): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const h = n >> 1;
    return n & 1 ? this.a[h]! : (this.a[h - 1]! + this.a[h]!) / 2;
  }

  /**
   * With A(i) = m − a[split − 1 − i] and B(j) = a[split + j] − m (both ascending): 0 if taking i values from
   * A and need − i from B gives the `need` smallest deviations, +1 if i must grow, −1 if it must shrink.
   */
  private checkTake(i: number, m: number, split: number, need: number, na: number, nb: number): number {
    const a = this.a;
    const j = need - i;
    if (i < na && j > 0 && a[split + j - 1]! - m > m - a[split - 1 - i]!) return 1;
    if (i > 0 && j < nb && m - a[split - i]! > a[split + j]! - m) return -1;
    return 0;
  }

  /**
   * k-th smallest (0-based) of |v − m|: the deviations below m and above m are two sorted sequences, and the
   * k-th of their union is found by searching how many come from the lower one, starting from the previous
   * answer (a sliding window moves it little). The hint only steers the search; the result depends on the
   * values alone.
   */
  kthAbsDeviation(m: number, k: number): number {
    const n = this.n;
    if (!(k >= 0 && k < n)) throw new RangeError(`kthAbsDeviation(${k}) out of range (size ${n})`);
    const split = this.countLess(m);
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
    const a = this.a;
    const j = need - i;
    if (i === 0) return a[split + j - 1]! - m;
    if (j === 0) return m - a[split - i]!;
    return Math.max(m - a[split - i]!, a[split + j - 1]! - m);
  }

  /** Median absolute deviation around m (unscaled); for an even count the mean of the two middle deviations. */
  medianAbsDeviation(m: number): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const h = n >> 1;
    if (n & 1) return this.kthAbsDeviation(m, h);
    const lower = this.kthAbsDeviation(m, h - 1); // sets devHint = i for need = h
    const split = this.countLess(m);
    const i = this.devHint;
    const j = h - i;
    const a = i < split ? m - this.a[split - 1 - i]! : Infinity;
    const b = j < n - split ? this.a[split + j]! - m : Infinity;
    return (lower + (a < b ? a : b)) / 2;
  }

  clear(): void {
    this.n = 0;
    this.devHint = 0;
  }
}
