// Scoring of the redactor against a labelled corpus folder (`*.jsonl`, one `{"text", "pii": [{type, value}]}`
// per line; extra fields are ignored). Shared by redact.test.ts (which asserts on corpus/ and corpus-dev/) and
// bench/redact.ts (which prints the same table for any folder, the held-out corpus-v2/ included).
//
// Definitions, the same for every corpus:
// - A label is *masked* when one occurrence of its value in the text is covered end to end by detected spans
//   (of any type) and the value occurs that many times fewer in the output. It is *typed* when, in addition, a
//   span of the label's own type overlaps it. Recall is masked / labelled; the typed count is shown beside it.
// - Keep rate: the share of whitespace-separated input tokens that hold no labelled value and appear unchanged
//   in the output. Records without labels (look-alikes only) are also counted whole: kept when the output is
//   the input.
// - Precision: spans that overlap a label of their own type / all spans.
import fs from "node:fs";
import path from "node:path";
import { detect, type Span } from "@/lib/redact/detect";
import { createRedactor, type RedactorOptions } from "@/lib/redact";

export interface Label {
  type: string;
  value: string;
}
export interface CorpusRecord {
  where: string;
  text: string;
  pii: Label[];
}

export function loadCorpus(dir: string): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    fs.readFileSync(path.join(dir, f), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.trim()) return;
        const r = JSON.parse(line) as { text: string; pii: Label[] };
        out.push({ where: `${f}:${i + 1}`, text: r.text, pii: r.pii });
      });
  }
  return out;
}

export interface TypeStats {
  labelled: number;
  masked: number;
  typed: number;
  detected: number;
  correct: number;
}

export interface Evaluation {
  records: number;
  withPii: number;
  stats: Record<string, TypeStats>;
  misses: string[];
  mistyped: string[];
  falsePositives: string[];
  inconsistent: string[];
  tokens: number;
  tokensKept: number;
  lost: string[];
  cleanRecords: number;
  cleanKept: number;
}

const PLACEHOLDER = /<([a-z0-9_]+):([0-9a-f]{8})>/g;
const KEY = new Uint8Array(Buffer.from("corpus-scoring-key-0123456789abcdef"));

function occurrences(s: string, v: string): number[] {
  const at: number[] = [];
  for (let i = s.indexOf(v); i >= 0; i = s.indexOf(v, i + 1)) at.push(i);
  return at;
}

const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

function boundary(s: string, i: number, v: string): boolean {
  return !(isAlnum(v[0]) && isAlnum(s[i - 1])) && !(isAlnum(v.at(-1)) && isAlnum(s[i + v.length]));
}

const zero = (): TypeStats => ({ labelled: 0, masked: 0, typed: 0, detected: 0, correct: 0 });

