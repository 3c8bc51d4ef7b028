import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { PageHeader } from "@/components/page-header";
import { BackLink } from "@/components/ui/back-link";
import { Forbidden } from "@/components/forbidden";
import { RequestRunForm } from "../_components/request-run-form";
import { playbookChoices } from "../_lib/playbook-choices";

export const metadata: Metadata = { title: "Request a run" };

const ZSearch = z.object({ playbook: z.string().max(200).optional().catch(undefined) });

/** A run without an incident (e.g. a routine flush); runs for an incident are requested from its page. */
export default async function NewRunPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "runs.request")) {
    return <Forbidden>You need the operator role to request runs.</Forbidden>;
  }
  const { playbook } = ZSearch.parse(await searchParams);
  const choices = await playbookChoices(actor);

  return (
    <>
      <BackLink href="/runs">Runs</BackLink>
      <PageHeader
        title="Request a run"
        description="The run is planned right away (a dry-run, no side effects) and then waits for approval. To run a playbook for an incident, start from the incident's page so the run is linked to it."
      />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <RequestRunForm playbooks={choices} initialPlaybook={playbook} label="Request a run" />
      </div>
    </>
  );
}
