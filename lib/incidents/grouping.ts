// Pure helpers: which incident group a signal belongs to, and how severities combine.
import { createHash } from "node:crypto";
import type { Severity } from "@/lib/incidents/schemas";
import { subjectOf, subjectServiceName, subjectWorkload, type Subject } from "@/lib/incidents/subject";

// The group key is indexed (Incident orgId+groupKey+status), and a B-tree entry cannot exceed ~2.7 kB:
// a longer key made incident creation fail. Keys up to this many characters are kept as they are.
const GROUP_KEY_MAX = 512;

/**
 * The group of a signal: the identity of its subject (lib/incidents/subject.ts), so alerts about one
 * node, one workload or one namespace share an incident whichever exporter reported them:
 *   node=<node> (cluster=<c>,node=<node> when the alert names its cluster), service=<service or workload>,
 *   <kind>=<name> for a cluster-scoped volume, probed endpoint, database or cache, namespace=<ns>,
 *   else alertname=<name>.
 * An explicit `groupBy` list keeps the plain rule: the first of those labels the signal has.
 */
export function groupKeyFor(labels: Record<string, string>, groupBy?: readonly string[]): string {
  if (groupBy) return byFirstLabel(labels, groupBy);
  const key = subjectGroupKey(subjectOf(labels));
  return key ? bounded(key) : byFirstLabel(labels, ["alertname"]);
}

/** The incident's `service` column for a signal: its subject's service or workload, else namespace. */
export function incidentServiceFor(labels: Record<string, string>): string | null {
  return subjectServiceName(subjectOf(labels));
}

function subjectGroupKey(s: Subject): string | undefined {
  switch (s.kind) {
    case "node":
      return s.name ? `${s.cluster ? `cluster=${s.cluster},` : ""}node=${s.name}` : undefined;
    // Cluster-wide alerts and unnamed ones (Watchdog) stay apart, by alertname: one cluster incident would swallow them all.
    case "cluster":
    case "unknown":
      return undefined;
  }
  const workload = subjectWorkload(s);
  if (workload) return `service=${workload}`;
  if (s.namespace) return `namespace=${s.namespace}`;
  return s.name ? `${s.kind}=${s.name}` : undefined;
}

function byFirstLabel(labels: Record<string, string>, groupBy: readonly string[]): string {
  for (const name of groupBy) {
    const v = labels[name];
    if (v) return bounded(`${name}=${v}`);
  }
  // Nothing to group on: the signal stands alone (its own fingerprint-free group per label set).
  const all = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",");
  return all ? bounded(`labels:${all}`) : "ungrouped";
}

/** A readable head plus a digest of the whole key: same labels, same group, at a bounded size. */
function bounded(key: string): string {
  if (key.length <= GROUP_KEY_MAX) return key;
  let head = key.slice(0, 200);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1); // do not split a surrogate pair
  return `${head}…#${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Alertmanager severity labels come in many spellings; map them onto ours. */
export function severityFromLabel(value: string | undefined): Severity {
  switch ((value ?? "").toLowerCase()) {
    case "critical":
    case "crit":
    case "page":
    case "error":
    case "high":
    case "p1":
      return "critical";
    case "info":
    case "informational":
    case "low":
    case "none":
    case "p4":
    case "p5":
      return "info";
    default:
      return "warning";
  }
}
