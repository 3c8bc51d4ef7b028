// Run, step and risk statuses as badges: the status is always written out (and has a glyph), so colour
// is never the only signal.
import { Badge, type BadgeTone } from "@/components/ui/badge";

const RUN_TONES: Record<string, BadgeTone> = {
  suggested: "neutral",
  dry_run: "accent",
  awaiting_approval: "warn",
  approved: "accent",
  executing: "accent",
  succeeded: "good",
  failed: "bad",
  cancelled: "neutral",
  rejected: "bad",
  expired: "neutral",
};
const STEP_TONES: Record<string, BadgeTone> = {
  pending: "neutral",
  started: "accent",
  succeeded: "good",
  failed: "bad",
  skipped: "neutral",
  unknown: "warn",
  cancelled: "neutral",
};
const GLYPHS: Record<string, string> = {
  succeeded: "✓",
  failed: "✕",
  rejected: "✕",
  cancelled: "⊘",
  expired: "⊘",
  skipped: "↷",
  unknown: "?",
  awaiting_approval: "◷",
  executing: "▶",
  started: "▶",
  dry_run: "…",
};
const RISK_TONES: Record<string, BadgeTone> = { low: "good", medium: "warn", high: "bad" };

/** "awaiting_approval" → "awaiting approval". */
export function statusText(status: string): string {
  return status.replaceAll("_", " ");
}

function StatusBadge({ status, tone, testId }: { status: string; tone: BadgeTone; testId?: string }) {
  const glyph = GLYPHS[status];
  return (
    <Badge tone={tone} className="gap-1">
      {glyph ? <span aria-hidden="true">{glyph}</span> : null}
      <span data-testid={testId}>{statusText(status)}</span>
    </Badge>
  );
}

export function RunStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return <StatusBadge status={status} tone={RUN_TONES[status] ?? "neutral"} testId={testId} />;
}

export function StepStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return <StatusBadge status={status} tone={STEP_TONES[status] ?? "neutral"} testId={testId} />;
}

export function RiskBadge({ risk }: { risk: string }) {
  return (
    <Badge tone={RISK_TONES[risk] ?? "neutral"}>
      {risk}
      <span className="sr-only"> risk</span>
    </Badge>
  );
}
