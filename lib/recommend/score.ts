// The scoring math of the playbook recommender: pure functions, no database. rank-playbooks.ts gathers the
// inputs (incident, candidates, neighbours, aggregate statistics) and calls these.
import { matcherHolds as holds, parseSelector, type Matcher } from "@/lib/monitors/selector";
import type { ParamSpec, PlaybookSpec, Risk } from "@/lib/playbooks/schema";
import { FACTOR_NAMES, FACTOR_RANGES, PARAMS, WEIGHTS, type FactorName, type Weights } from "@/lib/recommend/weights";
import { HYPOTHESIS_LABEL, noteVerdict, type Hypothesis, type RemedyCue } from "@/lib/recommend/evidence";
import type { Diagnosis } from "@/lib/recommend/diagnose";
import { secretNames } from "@/lib/orchestrator/template";

export type Severity = "info" | "warning" | "critical";
export type SignalKind = "alert" | "anomaly";
export type BlastRadius = NonNullable<PlaybookSpec["blastRadius"]>;
export type ParamValue = string | number | boolean;

/** What the recommender needs of a playbook version; built once per version id (selectors parsed once). */
export type Candidate = {
  versionId: string;
  name: string;
  version: number;
  risk: Risk;
  description: string;
  blastRadius: BlastRadius | null;
  selector: string | null;
  matchers: Matcher[] | null;
  signalKinds: SignalKind[] | null;
  severities: Severity[] | null;
  params: Record<string, ParamSpec>;
  /** Param patterns compiled once. */
  patterns: Record<string, RegExp>;
  /** Does any step change something (vs. only notify / wait / verify / read events and logs / GET)? */
  changesState: boolean;
  /** The failure hypotheses it is a remedy for (its `addresses:`). */
  addresses: readonly Hypothesis[];
  /** What it needs to run (readiness.ts): Kubernetes actions (an agent), secret names, a Prometheus. */
  k8sActions: readonly string[];
  secrets: readonly string[];
  usesPrometheus: boolean;
};

export type Factor = { name: FactorName; value: number; weight: number; contribution: number; detail: string };

const READ_ONLY_ACTIONS = new Set(["notify", "wait", "verify", "k8s.events", "k8s.logs"]);

export function candidateFromSpec(versionId: string, spec: PlaybookSpec): Candidate {
  const selector = spec.matches?.labels ?? null;
  const matchers = selector ? parseSelector(selector) : null;
  const patterns: Record<string, RegExp> = {};
  for (const [name, p] of Object.entries(spec.params ?? {})) {
    if (p.pattern === undefined) continue;
    try {
      patterns[name] = new RegExp(`^(?:${p.pattern})$`);
    } catch {
      /* invalid patterns are refused when the playbook is saved */
    }
  }
  const changesState = spec.steps.some((s) => {
    if (s.action === "http") {
      const method = typeof s.with?.method === "string" ? s.with.method.toUpperCase() : "POST";
      return method !== "GET" && method !== "HEAD";
    }
    return !READ_ONLY_ACTIONS.has(s.action);
  });
  return {
    versionId,
    name: spec.name,
    version: spec.version,
    risk: spec.risk,
    description: spec.description,
    blastRadius: spec.blastRadius ?? null,
    selector,
    matchers,
    signalKinds: spec.matches?.signalKinds?.length ? [...spec.matches.signalKinds] : null,
    severities: spec.matches?.severities?.length ? [...spec.matches.severities] : null,
    params: spec.params ?? {},
    patterns,
    changesState,
    addresses: spec.addresses ?? [],
    k8sActions: [...new Set(spec.steps.map((st) => st.action).filter((a) => a.startsWith("k8s.")))],
    secrets: [...secretNames(spec.steps.map((st) => st.with))],
    usesPrometheus: spec.steps.some((st) => st.action === "verify"),
  };
}