export function evaluate(corpus: readonly CorpusRecord[], opts: Omit<RedactorOptions, "key"> = {}): Evaluation {
  const redactor = createRedactor({ key: KEY, ...opts });
  const stats: Record<string, TypeStats> = {};
  const st = (t: string) => (stats[t] ??= zero());
  const ev: Evaluation = {
    records: corpus.length,
    withPii: 0,
    stats,
    misses: [],
    mistyped: [],
    falsePositives: [],
    inconsistent: [],
    tokens: 0,
    tokensKept: 0,
    lost: [],
    cleanRecords: 0,
    cleanKept: 0,
  };

  for (const rec of corpus) {
    const { text } = rec;
    const spans: Span[] = detect(text, opts);
    const output = redactor.text(text);
    if (rec.pii.length > 0) ev.withPii++;
    else {
      ev.cleanRecords++;
      if (output === text) ev.cleanKept++;
    }

    // The output is the spans rendered as placeholders, one per span, of the span's type.
    const placeholders = [...output.matchAll(PLACEHOLDER)].map((m) => m[1]).join(",");
    if (placeholders !== spans.map((s) => s.type).join(",")) ev.inconsistent.push(rec.where);

    // Every occurrence of a labelled value counts as labelled (a password that recurs in prose must go too).
    const labelled: { type: string; start: number; end: number }[] = [];
    for (const l of rec.pii) {
      const at = occurrences(text, l.value);
      if (at.length === 0) throw new Error(`${rec.where}: label not found: ${l.value}`);
      for (const i of at) labelled.push({ type: l.type, start: i, end: i + l.value.length });
    }
    const coveredBy = (start: number, end: number) => {
      const over = spans.filter((s) => s.start < end && s.end > start);
      let at = start;
      for (const s of [...over].sort((a, b) => a.start - b.start)) {
        if (s.start > at) return null;
        at = Math.max(at, s.end);
      }
      return at >= end ? over : null;
    };
    const used = new Set<number>();
    for (const l of rec.pii) {
      const t = st(l.type);
      t.labelled++;
      const at = occurrences(text, l.value)
        .filter((i) => !used.has(i))
        .sort((a, b) => Number(boundary(text, b, l.value)) - Number(boundary(text, a, l.value))); // boundary ones first
      const hit = at.find((i) => coveredBy(i, i + l.value.length) !== null);
      const k = rec.pii.filter((x) => x.value === l.value).length;
      const gone = occurrences(output, l.value).length <= occurrences(text, l.value).length - k;
      if (hit === undefined || !gone) {
        ev.misses.push(`${rec.where} ${l.type} ${JSON.stringify(l.value.slice(0, 80))}`);
        continue;
      }
      used.add(hit);
      t.masked++;
      const over = coveredBy(hit, hit + l.value.length) ?? [];
      if (over.some((s) => s.type === l.type)) t.typed++;
      else ev.mistyped.push(`${rec.where} ${l.type} as ${over.map((s) => s.type).join("+")} ${JSON.stringify(l.value.slice(0, 60))}`);
    }
    for (const s of spans) {
      const t = st(s.type);
      t.detected++;
      if (labelled.some((l) => l.type === s.type && l.start < s.end && l.end > s.start)) t.correct++;
      else if (!labelled.some((l) => l.start < s.end && l.end > s.start)) {
        ev.falsePositives.push(`${rec.where} ${s.type} ${JSON.stringify(text.slice(s.start, s.end).slice(0, 80))}`);
      }
    }

    // Token retention: whitespace-separated input tokens that hold no labelled value must survive unchanged.
    const outTokens = new Map<string, number>();
    for (const tok of output.split(/\s+/)) if (tok) outTokens.set(tok, (outTokens.get(tok) ?? 0) + 1);
    for (const m of text.matchAll(/\S+/g)) {
      const start = m.index;
      const end = start + m[0].length;
      if (labelled.some((l) => l.start < end && l.end > start)) continue;
      ev.tokens++;
      const n = outTokens.get(m[0]) ?? 0;
      if (n > 0) {
        ev.tokensKept++;
        outTokens.set(m[0], n - 1);
      } else {
        ev.lost.push(`${rec.where} ${JSON.stringify(m[0].slice(0, 80))}`);
      }
    }
  }
  return ev;
}

export function totals(ev: Evaluation): TypeStats {
  const t = zero();
  for (const s of Object.values(ev.stats)) {
    t.labelled += s.labelled;
    t.masked += s.masked;
    t.typed += s.typed;
    t.detected += s.detected;
    t.correct += s.correct;
  }
  return t;
}

const pct = (a: number, b: number) => (b === 0 ? "      -" : `${((100 * a) / b).toFixed(1).padStart(6)}%`);

/** Recall over the labels whose type is not in `without` (the issue quotes recall without names, addresses, DOB). */
export function recallWithout(ev: Evaluation, without: readonly string[]): number {
  let l = 0;
  let m = 0;
  for (const [t, s] of Object.entries(ev.stats)) {
    if (without.includes(t)) continue;
    l += s.labelled;
    m += s.masked;
  }
  return l === 0 ? 1 : m / l;
}

export const CONTEXT_TYPES = ["person_name", "postal_address", "date_of_birth"] as const;

export function table(ev: Evaluation): string {
  const rows = [`${"type".padEnd(16)} labelled masked  recall   typed detected correct precision`];
  const row = (name: string, s: TypeStats) =>
    `${name.padEnd(16)} ${String(s.labelled).padStart(8)} ${String(s.masked).padStart(6)} ${pct(s.masked, s.labelled)} ${String(s.typed).padStart(7)} ${String(s.detected).padStart(8)} ${String(s.correct).padStart(7)} ${pct(s.correct, s.detected)}`;
  for (const t of Object.keys(ev.stats).sort()) rows.push(row(t, ev.stats[t]!));
  const all = totals(ev);
  rows.push(row("overall", all));
  rows.push(
    `records ${ev.records} (${ev.withPii} with PII, ${ev.records - ev.withPii} without); ` +
      `recall without ${CONTEXT_TYPES.join("/")} ${pct(recallWithout(ev, CONTEXT_TYPES), 1).trim()}; ` +
      `non-PII tokens kept ${ev.tokensKept}/${ev.tokens} = ${pct(ev.tokensKept, ev.tokens).trim()}; ` +
      `look-alike records unchanged ${ev.cleanKept}/${ev.cleanRecords} = ${pct(ev.cleanKept, ev.cleanRecords).trim()}`,
  );
  return rows.join("\n");
}
