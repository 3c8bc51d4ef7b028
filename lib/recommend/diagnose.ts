// Diagnose, then remedy: from an incident's alerts, words, subject, recent changes and the notes of similar
// past incidents, how likely each failure hypothesis is, with the evidence for it. rank-playbooks.ts then ranks
// playbooks by the hypotheses they declare they address (`addresses:` in the playbook YAML). Pure.
import { extractEvidence, HYPOTHESES, HYPOTHESIS_LABEL, noteVerdict, type Cue, type Hypothesis, type RemedyCue } from "@/lib/recommend/evidence";

export type Scores = Record<Hypothesis, number>;
export type DiagnosisItem = { hypothesis: Hypothesis; label: string; probability: number; evidence: string[] };
export type Diagnosis = { items: DiagnosisItem[]; probability: Scores; remedies: RemedyCue[] };

/** A change event near the incident (lib/changes): kind, what, and how many minutes before the first signal. */
export type ChangeLite = { kind: string; title: string; minutesBefore: number; sameService: boolean };
/** A similar past incident: how similar, and its runs with their notes and what they did. */
export type PastLite = { similarity: number; runs: { playbookName: string; status: string; note?: string | null; addresses: readonly Hypothesis[] }[] };

export type DiagnoseInput = {
  alertnames: readonly string[];
  /** Titles, summaries and descriptions of the incident's signals; the incident's title. */
  texts: readonly string[];
  /** What the subject is (lib/incidents/subject): node alerts point at the node, not at the exporter's pod. */
  subjectKind?: string | null;
  severity?: "info" | "warning" | "critical";
  changes?: readonly ChangeLite[];
  past?: readonly PastLite[];
};

// What an alert's name alone suggests, before reading a word of it. Mild on purpose: the words decide.
const ALERT_PRIORS: { re: RegExp; prior: Partial<Scores> }[] = [
  { re: /^Node(CPU|Load|Memory(High|Usage)|HighCPU|System)|^NodeHighNumber/i, prior: { capacity: 0.4, node_fault: 0.3 } },
  { re: /^(KubeNode|Kubelet)|NodeNotReady|NodeUnreachable|^Node(Filesystem|Network|Disk|RAID|Clock|Memory(MajorPagesFaults|Errors)|Hardware|Kernel|Time|Conntrack|Textfile|Edac|Hwmon|Bonding|Rebooted)|Kernel|Hardware|Raid|Disk(Fail|Error|IO)|Nic|NetworkInterface|ClockSkew|Ntp|Smart/i, prior: { node_fault: 1.0 } },
  { re: /Kube(Pod|Container)(CrashLooping|NotReady|Waiting)|PodStuck|ContainerWaiting|PodPending/i, prior: { stuck_pod: 0.5, bad_release: 0.4, resource_leak: 0.3 } },
  { re: /KubeDeployment(ReplicasMismatch|RolloutStuck|GenerationMismatch)|KubeStatefulSet(ReplicasMismatch|UpdateNotRolledOut)|RolloutStuck/i, prior: { bad_release: 0.6, stuck_pod: 0.3 } },
  { re: /HpaMaxedOut|Throttl|Saturat|Overcommit|CPUHigh|HighCPU|LoadHigh|QueueDepth|Backlog|ConsumerGroupLag|ConsumerLag|LagHigh/i, prior: { capacity: 0.8 } },
  { re: /Memory(NearLimit|High|Usage|Leak)|OOM|HighMemory|FileDescriptors|TooManyConnections|PoolExhausted|Goroutines/i, prior: { resource_leak: 0.8 } },
  { re: /Cert|Certificate|Ssl|Tls|X509|TokenExpir|Credential/i, prior: { owner_action: 1.0 } },
  { re: /Postgres|PostgreSQL|MySQL|Mongo|RDS|CloudSQL|Aurora|Replication|WAL|Database|DBDown|Db[A-Z]/i, prior: { owner_action: 0.6 } },
  { re: /Stale|Cache|(Price|Data|Catalog|Content|Value)\w*Mismatch|Inconsisten|Consistency/i, prior: { cache_poisoning: 0.7 } },
  { re: /Upstream|Provider|ThirdParty|Vendor|External|Partner|DNSFail/i, prior: { dependency_outage: 0.7 } },
  { re: /ErrorRate|Errors$|ErrorBudget|Burn|5xx|Availability|SLO|Slo|Latency|Failures$/i, prior: { bad_release: 0.3, bad_flag: 0.15, dependency_outage: 0.15, capacity: 0.15, unclear: 0.15 } },
  { re: /^TargetDown$|Absent|NoData|NoProgress/i, prior: { unclear: 0.5 } },
  { re: /Probe|Blackbox|EndpointDown|Unreachable/i, prior: { dependency_outage: 0.3, unclear: 0.3 } },
];

const SUBJECT_PRIORS: Record<string, Partial<Scores>> = {
  node: { node_fault: 0.6 },
  certificate: { owner_action: 0.6 },
  database: { owner_action: 0.4 },
};

/** The most that past fixes can add to one hypothesis. */
const PAST_MAX = 1.5;

const zero = (): Scores => Object.fromEntries(HYPOTHESES.map((h) => [h, 0])) as Scores;

/** Softmax temperature: a score lead of 1 makes a hypothesis e≈2.7 times as likely. */
const TEMPERATURE = 1;
/** Every hypothesis starts here: with no evidence at all, "we do not know yet" leads. */
const BASE: Partial<Scores> = { unclear: 0.35 };