const r2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
const signed = (x: number) => (x > 0 ? `+${r2(x)}` : r2(x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const plural = (n: number | string, one: string, many = `${one}s`) => `${n} ${n === 1 || n === "1" ? one : many}`;
/** Whole numbers as they are, fractions (half-credited read-only successes) with one decimal. */
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const short = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// ---------------------------------------------------------------------------------------------------------
// selector_match

/** How much a matcher narrows the incidents it accepts: an exact value most, a bare presence test little. */
export function matcherSpecificity(m: Matcher): number {
  if (m.op === "=") return m.value === "" ? 0.25 : 1;
  if (m.op === "=~") return m.value === ".*" ? 0 : m.value === ".+" ? 0.5 : 0.8;
  return 0.25; // != and !~ exclude something, which says little about what the playbook is for
}

/**
 * Labels (80%) and signal kinds (20%). Labels: all matchers hold on one of the label sets → 0.7..1 by
 * specificity; some hold → up to 0.4; no selector → 0.5. Kinds: no list or both kinds → 0.5; the incident has
 * a listed kind → 1; it has none → 0.
 */
export function selectorMatch(c: Pick<Candidate, "selector" | "matchers" | "signalKinds">, labelSets: Record<string, string>[], kinds: ReadonlySet<SignalKind>, d = true): { value: number; detail: string } {
  let labelPart = 0.5;
  let labelText = "no label selector (neutral)";
  if (c.matchers) {
    const n = c.matchers.length;
    let best = 0;
    for (const labels of labelSets) {
      let ok = 0;
      for (const m of c.matchers) if (holds(m, labels)) ok++;
      if (ok > best) best = ok;
      if (best === n) break;
    }
    if (best === n) {
      let sum = 0;
      for (const m of c.matchers) sum += matcherSpecificity(m);
      const specificity = Math.min(1, sum / 3);
      labelPart = 0.7 + 0.3 * specificity;
      if (d) labelText = `labels match all ${plural(n, "matcher")} of ${short(c.selector!)}`;
    } else {
      labelPart = (0.4 * best) / n;
      if (d) {
        const failing = c.matchers.filter((m) => !labelSets.some((l) => holds(m, l))).map((m) => m.name);
        labelText = `labels match ${best} of ${n} matchers of ${short(c.selector!)} (${failing.join(", ")} not matched)`;
      }
    }
  }
  let kindPart = 0.5;
  let kindText = "";
  if (c.signalKinds && c.signalKinds.length < 2) {
    const hit = c.signalKinds.some((k) => kinds.has(k));
    kindPart = hit ? 1 : 0;
    if (d) kindText = hit ? `; only for ${c.signalKinds.join("/")} signals, which this incident has` : `; only for ${c.signalKinds.join("/")} signals, which this incident lacks`;
  }
  const value = 0.8 * labelPart + 0.2 * kindPart;
  return { value, detail: d ? `${labelText}${kindText} (${r2(value)})` : "" };
}

// ---------------------------------------------------------------------------------------------------------
// diagnosis and text_remedy

/** The summed probability of the hypotheses the playbook addresses. */
export function diagnosisFactor(c: Pick<Candidate, "addresses">, dx: Diagnosis, d = true): { value: number; detail: string } {
  if (!c.addresses.length) return { value: 0, detail: "addresses no failure hypothesis (declares no `addresses`)" };
  let value = 0;
  for (const h of c.addresses) value += dx.probability[h];
  value = Math.min(1, value);
  if (!d) return { value, detail: "" };
  const parts = [...c.addresses].sort((a, b) => dx.probability[b] - dx.probability[a]).map((h) => `${HYPOTHESIS_LABEL[h]} (${Math.round(100 * dx.probability[h])}%)`);
  return { value, detail: `a remedy for ${parts.join(", ")}` };
}

/** -1 when it cannot run here as things stand, with the reasons. */
export function readinessFactor(r: { canRun: boolean; problems: readonly string[] }): { value: number; detail: string } {
  return r.canRun ? { value: 0, detail: "can run here" } : { value: -1, detail: `cannot run here: ${r.problems.join("; ")}` };
}

/** What the incident's words say about this very remedy; clipped to ±1. */
export function textRemedy(name: string, remedies: readonly RemedyCue[], d = true): { value: number; detail: string } {
  const mine = remedies.filter((r) => r.playbook === name);
  if (!mine.length) return { value: 0, detail: "the incident's text says nothing about this remedy" };
  const value = clamp(mine.reduce((s, r) => s + r.weight, 0), -1, 1);
  if (!d) return { value, detail: "" };
  const strongest = [...mine].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))[0]!;
  return { value, detail: `${strongest.why}: "${strongest.quote}"` };
}

// ---------------------------------------------------------------------------------------------------------
// Attribution: which finished runs count as a fix, which against

