import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { getPlaybook } from "@/lib/playbooks/list-playbooks";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { buttonClass } from "@/components/ui/button";
import { BackLink } from "@/components/ui/back-link";
import { Fact } from "@/components/ui/fact";
import { RiskBadge } from "../../runs/_components/run-badges";
import { VerificationStatus } from "../../runs/_components/verification-status";
import { orNotFound } from "../../_lib/or-not-found";

export const metadata: Metadata = { title: "Playbook" };

// Playbook names are lowercase letters, digits and dashes (lib/playbooks/schema.ts), so nothing to decode.
const ZParams = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) });

const none = <span className="text-slate-500">—</span>;

export default async function PlaybookPage({ params }: { params: Promise<{ name: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = ZParams.safeParse(await params);
  if (!parsed.success) notFound();
  const playbook = await orNotFound(getPlaybook({ actor, name: parsed.data.name }));
  const latest = playbook.versions.find((v) => v.version === playbook.latestVersion) ?? playbook.versions[0]!;
  const spec = latest.spec;
  const params_ = Object.entries(spec.params ?? {});
  const m = spec.matches ?? {};

  return (
    <>
      <BackLink href="/playbooks">Playbooks</BackLink>
      <PageHeader
        title={playbook.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <RiskBadge risk={playbook.risk} />
            <span>latest version {playbook.latestVersion}</span>
            <VerificationStatus v={latest.verification} testId="playbook-signature" />
          </span>
        }
        actions={
          can(actor, "runs.request") ? (
            <Link href={`/runs/new?playbook=${encodeURIComponent(playbook.name)}`} className={buttonClass("primary")}>
              Request a run
            </Link>
          ) : null
        }
      />

      <p className="mb-6 max-w-3xl text-sm whitespace-pre-line text-slate-800">{playbook.description}</p>

      <dl className="mb-6 grid grid-cols-[repeat(auto-fill,minmax(14rem,1fr))] gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <Fact label="Matches incidents with labels">{m.labels ? <code className="font-mono text-xs break-all">{m.labels}</code> : "any"}</Fact>
        <Fact label="Signal kinds">{m.signalKinds?.length ? m.signalKinds.join(", ") : "any"}</Fact>
        <Fact label="Severities">{m.severities?.length ? m.severities.join(", ") : "any"}</Fact>
        <Fact label="Blast radius">{spec.blastRadius ?? none}</Fact>
      </dl>

      <Section title="Parameters" id="params">
        {params_.length === 0 ? (
          <p className="text-sm text-slate-600">This playbook takes no parameters.</p>
        ) : (
          <DataTable caption="Parameters">
            <THead>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Required</Th>
              <Th>Default</Th>
              <Th>Constraints</Th>
              <Th>Description</Th>
            </THead>
            <TBody>
              {params_.map(([name, p]) => (
                <Tr key={name}>
                  <Td className="font-mono text-xs font-medium">{name}</Td>
                  <Td>{p.type}</Td>
                  <Td>{p.required ? <Badge tone="warn">required</Badge> : "optional"}</Td>
                  <Td className="font-mono text-xs">{p.default === undefined ? none : String(p.default)}</Td>
                  <Td className="font-mono text-xs break-all">
                    {[p.enum ? `one of ${p.enum.join(", ")}` : null, p.pattern ? `matches ${p.pattern}` : null, p.min !== undefined ? `≥ ${p.min}` : null, p.max !== undefined ? `≤ ${p.max}` : null]
                      .filter(Boolean)
                      .join("; ") || none}
                  </Td>
                  <Td className="max-w-md text-sm">{p.description ?? none}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title={`Steps (${spec.steps.length})`} id="steps">
        <ol className="space-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          {spec.steps.map((s, i) => (
            <li key={s.id} className="flex flex-wrap items-center gap-2">
              <span className="text-xs text-slate-500 tabular-nums">{i + 1}.</span>
              <span className="font-medium">{s.name ?? s.id}</span>
              <code className="rounded bg-slate-100 px-1 text-xs">{s.id}</code>
              <Badge tone="accent">{s.action}</Badge>
              {s.when ? <span className="font-mono text-xs text-slate-600">when {s.when}</span> : null}
            </li>
          ))}
        </ol>
      </Section>

      <Section title={`Source of version ${latest.version}`} id="source" description="The exact bytes the digest and the signature cover.">
        <pre className="max-h-[32rem] overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800" data-testid="playbook-source">
          {latest.source}
        </pre>
      </Section>

      <Section title="Versions" id="versions">
        <DataTable caption="Versions, newest first">
          <THead>
            <Th className="text-right">Version</Th>
            <Th>Digest</Th>
            <Th>Signature</Th>
            <Th>Origin</Th>
            <Th>Added</Th>
          </THead>
          <TBody>
            {playbook.versions.map((v) => (
              <Tr key={v.version}>
                <Td className="text-right tabular-nums">v{v.version}</Td>
                <Td className="font-mono text-xs">
                  <span title={v.digest}>{v.digest.slice(0, 12)}</span>
                </Td>
                <Td className="max-w-md text-sm">
                  <VerificationStatus v={v.verification} />
                </Td>
                <Td className="font-mono text-xs">{v.origin}</Td>
                <Td className="text-xs">
                  <Time value={v.createdAt} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      </Section>
    </>
  );
}
