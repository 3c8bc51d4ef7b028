import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listExports } from "@/lib/etl/manage-exports";
import { PageHeader, Section } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { toJson } from "../runs/_lib/run-types";
import { ExportsLive } from "./_components/exports-live";
import { StartExportForm } from "./_components/start-export-form";

export const metadata: Metadata = { title: "Exports" };

export default async function ExportsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "exports.read")) return <Forbidden>You need at least the viewer role to see exports.</Forbidden>;
  const exports = await listExports({ actor });

  return (
    <>
      <PageHeader
        title="Exports"
        description={
          <>
            Incidents and runs as JSON Lines files, newest first. Exports are redacted: PII and secrets become <code className="rounded bg-slate-100 px-1 text-xs">&lt;type:hash&gt;</code>{" "}
            placeholders, stable within this organization, so the same value still correlates across rows. They are resumable: a restarted worker continues where it stopped.
          </>
        }
      />
      {can(actor, "exports.create") ? (
        <Section title="Start an export" id="start-export">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <StartExportForm />
          </div>
        </Section>
      ) : null}
      <Section title="Recent exports" id="exports">
        {/* The server renders the list as it is now; the client component keeps it current while exports run. */}
        <ExportsLive initial={toJson(exports)} />
      </Section>
    </>
  );
}
