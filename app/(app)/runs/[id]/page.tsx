import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { principalOf } from "@/lib/context";
import { getRun } from "@/lib/orchestrator/list-runs";
import { BackLink } from "@/components/ui/back-link";
import { orNotFound } from "../../_lib/or-not-found";
import { toJson } from "../_lib/run-types";
import { RunLive } from "./_components/run-live";
import { ApprovalRequests } from "./_components/approval-requests";

export const metadata: Metadata = { title: "Run" };

const ZParams = z.object({ id: z.string().uuid() });

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  const run = await orNotFound(getRun({ actor, id: parsed.data.id }));

  return (
    <>
      <BackLink href="/runs">Runs</BackLink>
      {/* The server renders the run as it is now; the client component keeps it current by polling the API. */}
      <RunLive
        initial={toJson(run)}
        me={principalOf(actor)}
        canCancel={can(actor, "runs.cancel")}
        canDryRun={can(actor, "runs.dryrun")}
        canApprove={can(actor, "runs.approve")}
        canNote={can(actor, "runs.request")}
        canRequest={can(actor, "runs.request")}
      />
      <ApprovalRequests actor={actor} runId={run.id} />
    </>
  );
}