export type RunLite = { playbookName: string; status: string; finishedAt?: Date | string | null; note?: string | null };
export type Outcome = "fixed" | "failed" | "neutral";

/** The playbook that fixed an incident: the state-changing one whose success finished last (list order breaks ties). */
export function lastFix(incidentRuns: readonly RunLite[], changesState: (name: string) => boolean): string | null {
  let name: string | null = null;
  let at = Number.NEGATIVE_INFINITY;
  for (const r of incidentRuns) {
    if (r.status !== "succeeded" || !changesState(r.playbookName) || noteVerdict(r.note) < 0) continue;
    const t = r.finishedAt ? new Date(r.finishedAt).getTime() : Number.NEGATIVE_INFINITY;
    if (t >= at) {
      at = t;
      name = r.playbookName;
    }
  }
  return name;
}

/**
 * What a run says about its playbook. Failed → against. Succeeded → a fix, unless something else did the
 * fixing: a state-changing success followed by another state-changing playbook's success on the same incident
 * did not stick (superseded: neutral), and a read-only playbook (notify, verify, diagnostics) that succeeded
 * on an incident a state-changing playbook fixed only went along with the fix (neutral). Rejected, expired,
 * cancelled and unfinished runs → neutral.
 */
export function runOutcome(run: RunLite, incidentRuns: readonly RunLite[], changesState: (name: string) => boolean, fix = lastFix(incidentRuns, changesState)): Outcome {
  if (run.status === "failed") return "failed";
  // A person's word on the run beats its status: "made it worse", "only helped for 5 minutes", a
  // rejection "until we have evidence" all count against the playbook.
  if (noteVerdict(run.note) < 0 && (run.status === "succeeded" || run.status === "rejected")) return "failed";
  if (run.status !== "succeeded") return "neutral";
  if (changesState(run.playbookName)) return run.playbookName === fix ? "fixed" : "neutral";
  return fix === null ? "fixed" : "neutral";
}

