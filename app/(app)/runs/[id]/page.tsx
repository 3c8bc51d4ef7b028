import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { principalOf } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { getRun } from "@/lib/orchestrator/list-runs";
import { toJson } from "../_lib/run-types";
import { RunLive } from "./_components/run-live";

export const metadata: Metadata = { title: "Run" };

const ZParams = z.object({ id: z.string().uuid() });

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  let run: Awaited<ReturnType<typeof getRun>>;
  try {
    run = await getRun({ actor, id: parsed.data.id });
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/runs" className="font-medium text-indigo-700 hover:underline">
          ← Runs
        </Link>
      </p>
      {/* The server renders the run as it is now; the client component keeps it current by polling the API. */}
      <RunLive
        initial={toJson(run)}
        me={principalOf(actor)}
        canCancel={can(actor, "runs.cancel")}
        canDryRun={can(actor, "runs.dryrun")}
        canApprove={can(actor, "runs.approve")}
      />
    </>
  );
}
