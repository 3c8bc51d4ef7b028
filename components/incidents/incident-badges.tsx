import { Badge, type BadgeTone } from "@/components/ui/badge";

const severityTone: Record<string, BadgeTone> = { critical: "bad", warning: "warn", info: "neutral" };
const statusTone: Record<string, BadgeTone> = { open: "bad", acknowledged: "warn", resolved: "good", firing: "bad" };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severityTone[severity] ?? "neutral"}>{severity}</Badge>;
}

/** Incident status (open / acknowledged / resolved) or signal status (firing / resolved). */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={statusTone[status] ?? "neutral"}>
      <span data-testid={testId}>{status}</span>
    </Badge>
  );
}