/** One past incident's verdict on a playbook: fixed by it (even after a failed attempt), failed, or neutral; null = not run. */
export function incidentOutcome(name: string, incidentRuns: readonly RunLite[], changesState: (name: string) => boolean): Outcome | null {
  let result: Outcome | null = null;
  const fix = lastFix(incidentRuns, changesState);
  for (const r of incidentRuns) {
    if (r.playbookName !== name) continue;
    const o = runOutcome(r, incidentRuns, changesState, fix);
    if (o === "fixed") return "fixed";
    if (o === "failed" || result === null) result = o;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// history

export type Neighbour = { similarity: number; runs: readonly RunLite[] };

/** What the neighbours say about every playbook, computed once per ranking (not once per candidate). */
export type HistoryIndex = { neighbours: number; known: number; knownWeight: number; byName: Map<string, { ws: number; wf: number; fixed: number; failed: number }> };

export function historyIndex(neighbours: readonly Neighbour[], changesState: (name: string) => boolean): HistoryIndex {
  const idx: HistoryIndex = { neighbours: neighbours.length, known: 0, knownWeight: 0, byName: new Map() };
  for (const n of neighbours) {
    const fix = lastFix(n.runs, changesState);
    const outcomes = new Map<string, Outcome>();
    for (const r of n.runs) {
      const o = runOutcome(r, n.runs, changesState, fix);
      const prev = outcomes.get(r.playbookName);
      // Per incident: fixed (even after a failed attempt) > failed > neutral.
      if (prev === undefined || o === "fixed" || (o === "failed" && prev === "neutral")) outcomes.set(r.playbookName, o);
    }
    if (![...outcomes.values()].some((o) => o !== "neutral")) continue;
    const w = Math.max(0, n.similarity) ** 2;
    idx.known++;
    idx.knownWeight += w;
    for (const [name, o] of outcomes) {
      if (o === "neutral") continue;
      let e = idx.byName.get(name);
      if (!e) idx.byName.set(name, (e = { ws: 0, wf: 0, fixed: 0, failed: 0 }));
      if (o === "fixed") {
        e.fixed++;
        e.ws += w;
      } else {
        e.failed++;
        e.wf += w;
      }
    }
  }
  return idx;
}

/**
 * Similarity-weighted share of the similar past incidents with a known outcome (some run fixed or failed) that
 * this playbook fixed, minus the share it failed on: (Σ w·credit over its fixes − Σ w over its failures) /
 * (Σ w over incidents with a known outcome + shrink), w = similarity² (negative similarity → 0). A read-only
 * playbook's fix gets half the credit (READ_ONLY_CREDIT): it changed nothing itself, someone acted on it.
 * Measuring against all incidents with a known outcome, not only those where it ran, means one lucky run
 * does not outweigh a playbook that fixed most of them.
 */
export function historyFromIndex(idx: HistoryIndex, name: string, readOnly: boolean, d = true): { value: number; detail: string } {
  const known = idx.known;
  if (known === 0) return { value: 0, detail: !d ? "" : idx.neighbours ? `none of the ${plural(idx.neighbours, "most similar past incident")} has a known outcome (neutral)` : "no similar past incidents (neutral)" };
  const of = d ? `${known} similar past ${known === 1 ? "incident" : "incidents"} with a known outcome` : "";
  const e = idx.byName.get(name);
  if (!e) return { value: 0, detail: d ? `neither fixed nor failed any of the ${of} (neutral)` : "" };
  const credit = readOnly ? PARAMS.readOnlyCredit : 1;
  const value = (e.ws * credit - e.wf) / (idx.knownWeight + PARAMS.historyShrink);
  if (!d) return { value, detail: "" };
  const parts = [`fixed ${e.fixed} of the ${of}`];
  if (e.failed) parts.push(`failed on ${e.failed}`);
  const half = e.fixed && credit < 1 ? `, read-only so fixes count ${credit}` : "";
  return { value, detail: `${parts.join(", ")} (similarity-weighted ${signed(value)}${half})` };
}

export function historyFactor(name: string, neighbours: readonly Neighbour[], changesState: (name: string) => boolean): { value: number; detail: string } {
  return historyFromIndex(historyIndex(neighbours, changesState), name, !changesState(name));
}

// ---------------------------------------------------------------------------------------------------------
// outcome_prior and recency (from aggregate statistics)

/** Aggregates of one playbook over past incidents whose signal kinds overlap the incident's. */
export type OutcomeStats = { successes: number; failures: number; decayedSuccesses: number; decayedFailures: number };
export const EMPTY_STATS: OutcomeStats = Object.freeze({ successes: 0, failures: 0, decayedSuccesses: 0, decayedFailures: 0 });

export function betaPosterior(successes: number, failures: number, a = 1, b = 1) {
  const alpha = a + successes;
  const beta = b + failures;
  return { alpha, beta, mean: alpha / (alpha + beta) };
}

export function outcomePrior(s: OutcomeStats, kindsText: string, d = true): { value: number; detail: string } {
  const { alpha, beta, mean } = betaPosterior(s.successes, s.failures);
  if (!d) return { value: mean, detail: "" };
  if (s.successes + s.failures === 0) return { value: mean, detail: `no finished runs on ${kindsText} incidents yet: prior Beta(1, 1), mean 0.50` };
  return { value: mean, detail: `${plural(num(s.successes), "success", "successes")}, ${plural(num(s.failures), "failure")} on ${kindsText} incidents: Beta(${num(alpha)}, ${num(beta)}) mean ${r2(mean)}` };
}

export function recencyFactor(s: OutcomeStats, d = true): { value: number; detail: string } {
  const ds = s.decayedSuccesses;
  const df = s.decayedFailures;
  if (ds + df < 0.01) return { value: 0, detail: !d ? "" : `no outcomes in the last few months (half-life ${PARAMS.recencyHalfLifeDays} days; neutral)` };
  const value = (ds - df) / (ds + df + PARAMS.recencyShrink);
  if (!d) return { value, detail: "" };
  return { value, detail: `recent outcomes weigh ${r2(ds)} successes vs ${r2(df)} failures (half-life ${PARAMS.recencyHalfLifeDays} days) → ${signed(value)}` };
}

// ---------------------------------------------------------------------------------------------------------
// severity_fit, risk_penalty, same_incident_failure, text_match

export function severityFit(c: Pick<Candidate, "severities">, severity: Severity, d = true): { value: number; detail: string } {
  if (!c.severities || c.severities.length >= 3) return { value: 0, detail: `no severity restriction (neutral)` };
  if (c.severities.includes(severity)) {
    const value = 1 - c.severities.length / 3;
    return { value, detail: !d ? "" : `made for ${c.severities.join("/")} incidents, this one is ${severity} (${signed(value)})` };
  }
  return { value: -1, detail: !d ? "" : `made for ${c.severities.join("/")} incidents, this one is ${severity} (-1.00)` };
}

const RISK_LEVEL: Record<Risk, number> = { low: 0, medium: 0.5, high: 1 };
const BLAST_LEVEL: Record<BlastRadius, number> = { pod: 0.2, deployment: 0.4, service: 0.6, external: 0.6, node: 0.7, cluster: 1 };
/** How much risk the incident's severity justifies: a critical outage excuses a lot, an info one nothing. */
const SEVERITY_TOLERANCE: Record<Severity, number> = { info: 1, warning: 0.6, critical: 0.3 };

export function riskPenalty(c: Pick<Candidate, "risk" | "blastRadius">, severity: Severity, d = true): { value: number; detail: string } {
  const exposure = 0.6 * RISK_LEVEL[c.risk] + 0.4 * (c.blastRadius ? BLAST_LEVEL[c.blastRadius] : 0);
  const value = -exposure * SEVERITY_TOLERANCE[severity];
  if (!d) return { value: value === 0 ? 0 : value, detail: "" };
  const what = `${c.risk} risk${c.blastRadius ? `, blast radius ${c.blastRadius}` : ""}`;
  return { value: value === 0 ? 0 : value, detail: `${what} on a ${severity} incident (${r2(value === 0 ? 0 : value)})` };
}

export function sameIncidentFailure(name: string, incidentRuns: readonly RunLite[]): { value: number; detail: string } {
  let failed = 0;
  for (const r of incidentRuns) if (r.playbookName === name && r.status === "failed") failed++;
  if (!failed) return { value: 0, detail: "has not failed on this incident" };
  return { value: -1, detail: `already failed on this incident (${plural(failed, "time")})` };
}

/**
 * Cosine to the incident's text relative to the other candidates: the best is 1, the median and below 0.
 * One-sided on purpose: a description that names the incident's symptoms is evidence for a playbook, but one
 * that does not is no evidence against it — notify and page playbooks describe their mechanism, not symptoms.
 */
export function textMatch(cos: number | null, median: number, max: number, d = true): { value: number; detail: string } {
  if (cos === null) return { value: 0, detail: "no text vector for the incident (neutral)" };
  const span = max - median;
  const value = span > 1e-9 ? clamp((cos - median) / span, 0, 1) : 0;
  if (!d) return { value, detail: "" };
  return { value, detail: `description similarity ${r2(cos)} to the incident text (best candidate ${r2(max)}, median ${r2(median)}) → ${r2(value)}` };
}

// ---------------------------------------------------------------------------------------------------------
// combining

export function factor(name: FactorName, f: { value: number; detail: string }, weights: Weights = WEIGHTS): Factor {
  const weight = weights[name];
  const value = round4(f.value);
  return { name, value, weight, contribution: round4(weight * value), detail: f.detail };
}

/** The lowest and highest raw score possible under `weights`. */
export function rawRange(weights: Weights = WEIGHTS): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const name of FACTOR_NAMES) {
    const w = weights[name];
    const [a, b] = FACTOR_RANGES[name];
    lo += Math.min(w * a, w * b);
    hi += Math.max(w * a, w * b);
  }
  return [lo, hi];
}

