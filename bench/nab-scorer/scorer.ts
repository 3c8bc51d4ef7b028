/**
 * NAB scoring, replicated from NAB v1.1 (numenta/NAB `nab/sweeper.py`, which
 * `nab/scorer.py` and `nab/optimizer.py` call since the 2019 sweep rewrite):
 *
 * - Rows are visited in file order. A window is entered on the row whose
 *   timestamp equals the window start and left after the first row whose
 *   timestamp equals the window end. Window width = index(end) − index(start) + 1
 *   (first occurrences, as Python's `list.index`).
 * - Inside a window, row i has position −(rightIndex − i + 1) / width, and is
 *   worth scaledSigmoid(position) · tpWeight / scaledSigmoid(−1): exactly tpWeight
 *   at the left edge, falling towards 0 at the right edge. Only the best (= the
 *   earliest) detection of a window counts; a window without one costs −fnWeight.
 * - Outside windows, a detection costs scaledSigmoid(|prevRight − i| / (prevWidth − 1))
 *   · fpWeight after a window (≈ −0 just after it, → −fpWeight three widths
 *   later), and the full −fpWeight before the first window.
 * - The first min(floor(0.15·n), 0.15·5000) rows of each file are probationary
 *   and ignored (their windows too, if a window lay entirely inside).
 * - A row is a detection when anomaly_score ≥ threshold. The optimizer sweeps
 *   every distinct score of the whole corpus (plus 1.1 = no detections) and keeps
 *   the best one per profile; the score step then scores each file at that
 *   threshold and sums. Normalized = 100 · (raw − null) / (perfect − null), with
 *   null = −fnWeight · #windows and perfect = tpWeight · #windows.
 *
 * Floating-point order is kept as in Python where it is cheap to (sum of the
 * score parts in dict insertion order), so ties and near-ties resolve the same.
 */
import type { CostMatrix } from "./corpus";

export const PROBATION_PERCENT = 0.15;

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** NAB's scaledSigmoid: 2·sigmoid(−5·pos) − 1, and −1 beyond pos > 3. */
export function scaledSigmoid(relativePositionInWindow: number): number {
  if (relativePositionInWindow > 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePositionInWindow) - 1.0;
}

/** min(floor(p·n), p·5000): 750 rows at most with the default 15 %. */
export function probationaryLength(numRows: number, probationPercent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(probationPercent * numRows), probationPercent * 5000);
}

export const KIND_OUTSIDE = 0;
export const KIND_WINDOW = 1;
export const KIND_PROBATION = 2;

/** Per-row scoring geometry of one file; depends on timestamps and windows only. */
export interface FileSweepInfo {
  name: string;
  n: number;
  /** KIND_OUTSIDE, KIND_WINDOW or KIND_PROBATION per row. */
  kind: Uint8Array;
  /** Window number (0-based, in file order) for rows inside a window; −1 elsewhere (also in probation). */
  windowIdx: Int32Array;
  /** scaledSigmoid(position) per row (before the cost weights); NaN in probation. */
  unweighted: Float64Array;
  /** 1 if inside a window (probation included); NAB's informational `label`. */
  inWindow: Uint8Array;
  /** Number of label windows in the file. */
  numWindows: number;
}

/**
 * The row-by-row pass of sweeper.calcSweepScore, without the cost weights (so one
 * pass serves every profile).
 */
