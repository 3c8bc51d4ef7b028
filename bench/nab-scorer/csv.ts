/**
 * CSV reading for the NAB corpus and NAB results files.
 *
 * Traps handled (see bench/nab/corpus/README.md):
 * - CRLF line endings (realAdExchange/*, rogue_agent_key_*),
 * - no final newline (nyc_taxi, most realTraffic files),
 * - scientific notation in values (art_daily_flatmiddle),
 * - non-monotonic / duplicated timestamps: rows are kept in file order, never
 *   sorted or de-duplicated,
 * - an optional UTF-8 byte-order mark, blank trailing lines.
 *
 * Timestamps are naive local times ("YYYY-MM-DD HH:MM:SS" with an optional
 * fraction); they are mapped to milliseconds as if they were UTC, which keeps
 * them exact and comparable (no DST shifts from the host time zone).
 */

const TS_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a NAB timestamp ("2014-10-30 15:30:00" or "2014-10-30 15:30:00.000000") to ms (naive, as UTC). */
export function parseNabTimestamp(text: string): number {
  const m = TS_RE.exec(text.trim());
  if (!m) throw new Error(`invalid NAB timestamp: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (frac) ms += Math.round(Number(`0.${frac}`) * 1000);
  if (!Number.isFinite(ms)) throw new Error(`invalid NAB timestamp: ${JSON.stringify(text)}`);
  return ms;
}

/** Formats ms (naive UTC) back to NAB's "YYYY-MM-DD HH:MM:SS". */
export function formatNabTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2014-10-30T15:30:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Parses a decimal number strictly (rejects "", "abc", "1,5"; accepts "1e-5", "-.5"). */
export function parseStrictNumber(text: string): number {
  const t = text.trim();
  if (!NUM_RE.test(t)) {
    throw new Error(`invalid number: ${JSON.stringify(text)}`);
  }
  return Number(t);
}

/** Splits text into lines, tolerating CRLF / CR / LF, a BOM and a missing final newline. */
export function splitLines(text: string): string[] {
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
  const lines = body.split(/\r\n|\n|\r/);
  // Drop trailing blank lines (a final newline yields one empty string).
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines;
}

export interface NabSeries {
  /** Timestamps as written in the file (copied verbatim into results files). */
  timestampText: string[];
  /** Values as written in the file (copied verbatim into results files). */
  valueText: string[];
  /** Timestamps in ms (naive, interpreted as UTC), in file order. */
  timestamps: Float64Array;
  /** Parsed values, in file order. */
  values: Float64Array;
}

/** Reads a NAB data file body (`timestamp,value`). Rows stay in file order. */
export function parseNabDataCsv(text: string, source = "<csv>"): NabSeries {
  const lines = splitLines(text);
  if (lines.length === 0) throw new Error(`${source}: empty file`);
  const header = lines[0]!.split(",").map((h) => h.trim());
  const tsCol = header.indexOf("timestamp");
  const valCol = header.indexOf("value");
  if (tsCol < 0 || valCol < 0) throw new Error(`${source}: header must contain timestamp,value (got ${lines[0]})`);
  const n = lines.length - 1;
  const timestampText: string[] = new Array(n);
  const valueText: string[] = new Array(n);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1]!.split(",");
    const ts = cells[tsCol];
    const v = cells[valCol];
    if (ts === undefined || v === undefined) throw new Error(`${source}:${i + 2}: missing column`);
    timestampText[i] = ts.trim();
    valueText[i] = v.trim();
    try {
      timestamps[i] = parseNabTimestamp(ts);
      values[i] = parseStrictNumber(v);
    } catch (e) {
      throw new Error(`${source}:${i + 2}: ${(e as Error).message}`);
    }
  }
  return { timestampText, valueText, timestamps, values };
}

/** Reads the `anomaly_score` column (by header name) of a NAB results file. */
export function parseNabResultsScores(text: string, source = "<csv>"): Float64Array {
  const lines = splitLines(text);
  if (lines.length === 0) throw new Error(`${source}: empty file`);
  const header = lines[0]!.split(",").map((h) => h.trim());
  const col = header.indexOf("anomaly_score");
  if (col < 0) throw new Error(`${source}: no anomaly_score column`);
  const out = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const cell = lines[i]!.split(",")[col];
    if (cell === undefined) throw new Error(`${source}:${i + 1}: missing anomaly_score`);
    out[i - 1] = parseStrictNumber(cell);
  }
  return out;
}