/** A raw weighted sum mapped from its possible range onto 0..1. */
export function normalize(raw: number, [lo, hi]: [number, number]): number {
  return hi > lo ? clamp((raw - lo) / (hi - lo), 0, 1) : 0;
}

/** The raw weighted sum mapped from its possible range under `weights` onto 0..1. */
export function combine(factors: readonly Factor[], weights: Weights = WEIGHTS): number {
  let raw = 0;
  for (const f of factors) raw += f.weight * f.value;
  return normalize(raw, rawRange(weights));
}

/** Factor values as `factor()` rounds them, so a score from values equals `combine` of the factors. */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Best first; equal scores by name, so the order is deterministic. */
export function compareRanked(a: { score: number; name: string }, b: { score: number; name: string }): number {
  return b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const FACTOR_LABEL: Record<FactorName, string> = {
  diagnosis: "diagnosis",
  text_remedy: "what the alert says about it",
  selector_match: "selector",
  history: "history",
  outcome_prior: "track record",
  text_match: "description",
  severity_fit: "severity",
  risk_penalty: "risk",
  recency: "recent outcomes",
  same_incident_failure: "this incident",
  readiness: "can it run here",
};

/**
 * One paragraph in an SRE's words: what is probably wrong and why (the diagnosis and its evidence), what
 * this playbook does about it, and what speaks against it. The factor numbers stay in `factors` ("why this
 * score"); no free text beyond the evidence quoted from the incident.
 */
export function justification(name: string, rank: number, score: number, factors: readonly Factor[], dx?: Diagnosis): string {
  const byImpact = [...factors].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.name < b.name ? -1 : 1));
  const con = byImpact.filter((f) => f.contribution < -0.02 && f.name !== "risk_penalty").slice(0, 2);
  const parts: string[] = [];
  const top = dx?.items[0];
  const mine = factors.find((f) => f.name === "diagnosis");
  if (top && top.probability >= 0.2) {
    const why = top.evidence.length ? `: ${top.evidence.slice(0, 2).join("; ")}` : "";
    parts.push(`Most likely ${top.label} (${Math.round(100 * top.probability)}%)${why}.`);
  }
  if (mine && mine.value > 0) parts.push(`${name} is ${mine.detail}.`);
  else parts.push(`${name} does not address the likely cause.`);
  const remedy = factors.find((f) => f.name === "text_remedy");
  if (remedy && remedy.value > 0) parts.push(`The alert speaks for it (${remedy.detail}).`);
  const history = factors.find((f) => f.name === "history");
  if (history && history.value > 0.05) parts.push(`On similar incidents it ${plainWords(history.detail)}.`);
  if (con.length) parts.push(`Against it: ${con.map(plainAgainst).join("; ")}.`);
  return parts.join(" ");
}