export function computeSweepInfo(
  name: string,
  timestamps: ArrayLike<number>,
  windowLimits: ReadonlyArray<readonly [number, number]>,
  probationPercent = PROBATION_PERCENT,
): FileSweepInfo {
  const n = timestamps.length;
  const kind = new Uint8Array(n);
  const windowIdx = new Int32Array(n).fill(-1);
  const unweighted = new Float64Array(n);
  const inWindow = new Uint8Array(n);
  const probLen = probationaryLength(n, probationPercent);

  const firstIndex = (t: number): number => {
    for (let j = 0; j < n; j++) if (timestamps[j] === t) return j;
    throw new Error(`${name}: window limit ${new Date(t).toISOString()} is not a row timestamp`);
  };

  const pending = windowLimits.map((w) => [w[0], w[1]] as [number, number]);
  let nextWindow = 0;
  let cur: [number, number] | null = null;
  let curIdx = -1;
  let curWidth = 0;
  let curRight = 0;
  let prevWidth: number | null = null;
  let prevRight: number | null = null;

  for (let i = 0; i < n; i++) {
    const t = timestamps[i]!;
    if (nextWindow < pending.length && t === pending[nextWindow]![0]) {
      cur = pending[nextWindow]!;
      curIdx = nextWindow;
      nextWindow++;
      curRight = firstIndex(cur[1]);
      curWidth = curRight - firstIndex(cur[0]) + 1;
    }
    let u: number;
    if (cur !== null) {
      const position = -(curRight - i + 1) / curWidth;
      u = scaledSigmoid(position);
      inWindow[i] = 1;
    } else if (prevRight === null) {
      u = -1.0;
    } else {
      const positionPastWindow = Math.abs(prevRight - i) / (prevWidth! - 1);
      u = scaledSigmoid(positionPastWindow);
    }
    if (i >= probLen) {
      kind[i] = cur !== null ? KIND_WINDOW : KIND_OUTSIDE;
      windowIdx[i] = cur !== null ? curIdx : -1;
      unweighted[i] = u;
    } else {
      kind[i] = KIND_PROBATION;
      unweighted[i] = Number.NaN;
    }
    if (cur !== null && t === cur[1]) {
      prevRight = i;
      prevWidth = curWidth;
      cur = null;
      curIdx = -1;
    }
  }
  return { name, n, kind, windowIdx, unweighted, inWindow, numWindows: windowLimits.length };
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  total: number;
}

const MAX_TP = scaledSigmoid(-1.0);

function checkScores(info: FileSweepInfo, scores: ArrayLike<number>): void {
  if (scores.length !== info.n) {
    throw new Error(`${info.name}: ${scores.length} scores for ${info.n} rows`);
  }
}

/**
 * Row indices ordered by score, descending, ties kept in row order — the order
 * of Python's stable `sorted(..., reverse=True)` — via a native sort of the
 * values and a counting sort over distinct values (no comparator calls).
 */
export function stableOrderDescending(score: Float64Array): Uint32Array {
  const m = score.length;
  const sorted = Float64Array.from(score).sort(); // ascending
  // Distinct values, descending.
  const distinct = new Float64Array(m);
  let d = 0;
  for (let i = m - 1; i >= 0; i--) {
    const v = sorted[i]!;
    if (d === 0 || v !== distinct[d - 1]) distinct[d++] = v;
  }
  const group = new Uint32Array(m);
  const counts = new Uint32Array(d + 1);
  for (let i = 0; i < m; i++) {
    const v = score[i]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! > v) lo = mid + 1;
      else hi = mid;
    }
    group[i] = lo;
    counts[lo + 1]!++;
  }
  for (let g = 1; g <= d; g++) counts[g] = counts[g]! + counts[g - 1]!;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[counts[group[i]!]!++] = i;
  return order;
}

/**
 * sweeper.calcScoreByThreshold over one or more files: the score for every
 * distinct anomaly score used as threshold, from 1.1 (no detections) down.
 */
