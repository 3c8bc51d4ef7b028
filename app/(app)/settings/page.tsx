import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { ROLES } from "@/lib/authz/permissions";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { CreateTokenForm } from "./_components/create-token-form";
import { RevokeTokenButton } from "./_components/revoke-token-button";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const manageTokens = can(actor, "tokens.manage");
  const tokens = manageTokens ? await listApiTokens({ actor }) : [];
  const now = Date.now();

  return (
    <>
      <PageHeader title="Settings" />

      <Section title="Your account" id="account">
        <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-x-4 gap-y-1.5 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          <dt className="text-slate-500">Email</dt>
          <dd>{actor.email}</dd>
          <dt className="text-slate-500">Name</dt>
          <dd>{actor.name}</dd>
          <dt className="text-slate-500">Organization</dt>
          <dd>{actor.orgSlug}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{actor.role}</dd>
        </dl>
        {can(actor, "users.manage") ? (
          <p className="mt-2 text-sm">
            <Link href="/settings/users" className="font-medium text-indigo-700 hover:underline">
              Manage users
            </Link>
          </p>
        ) : null}
      </Section>

      <Section
        title="API tokens"
        id="tokens"
        description={
          <>
            Tokens let scripts call the API for a person, never with more rights than that person has now; service tokens serve integrations and can never approve. Revoked tokens are not
            listed. What the API offers:{" "}
            <Link href="/settings/api" className="font-medium text-indigo-700 hover:underline">
              API reference
            </Link>
            .
          </>
        }
      >
        {!manageTokens ? (
          <p className="text-sm text-slate-700">Only admins manage API tokens. Ask an admin of {actor.orgSlug} if you need one.</p>
        ) : (
          <div className="space-y-4">
            <CreateTokenForm roles={ROLES} />
            {tokens.length === 0 ? (
              <EmptyState>No API tokens yet.</EmptyState>
            ) : (
              <DataTable caption="API tokens">
                <THead>
                  <Th>Name</Th>
                  <Th>Acts for</Th>
                  <Th>Rights</Th>
                  <Th>Prefix</Th>
                  <Th>Created</Th>
                  <Th>Last used</Th>
                  <Th>Expires</Th>
                  <Th>Status</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </THead>
                <TBody>
                  {tokens.map((t) => {
                    const expired = !t.revokedAt && t.expiresAt && t.expiresAt.getTime() <= now;
                    return (
                      <Tr key={t.id}>
                        <Td id={`token-${t.id}-name`} className="font-medium text-slate-900">
                          {t.name}
                        </Td>
                        <Td className="text-xs">{t.owner ? t.owner.email : <Badge>Service</Badge>}</Td>
                        <Td className="text-xs">
                          {t.role}
                          {t.scopes.length ? <span className="block text-slate-500">only {t.scopes.join(", ")}</span> : null}
                        </Td>
                        <Td className="font-mono text-xs">{t.prefix}</Td>
                        <Td className="text-xs">
                          <Time value={t.createdAt} />
                        </Td>
                        <Td className="text-xs">
                          <Time value={t.lastUsedAt} fallback="Never" />
                        </Td>
                        <Td className="text-xs">
                          <Time value={t.expiresAt} fallback="Never" />
                        </Td>
                        <Td className="text-xs">
                          {t.revokedAt ? (
                            <span className="flex flex-col gap-0.5">
                              <Badge tone="bad" className="self-start">
                                Revoked
                              </Badge>
                              <Time value={t.revokedAt} />
                            </span>
                          ) : expired ? (
                            <Badge tone="warn">Expired</Badge>
                          ) : (
                            <Badge tone="good">Active</Badge>
                          )}
                        </Td>
                        <Td className="text-right">{t.revokedAt ? null : <RevokeTokenButton id={t.id} nameCellId={`token-${t.id}-name`} />}</Td>
                      </Tr>
                    );
                  })}
                </TBody>
              </DataTable>
            )}
          </div>
        )}
      </Section>
    </>
  );
}
