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

export const metadata: Metadata = { title: "Audit" };

const ZSearch = z.object({
  before: z.coerce.number().int().positive().optional().catch(undefined),
  action: z.string().max(100).optional().catch(undefined),
  target: z
    .string()
    .max(200)
    .regex(/^[a-z_]+:[^\s]+$/)
    .optional()
    .catch(undefined),
});

function href(q: { before?: number; action?: string; target?: string }) {
  const p = new URLSearchParams();
  if (q.action) p.set("action", q.action);
  if (q.target) p.set("target", q.target);
  if (q.before) p.set("before", String(q.before));
  const s = p.toString();
  return s ? `/audit?${s}` : "/audit";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { before, action, target } = ZSearch.parse(await searchParams);
  const { events, nextBefore } = await listAuditEvents({ actor, query: { before, action, target } });
  // Where a target has a page of its own, the filtered view links back to it.
  const [targetType, targetId] = target ? [target.slice(0, target.indexOf(":")), target.slice(target.indexOf(":") + 1)] : [];
  const targetPage = targetType === "run" ? `/runs/${targetId}` : targetType === "incident" ? `/incidents/${targetId}` : null;

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change in this organization, newest first. Each event's hash covers the previous one, so edits, deletions and reordering break the chain."
        actions={<VerifyChainForm />}
      />
      {action || target ? (
        <p className="mb-3 text-sm text-slate-700" data-testid="audit-filter">
          Showing {action ? <code className="rounded bg-slate-100 px-1">{action}</code> : null} events {target ? "of " : "only"}
          {target ? (
            targetPage ? (
              <Link href={targetPage} className="font-mono text-indigo-700 hover:underline">
                {target}
              </Link>
            ) : (
              <code className="rounded bg-slate-100 px-1">{target}</code>
            )
          ) : null}
          .{" "}
          <Link href="/audit" className="font-medium text-indigo-700 hover:underline">
            Show all
          </Link>
        </p>
      ) : null}
      {events.length === 0 ? (
        <EmptyState>{before || action || target ? "No events match this view." : "No audit events yet."}</EmptyState>
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
                <Td className="text-xs break-all" title={`${e.actorType}:${e.actorId}`}>
                  {e.actorLabel || `${e.actorType}:${e.actorId}`}
                </Td>
                <Td>
                  <Link href={href({ action: e.action, target })} className="font-mono text-xs text-indigo-700 hover:underline" title={`Show only ${e.action} events`}>
                    {e.action}
                  </Link>
                </Td>
                <Td className="font-mono text-xs break-all">
                  <Link href={href({ target: `${e.targetType}:${e.targetId}` })} className="text-indigo-700 hover:underline" title={`Show only events of ${e.targetType}:${e.targetId}`}>
                    {e.targetType}:{e.targetId}
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
            <Link href={href({ action, target })} className={buttonClass("secondary", "sm")}>
              Newest
            </Link>
          ) : null}
          {nextBefore ? (
            <Link href={href({ action, target, before: nextBefore })} className={buttonClass("secondary", "sm")}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