export function calcScoreByThreshold(
  infos: readonly FileSweepInfo[],
  scoresPerFile: ReadonlyArray<ArrayLike<number>>,
  cost: CostMatrix,
): ThresholdScore[] {
  // Flatten the scorable rows.
  let m = 0;
  infos.forEach((info, f) => {
    checkScores(info, scoresPerFile[f]!);
    for (let i = 0; i < info.n; i++) if (info.kind[i] !== KIND_PROBATION) m++;
  });
  const score = new Float64Array(m);
  const sweep = new Float64Array(m);
  const win = new Int32Array(m); // global window id, −1 outside
  let k = 0;
  let windowBase = 0;
  infos.forEach((info, f) => {
    const s = scoresPerFile[f]!;
    for (let i = 0; i < info.n; i++) {
      const kd = info.kind[i];
      if (kd === KIND_PROBATION) continue;
      const a = s[i]!;
      if (!(a >= 0 && a <= 1)) throw new Error(`${info.name}: row ${i} anomaly score ${a} outside [0,1]`);
      score[k] = a;
      if (kd === KIND_WINDOW) {
        sweep[k] = (info.unweighted[i]! * cost.tpWeight) / MAX_TP;
        win[k] = windowBase + info.windowIdx[i]!;
      } else {
        sweep[k] = info.unweighted[i]! * cost.fpWeight;
        win[k] = -1;
      }
      k++;
    }
    windowBase += info.numWindows;
  });

  const order = stableOrderDescending(score);

  // Score parts in Python dict order: "fp" first, then windows by first appearance.
  const partSlot = new Int32Array(windowBase).fill(-1);
  let numParts = 0;
  for (let r = 0; r < m; r++) {
    const w = win[order[r]!]!;
    if (w >= 0 && partSlot[w] === -1) partSlot[w] = numParts++;
  }
  const parts = new Float64Array(numParts).fill(-cost.fnWeight);
  let fpPart = 0;
  const sumParts = (): number => {
    let s = 0 + fpPart;
    for (let j = 0; j < numParts; j++) s += parts[j]!;
    return s;
  };

  let tn = 0;
  let fn = 0;
  for (let i = 0; i < m; i++) {
    if (win[i] === -1) tn++;
    else fn++;
  }
  let tp = 0;
  let fp = 0;
  const out: ThresholdScore[] = [];
  let curThreshold = 1.1;
  for (let r = 0; r < m; r++) {
    const p = order[r]!;
    if (score[p] !== curThreshold) {
      out.push({ threshold: curThreshold, score: sumParts(), tp, tn, fp, fn, total: tp + tn + fp + fn });
      curThreshold = score[p]!;
    }
    const w = win[p]!;
    if (w >= 0) {
      tp++;
      fn--;
      const slot = partSlot[w]!;
      if (sweep[p]! > parts[slot]!) parts[slot] = sweep[p]!;
    } else {
      fp++;
      tn--;
      fpPart += sweep[p]!;
    }
  }
  out.push({ threshold: curThreshold, score: sumParts(), tp, tn, fp, fn, total: tp + tn + fp + fn });
  return out;
}

/** The row NAB's sweeper.scoreDataSet picks for a threshold (null if below every score of the file). */
export function matchThreshold(rows: readonly ThresholdScore[], threshold: number): ThresholdScore | null {
  let prev: ThresholdScore | null = null;
  for (const row of rows) {
    if (row.threshold === threshold) return row;
    if (row.threshold < threshold) return prev;
    prev = row;
  }
  return null;
}

export interface FileScore extends ThresholdScore {
  name: string;
}

export interface ProfileResult {
  profile: string;
  threshold: number;
  /** The optimizer's corpus score at that threshold. */
  optimizedRaw: number;
  /** Sum of per-file scores at the threshold (what NAB's score step reports). */
  raw: number;
  nullRaw: number;
  perfectRaw: number;
  normalized: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  perFile: FileScore[];
}

/** Number of windows in the corpus (the `tpCount` of NAB's normalize step). */
export function countWindows(infos: readonly FileSweepInfo[]): number {
  return infos.reduce((s, i) => s + i.numWindows, 0);
}

/** 100 · (raw − null) / (perfect − null). */
export function normalizeScore(raw: number, numWindows: number, cost: CostMatrix): number {
  const nullRaw = -numWindows * cost.fnWeight;
  const perfect = numWindows * cost.tpWeight;
  return (100 * (raw - nullRaw)) / (perfect - nullRaw);
}

/**
 * NAB's optimize + score + normalize for one profile: best corpus threshold
 * (first of the highest scores, as Python's stable sort), then per-file scoring.
 */
