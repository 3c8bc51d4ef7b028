import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listSigningKeys, type KeyState } from "@/lib/playbooks/signing-keys";
import { getOrchestratorSettings } from "@/lib/orchestrator/settings";
import { getEgressPolicy } from "@/lib/egress/settings";
import { getSecretGrants } from "@/lib/secrets/grants";
import { getRedactionSettings } from "@/lib/orgs/redaction-settings";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { Forbidden } from "@/components/forbidden";
import { AddKeyForm } from "./_components/add-key-form";
import { RevokeKeyForm } from "./_components/revoke-key-form";
import { PolicyForm } from "./_components/policy-form";
import { EgressForm } from "./_components/egress-form";
import { SecretGrantsForm } from "./_components/secret-grants-form";
import { RedactionForm } from "./_components/redaction-form";

export const metadata: Metadata = { title: "Signing keys & policy" };

const STATE: Record<KeyState, { text: string; tone: BadgeTone }> = {
  active: { text: "active", tone: "good" },
  revoked: { text: "revoked", tone: "bad" },
  expired: { text: "expired", tone: "warn" },
  not_yet_valid: { text: "not yet valid", tone: "warn" },
};

export default async function KeysPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");

  if (!can(actor, "keys.manage") || !can(actor, "settings.manage")) {
    return <Forbidden>You need the admin role to manage signing keys and the orchestrator policy.</Forbidden>;
  }

  const [keys, settings, egress, secrets, redaction] = await Promise.all([
    listSigningKeys({ actor }),
    getOrchestratorSettings({ actor }),
    getEgressPolicy({ actor }),
    getSecretGrants({ actor }),
    getRedactionSettings({ actor }),
  ]);

  return (
    <>
      <PageHeader
        title="Signing keys & policy"
        description="Which public keys may sign playbooks for this organization, and the rules runs follow. A playbook version executes only if its signature verifies with a key that is active at that moment."
      />

      <Section title="Trusted keys" id="keys">
        {keys.length === 0 ? (
          <EmptyState>No trusted keys. Until one is added, every signed playbook fails verification.</EmptyState>
        ) : (
          <DataTable caption="Trusted signing keys">
            <THead>
              <Th>Name</Th>
              <Th>Fingerprint</Th>
              <Th>State</Th>
              <Th>Valid</Th>
              <Th>Added</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {keys.map((k) => {
                const state = STATE[k.state];
                return (
                  <Tr key={k.id}>
                    <Td id={`key-${k.id}-name`} className="font-medium text-slate-900">
                      {k.name}
                    </Td>
                    <Td className="font-mono text-xs">
                      <span title={k.fingerprint}>{k.fingerprint.slice(0, 16)}</span>
                    </Td>
                    <Td className="text-xs">
                      <span className="flex flex-col items-start gap-0.5">
                        <Badge tone={state.tone}>
                          <span data-testid="key-state">{state.text}</span>
                        </Badge>
                        {k.revokedAt ? (
                          <>
                            <Time value={k.revokedAt} />
                            {k.revokedReason ? <span className="max-w-56 break-words text-slate-700">“{k.revokedReason}”</span> : null}
                          </>
                        ) : null}
                      </span>
                    </Td>
                    <Td className="text-xs">
                      <div>
                        from <Time value={k.notBefore} />
                      </div>
                      <div>{k.notAfter ? <>until <Time value={k.notAfter} /></> : <span className="text-slate-600">no expiry</span>}</div>
                    </Td>
                    <Td className="text-xs">
                      <div className="break-all">{k.createdBy}</div>
                      <Time value={k.createdAt} />
                    </Td>
                    <Td className="text-right">{k.state === "revoked" ? null : <RevokeKeyForm id={k.id} name={k.name} nameCellId={`key-${k.id}-name`} />}</Td>
                  </Tr>
                );
              })}
            </TBody>
          </DataTable>
        )}
      </Section>

      <Section title="Add a trusted key" id="add-key">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <AddKeyForm />
        </div>
      </Section>

      <Section title="Run policy" id="policy">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <PolicyForm allowUnsignedPlaybooks={settings.allowUnsignedPlaybooks} approvalTtlMinutes={settings.approvalTtlMinutes} />
        </div>
      </Section>

      <Section title="Egress" id="egress">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <EgressForm allowHosts={[...egress.allowHosts]} allowCidrs={[...egress.allowCidrs]} />
        </div>
      </Section>

      <Section title="Secrets" id="secrets">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <SecretGrantsForm grants={secrets.grants} />
        </div>
      </Section>

      <Section title="Redaction" id="redaction">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <RedactionForm maskPrivateAddresses={redaction.maskPrivateAddresses} />
        </div>
      </Section>
    </>
  );
}
