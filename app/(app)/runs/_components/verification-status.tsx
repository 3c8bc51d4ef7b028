// The signature check of a playbook version, in words: verified by which key, unsigned (and whether
// policy allows that), or why it does not verify.
import type { Verification } from "@/lib/playbooks/verify-version";
import { Badge } from "@/components/ui/badge";

/** One line, for tables and option labels. */
export function verificationText(v: Verification | null | undefined): string {
  if (!v) return "not checked yet";
  if (v.ok) return "unsigned" in v ? "unsigned (allowed by policy)" : `verified by key ${v.keyName}`;
  if (v.reason === "unsigned") return "unsigned (refused by policy)";
  return `invalid: ${v.message}`;
}

export function VerificationStatus({ v, testId }: { v: Verification | null | undefined; testId?: string }) {
  if (!v) return <span className="text-slate-500" data-testid={testId}>Not checked yet</span>;
  if (v.ok && !("unsigned" in v)) {
    return (
      <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={testId}>
        <Badge tone="good">
          <span aria-hidden="true">✓&nbsp;</span>Verified
        </Badge>{" "}
        <span>
          by key <strong className="font-medium">{v.keyName}</strong>{" "}
          <code className="font-mono text-xs text-slate-500" title={v.fingerprint}>
            {v.fingerprint.slice(0, 12)}
          </code>
        </span>
      </span>
    );
  }
  if (v.ok) {
    return (
      <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={testId}>
        <Badge tone="warn">Unsigned</Badge> <span>(allowed by policy)</span>
      </span>
    );
  }
  if (v.reason === "unsigned") {
    return (
      <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={testId}>
        <Badge tone="bad">Unsigned</Badge> <span>(refused by policy: will not run)</span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={testId}>
      <Badge tone="bad">
        <span aria-hidden="true">✕&nbsp;</span>Invalid
      </Badge>
      <span className="break-words">{v.message}</span>
    </span>
  );
}