export function scoreProfile(
  infos: readonly FileSweepInfo[],
  scoresPerFile: ReadonlyArray<ArrayLike<number>>,
  profile: string,
  cost: CostMatrix,
  options: { perFile?: boolean; threshold?: number } = {},
): ProfileResult {
  let threshold: number;
  let optimizedRaw: number;
  if (options.threshold !== undefined) {
    threshold = options.threshold;
    optimizedRaw = Number.NaN;
  } else {
    const rows = calcScoreByThreshold(infos, scoresPerFile, cost);
    let best = rows[0]!;
    for (const r of rows) if (r.score > best.score) best = r;
    threshold = best.threshold;
    optimizedRaw = best.score;
  }
  const numWindows = countWindows(infos);
  let raw = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const perFile: FileScore[] = [];
  if (options.perFile !== false || options.threshold !== undefined) {
    infos.forEach((info, f) => {
      const rows = calcScoreByThreshold([info], [scoresPerFile[f]!], cost);
      // NAB would crash on null (threshold below all of the file's scores); every row is then a detection.
      const row = matchThreshold(rows, threshold) ?? rows[rows.length - 1]!;
      raw += row.score;
      tp += row.tp;
      fp += row.fp;
      fn += row.fn;
      tn += row.tn;
      perFile.push({ name: info.name, ...row });
    });
  } else {
    raw = optimizedRaw;
  }
  return {
    profile,
    threshold,
    optimizedRaw,
    raw,
    nullRaw: -numWindows * cost.fnWeight,
    perfectRaw: numWindows * cost.tpWeight,
    normalized: normalizeScore(raw, numWindows, cost),
    tp,
    fp,
    fn,
    tn,
    perFile,
  };
}

/**
 * Counts of *alarm events* rather than rows, for diagnostics: windows detected,
 * and detections outside windows (rows).
 */
export function detectionSummary(
  info: FileSweepInfo,
  scores: ArrayLike<number>,
  threshold: number,
): { windowsHit: number; firstHitPositions: number[]; fpRows: number } {
  const firstHit = new Map<number, number>();
  let fpRows = 0;
  for (let i = 0; i < info.n; i++) {
    if (info.kind[i] === KIND_PROBATION || !(scores[i]! >= threshold)) continue;
    if (info.kind[i] === KIND_WINDOW) {
      if (!firstHit.has(info.windowIdx[i]!)) firstHit.set(info.windowIdx[i]!, info.unweighted[i]! / MAX_TP);
    } else fpRows++;
  }
  return { windowsHit: firstHit.size, firstHitPositions: [...firstHit.values()], fpRows };
}

/**
 * The scorable rows of a set of files flattened once for a profile, for
 * `bestThresholdFast` (a knob search scores thousands of configurations on
 * the same files).
 */
export interface SweepTable {
  infos: readonly FileSweepInfo[];
  /** Row index within its file of each flattened row. */
  row: Uint32Array;
  /** Flattened rows of file f: [start[f], start[f + 1]). */
  start: Uint32Array;
  sweep: Float64Array;
  /** Global window id, −1 outside. */
  win: Int32Array;
  numWindows: number;
  cost: CostMatrix;
}

export function prepareSweep(infos: readonly FileSweepInfo[], cost: CostMatrix): SweepTable {
  let m = 0;
  for (const info of infos) for (let i = 0; i < info.n; i++) if (info.kind[i] !== KIND_PROBATION) m++;
  const row = new Uint32Array(m);
  const start = new Uint32Array(infos.length + 1);
  const sweep = new Float64Array(m);
  const win = new Int32Array(m);
  let k = 0;
  let windowBase = 0;
  infos.forEach((info, f) => {
    start[f] = k;
    for (let i = 0; i < info.n; i++) {
      const kd = info.kind[i];
      if (kd === KIND_PROBATION) continue;
      row[k] = i;
      if (kd === KIND_WINDOW) {
        sweep[k] = (info.unweighted[i]! * cost.tpWeight) / MAX_TP;
        win[k] = windowBase + info.windowIdx[i]!;
      } else {
        sweep[k] = info.unweighted[i]! * cost.fpWeight;
        win[k] = -1;
      }
      k++;
    }
    windowBase += info.numWindows;
  });
  start[infos.length] = m;
  return { infos, row, start, sweep, win, numWindows: windowBase, cost };
}

/** Indices 0..n−1 ordered by key ascending: LSD radix sort on the bits of non-negative doubles. */
function radixOrder(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n); // little-endian: [lo, hi]
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let tmp = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const off = pass < 2 ? 0 : 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((words[2 * i + off]! >>> shift) & 0xffff) + 1]!++;
    if (counts[((words[off]! >>> shift) & 0xffff) + 1] === n) continue; // one digit value: order unchanged
    for (let d = 1; d <= 65536; d++) counts[d] = counts[d]! + counts[d - 1]!;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      tmp[counts[(words[2 * i + off]! >>> shift) & 0xffff]!++] = i;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

