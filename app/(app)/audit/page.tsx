import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { PageHeader } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { VerifyChainForm } from "./_components/verify-chain-form";
import { auditTargetHref } from "./_lib/target-href";

export const metadata: Metadata = { title: "Audit" };

const ZSearch = z.object({
  before: z.coerce.number().int().positive().optional().catch(undefined),
  action: z.string().max(100).optional().catch(undefined),
  actorId: z.string().max(200).optional().catch(undefined),
  targetType: z.string().max(100).optional().catch(undefined),
  targetId: z.string().max(200).optional().catch(undefined),
  // "<type>:<id>", the form run and incident pages link with.
  target: z
    .string()
    .max(200)
    .regex(/^[a-z_]+:[^\s]+$/)
    .optional()
    .catch(undefined),
});
type Filters = Omit<z.infer<typeof ZSearch>, "before" | "target">;

function href(q: Filters & { before?: number }) {
  const p = new URLSearchParams();
  for (const k of ["action", "actorId", "targetType", "targetId"] as const) if (q[k]) p.set(k, q[k]);
  if (q.before) p.set("before", String(q.before));
  const s = p.toString();
  return s ? `/audit?${s}` : "/audit";
}

const filterLink = "text-indigo-700 hover:underline";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { before, target, ...given } = ZSearch.parse(await searchParams);
  const filters: Filters = target ? { ...given, targetType: target.slice(0, target.indexOf(":")), targetId: target.slice(target.indexOf(":") + 1) } : given;
  const { action, actorId, targetType, targetId } = filters;
  const { events, nextBefore } = await listAuditEvents({ actor, query: { before, ...filters } });
  const filtered = !!(action || actorId || targetType || targetId);

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change in this organization, newest first. Each event's hash covers the previous one, so edits, deletions and reordering break the chain."
        actions={<VerifyChainForm />}
      />
      {filtered ? (
        <p className="mb-3 text-sm break-all text-slate-700" data-testid="audit-filters">
          Showing only events
          {action ? <> of action <code className="rounded bg-slate-100 px-1">{action}</code></> : null}
          {actorId ? <> by <code className="rounded bg-slate-100 px-1">{actorId}</code></> : null}
          {targetType || targetId ? (
            <>
              {" "}on <code className="rounded bg-slate-100 px-1">{[targetType, targetId].filter(Boolean).join(":")}</code>
            </>
          ) : null}
          .{" "}
          <Link href="/audit" className="font-medium text-indigo-700 hover:underline">
            Show all
          </Link>
        </p>
      ) : null}
      {events.length === 0 ? (
        <EmptyState>{before || filtered ? "No events match this view." : "No audit events yet."}</EmptyState>
      ) : (
        <DataTable caption="Audit events, newest first">
          <THead>
            <Th className="text-right">Seq</Th>
            <Th>Time</Th>
            <Th>Actor</Th>
            <Th>Action</Th>
            <Th>Target</Th>
            <Th>Hash</Th>
          </THead>
          <TBody>
            {events.map((e) => (
              <Tr key={e.id}>
                <Td className="text-right font-mono text-xs text-slate-600 tabular-nums">{e.seq}</Td>
                <Td className="text-xs">
                  <Time value={e.createdAt} />
                </Td>
                <Td className="text-xs break-all">
                  <Link href={href({ actorId: e.actorId })} className={filterLink} title={`Show only what ${e.actorType}:${e.actorId} did`}>
                    {e.actorLabel || `${e.actorType}:${e.actorId}`}
                  </Link>
                </Td>
                <Td>
                  <Link href={href({ action: e.action })} className="font-mono text-xs text-indigo-700 hover:underline" title={`Show only ${e.action} events`}>
                    {e.action}
                  </Link>
                </Td>
                <Td className="font-mono text-xs break-all">
                  <AuditTarget type={e.targetType} id={e.targetId} data={e.data} />{" "}
                  <Link href={href({ targetType: e.targetType, targetId: e.targetId })} className="font-sans whitespace-nowrap text-slate-500 hover:underline" title="Show only events on this target" data-testid="audit-target-filter">
                    (history)
                  </Link>
                </Td>
                <Td className="font-mono text-xs text-slate-600">
                  <span title={e.hash}>{e.hash.slice(0, 12)}</span>
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
      {before || nextBefore ? (
        <nav aria-label="Pagination" className="mt-3 flex gap-2">
          {before ? (
            <Link href={href(filters)} className={buttonClass("secondary", "sm")}>
              Newest
            </Link>
          ) : null}
          {nextBefore ? (
            <Link href={href({ ...filters, before: nextBefore })} className={buttonClass("secondary", "sm")}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function AuditTarget({ type, id, data }: { type: string; id: string; data: unknown }) {
  const to = auditTargetHref(type, id, data);
  const text = `${type}:${id}`;
  return to ? (
    <Link href={to} className="text-indigo-700 hover:underline" data-testid="audit-target">
      {text}
    </Link>
  ) : (
    <span>{text}</span>
  );
}
