// Pure helpers: which incident group a signal belongs to, and how severities combine.
import { DEFAULT_GROUP_BY, type Severity } from "@/lib/incidents/schemas";

export function groupKeyFor(labels: Record<string, string>, groupBy: readonly string[] = DEFAULT_GROUP_BY): string {
  for (const name of groupBy) {
    const v = labels[name];
    if (v) return `${name}=${v}`;
  }
  // Nothing to group on: the signal stands alone (its own fingerprint-free group per label set).
  const all = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",");
  return all ? `labels:${all}` : "ungrouped";
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