/**
 * The optimize step's best threshold and score, for a knob search: same
 * sweep as `calcScoreByThreshold` over `scoreProfile`'s rules, but it skips
 * rows that cannot change the score (a window row that does not beat an
 * earlier row of its window) and keeps a running total, so the score can
 * differ from the exact one in the last bits (and a near-tie may resolve the
 * other way). Use `scoreProfile` for reported numbers.
 */
export function bestThresholdFast(table: SweepTable, scoresPerFile: ReadonlyArray<ArrayLike<number>>): { threshold: number; score: number; normalized: number } {
  const { infos, row, start, sweep, win, numWindows, cost } = table;
  const m = row.length;
  const cand = new Uint32Array(m);
  const key = new Float64Array(m);
  let c = 0;
  // Everything detected (the lowest threshold): all FP weights + every window's first row.
  let allScore = 0;
  let anyZero = false;
  const winBest = new Float64Array(numWindows).fill(-1); // best score seen so far in each window (row order)
  const winFirst = new Uint8Array(numWindows);
  for (let f = 0; f < infos.length; f++) {
    checkScores(infos[f]!, scoresPerFile[f]!);
    const s = scoresPerFile[f]!;
    for (let k = start[f]!; k < start[f + 1]!; k++) {
      const a = s[row[k]!]!;
      if (!(a >= 0 && a <= 1)) throw new Error(`${infos[f]!.name}: row ${row[k]} anomaly score ${a} outside [0,1]`);
      const w = win[k]!;
      if (w >= 0) {
        if (!winFirst[w]) {
          winFirst[w] = 1;
          allScore += sweep[k]!;
        }
        if (!(a > winBest[w]!)) continue;
        winBest[w] = a;
      } else allScore += sweep[k]!;
      if (a > 0) {
        cand[c] = k;
        key[c++] = a;
      } else anyZero = true;
    }
  }
  const keys = key.subarray(0, c);
  const order = radixOrder(keys);
  const parts = new Float64Array(numWindows).fill(-cost.fnWeight);
  let total = -cost.fnWeight * numWindows;
  let bestScore = total;
  let bestThreshold = 1.1;
  for (let r = c - 1; r >= 0; ) {
    const t = keys[order[r]!]!;
    for (; r >= 0 && keys[order[r]!]! === t; r--) {
      const k = cand[order[r]!]!;
      const w = win[k]!;
      if (w >= 0) {
        if (sweep[k]! > parts[w]!) {
          total += sweep[k]! - parts[w]!;
          parts[w] = sweep[k]!;
        }
      } else total += sweep[k]!;
    }
    if (total > bestScore) {
      bestScore = total;
      bestThreshold = t;
    }
  }
  if (anyZero && allScore > bestScore) {
    bestScore = allScore;
    bestThreshold = 0;
  }
  return { threshold: bestThreshold, score: bestScore, normalized: normalizeScore(bestScore, numWindows, cost) };
}

/** The corpus score of `table`'s files at a fixed threshold (running total, like `bestThresholdFast`). */
export function scoreAtThresholdFast(
  table: SweepTable,
  scoresPerFile: ReadonlyArray<ArrayLike<number>>,
  threshold: number,
): { score: number; normalized: number } {
  const { infos, row, start, sweep, win, numWindows, cost } = table;
  const parts = new Float64Array(numWindows).fill(-cost.fnWeight);
  let fp = 0;
  for (let f = 0; f < infos.length; f++) {
    checkScores(infos[f]!, scoresPerFile[f]!);
    const s = scoresPerFile[f]!;
    for (let k = start[f]!; k < start[f + 1]!; k++) {
      if (!(s[row[k]!]! >= threshold)) continue;
      const w = win[k]!;
      if (w < 0) fp += sweep[k]!;
      else if (sweep[k]! > parts[w]!) parts[w] = sweep[k]!;
    }
  }
  let score = fp;
  for (let w = 0; w < numWindows; w++) score += parts[w]!;
  return { score, normalized: normalizeScore(score, numWindows, cost) };
}