// What a factor that counts against a playbook means, for factors whose detail is arithmetic.
const PLAIN_AGAINST: Partial<Record<FactorName, string>> = {
  outcome_prior: "its past runs failed more often than they worked",
  recency: "its recent runs mostly failed",
  text_match: "its description has little in common with this incident",
  selector_match: "its label selector does not fit this incident",
};

function plainAgainst(f: Factor): string {
  return PLAIN_AGAINST[f.name] ?? plainWords(f.detail);
}

/** A factor's detail without its numbers: "(similarity-weighted +0.50)", "Beta(2, 1) mean 0.67", "→ 0.3". */
export function plainWords(detail: string): string {
  return detail
    .replace(/:?\s*(prior\s+)?Beta\([^)]*\).*$/, "")
    .replace(/\s*→.*$/, "")
    .replace(/\s*\([^()]*[-+]?\d+\.\d+[^()]*\)/g, "")
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// suggested params

function coerce(spec: ParamSpec, raw: string): ParamValue | undefined {
  if (spec.type === "number") return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  if (spec.type === "boolean") return raw === "true" ? true : raw === "false" ? false : undefined;
  return raw;
}

function valid(spec: ParamSpec, pattern: RegExp | undefined, v: ParamValue): boolean {
  if (typeof v !== spec.type) return false;
  if (spec.enum && !spec.enum.includes(v as string | number)) return false;
  if (typeof v === "string" && (v === "" || (pattern && !pattern.test(v)))) return false;
  if (typeof v === "number" && ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max))) return false;
  return true;
}

/**
 * Each param from the incident's label of the same name when that value is valid for the param (type, enum,
 * pattern, range), else its default; params with neither are left out for the operator to fill in.
 */
export function suggestParams(c: Pick<Candidate, "params" | "patterns">, labels: Record<string, string>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(c.params)) {
    const raw = Object.hasOwn(labels, name) ? labels[name] : undefined;
    const fromLabel = raw === undefined ? undefined : coerce(spec, raw);
    if (fromLabel !== undefined && valid(spec, c.patterns[name], fromLabel)) out[name] = fromLabel;
    else if (spec.default !== undefined && spec.default !== "") out[name] = spec.default;
  }
  return out;
}

/** The incident's labels, then each signal's, then all of them merged (incident labels win): selectors may hold on any. */
export function labelSets(incidentLabels: Record<string, string>, signalLabels: readonly Record<string, string>[]): Record<string, string>[] {
  const merged: Record<string, string> = {};
  for (const l of [...signalLabels].reverse()) Object.assign(merged, l);
  Object.assign(merged, incidentLabels);
  return [merged, incidentLabels, ...signalLabels];
}
