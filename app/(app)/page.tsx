import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { checkHealth } from "@/lib/health/check-health";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { lastAuditCheck } from "@/lib/audit/check-audit-chain";
import type { ChainVerdict } from "@/lib/audit/verify-audit-chain";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";

export const metadata: Metadata = { title: "Overview" };

// The incident list is paged; we count one page and say "N+" when there are more.
const OPEN_COUNT_LIMIT = 200;

function Card({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <section aria-label={title} className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h2>
      <div className="mt-2 flex-1">{children}</div>
      {footer ? <div className="mt-3 border-t border-slate-100 pt-2 text-xs">{footer}</div> : null}
    </section>
  );
}

const linkClass = "font-medium text-indigo-700 underline-offset-2 hover:underline";

export default async function OverviewPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");

  const [health, open, lastCheck] = await Promise.all([
    checkHealth(),
    can(actor, "incidents.read") ? listIncidents({ actor, query: { status: "open", limit: OPEN_COUNT_LIMIT } }) : null,
    can(actor, "audit.read") ? lastAuditCheck({ actor }) : null,
  ]);
  const verdict = lastCheck ? (lastCheck.data as ChainVerdict) : null;

  return (
    <>
      <PageHeader title="Overview" description={`State of the ${actor.orgSlug} organization and the platform it runs on.`} />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
        {(["postgres", "redis"] as const).map((name) => {
          const c = health.checks[name];
          return (
            <Card key={name} title={name === "postgres" ? "Postgres" : "Redis"}>
              <div className="flex items-center gap-2">
                <Badge tone={c.ok ? "good" : "bad"}>{c.ok ? "Up" : "Down"}</Badge>
                <span className="text-sm text-slate-600 tabular-nums">{c.latencyMs} ms</span>
              </div>
              {c.error ? <p className="mt-2 text-xs break-words text-red-700">{c.error}</p> : null}
            </Card>
          );
        })}

        {open ? (
          <Card title="Open incidents" footer={<Link href="/incidents" className={linkClass}>View incidents</Link>}>
            <p className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="open-incidents">
              {open.incidents.length}
              {open.nextCursor ? "+" : ""}
            </p>
          </Card>
        ) : null}

        {can(actor, "audit.read") ? (
          <Card title="Last audit check" footer={<Link href="/audit" className={linkClass}>Open audit log</Link>}>
            {lastCheck && verdict ? (
              <div className="space-y-1">
                <Badge tone={lastCheck.ok ? "good" : "bad"}>{lastCheck.ok ? "Chain intact" : "Chain broken"}</Badge>
                <p className="text-sm text-slate-700">
                  {lastCheck.ok
                    ? `${verdict.checked} events checked`
                    : `At event #${verdict.firstBrokenSeq ?? "?"}${verdict.reason ? `: ${verdict.reason}` : ""}`}
                </p>
                <p className="text-xs text-slate-500">
                  <Time value={lastCheck.createdAt} />
                </p>
              </div>
            ) : (
              <p className="text-sm text-slate-600">The chain has not been verified yet.</p>
            )}
          </Card>
        ) : null}
      </div>
    </>
  );
}