export function diagnose(input: DiagnoseInput): Diagnosis {
  const scores = zero();
  const evidence = new Map<Hypothesis, { w: number; text: string }[]>(HYPOTHESES.map((h) => [h, []]));
  const note = (h: Hypothesis, w: number, text: string) => {
    scores[h] += w;
    evidence.get(h)!.push({ w, text });
  };
  for (const [h, w] of Object.entries(BASE)) scores[h as Hypothesis] += w;

  // 1. The alerts' names, once per hypothesis (five crash-looping pods are not five times the evidence).
  const fromNames = zero();
  for (const name of new Set(input.alertnames)) {
    for (const { re, prior } of ALERT_PRIORS) {
      if (!re.test(name)) continue;
      for (const [h, w] of Object.entries(prior)) fromNames[h as Hypothesis] = Math.max(fromNames[h as Hypothesis], w);
    }
  }
  for (const h of HYPOTHESES) if (fromNames[h] > 0) note(h, fromNames[h], `alert ${[...new Set(input.alertnames)].join(", ")}`);
  // Many different symptoms at once, none explained yet: look before acting.
  const distinct = new Set(input.alertnames).size;
  if (distinct >= 3) note("unclear", 0.3 * (distinct - 2), `${distinct} different alerts at once`);
  const subject = input.subjectKind ? SUBJECT_PRIORS[input.subjectKind] : undefined;
  if (subject) for (const [h, w] of Object.entries(subject)) note(h as Hypothesis, w, `the subject is a ${input.subjectKind}`);

  // 2. The words: each hypothesis counts its strongest few cues (repeating one phrase in every signal is not
  // more evidence), positive and negative separately.
  const cues: Cue[] = [];
  const remedies: RemedyCue[] = [];
  const seen = new Set<string>();
  for (const t of input.texts) {
    if (!t || seen.has(t)) continue;
    seen.add(t);
    const e = extractEvidence(t);
    cues.push(...e.cues);
    remedies.push(...e.remedies);
  }
  addCues(cues, note);

  // 3. Recorded changes to this service shortly before the first signal.
  for (const c of input.changes ?? []) {
    if (c.minutesBefore < 0 || c.minutesBefore > 180) continue;
    const h: Hypothesis = c.kind === "flag" || c.kind === "config" ? "bad_flag" : c.kind === "deploy" ? "bad_release" : c.kind === "scale" ? "capacity" : "bad_release";
    const w = (c.sameService ? 2 : 0.8) * (c.minutesBefore <= 60 ? 1 : 0.5);
    note(h, w, `${c.kind} "${c.title}" ${Math.round(c.minutesBefore)} min before the first signal`);
  }

  // 4. Similar past incidents: what fixed them (their fix's hypotheses), and what their notes say the cause was.
  // Saturating: many past fixes add up to at most PAST_MAX, so today's own evidence can still outweigh a
  // habit (the naive majority of past successes is often yesterday's cause, not today's).
  const pastCues: Cue[] = [];
  const pastFix = zero();
  const pastWhy = new Map<Hypothesis, string>();
  for (const p of input.past ?? []) {
    const w = Math.max(0, p.similarity) ** 2;
    if (w < 0.05) continue;
    for (const r of p.runs) {
      const verdict = noteVerdict(r.note);
      if (r.status === "succeeded" && verdict >= 0) {
        for (const h of r.addresses) {
          pastFix[h] += w;
          pastWhy.set(h, `${r.playbookName} fixed similar incidents`);
        }
      }
      if (r.note) {
        const e = extractEvidence(r.note, 0.5 * w);
        pastCues.push(...e.cues.filter((c) => c.weight > 0));
      }
    }
  }
  for (const h of HYPOTHESES) if (pastFix[h] > 0) note(h, PAST_MAX * (1 - Math.exp(-pastFix[h])), pastWhy.get(h)!);
  addCues(pastCues, (h, w, text) => note(h, w, `a note on a similar incident: ${text}`));

  // Someone else's outage: a critical one is paged to the owners (they decide on fallbacks and talk to the
  // provider); a warning is something people should know about.
  if (scores.dependency_outage > 1 && input.severity) {
    if (input.severity === "critical") note("owner_action", 0.5, "a critical outage outside our control");
    else note("awareness", 0.5, `a ${input.severity} outside our control`);
  }

  const probability = softmax(scores);
  const items = HYPOTHESES.map((h) => ({
    hypothesis: h,
    label: HYPOTHESIS_LABEL[h],
    probability: probability[h],
    evidence: evidence
      .get(h)!
      .filter((e) => e.w > 0)
      .sort((a, b) => b.w - a.w)
      .slice(0, 3)
      .map((e) => e.text),
  })).sort((a, b) => b.probability - a.probability);
  return { items, probability, remedies };
}

function addCues(cues: readonly Cue[], note: (h: Hypothesis, w: number, text: string) => void) {
  for (const h of HYPOTHESES) {
    const mine = cues.filter((c) => c.hypothesis === h);
    const pos = mine.filter((c) => c.weight > 0).sort((a, b) => b.weight - a.weight);
    const neg = mine.filter((c) => c.weight < 0).sort((a, b) => a.weight - b.weight);
    // Diminishing returns: the strongest cue counts fully, the next ones half, a third, …
    pos.slice(0, 4).forEach((c, i) => note(h, c.weight / (i + 1), `${c.why}: "${c.quote}"`));
    neg.slice(0, 2).forEach((c, i) => note(h, c.weight / (i + 1), `${c.why}: "${c.quote}"`));
  }
}

function softmax(scores: Scores): Scores {
  const max = Math.max(...HYPOTHESES.map((h) => scores[h]));
  const exp = HYPOTHESES.map((h) => Math.exp((scores[h] - max) / TEMPERATURE));
  const sum = exp.reduce((a, b) => a + b, 0);
  return Object.fromEntries(HYPOTHESES.map((h, i) => [h, exp[i]! / sum])) as Scores;
}
