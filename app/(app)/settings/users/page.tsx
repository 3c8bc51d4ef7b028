import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { ROLES } from "@/lib/authz/permissions";
import { listMembers } from "@/lib/users/list-members";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/time";
import { Forbidden } from "@/components/forbidden";
import { MemberRoleForm } from "./_components/member-role-form";
import { AddMemberForm } from "./_components/add-member-form";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");

  if (!can(actor, "users.manage")) {
    return <Forbidden>You need the admin role to manage users.</Forbidden>;
  }

  const members = await listMembers({ actor });

  return (
    <>
      <PageHeader title="Users" description={`People who can sign in to ${actor.orgSlug}, and what their role lets them do.`} />
      <Section title="Members" id="members">
        {members.length === 0 ? (
          <EmptyState>No members yet.</EmptyState>
        ) : (
          <DataTable caption="Members">
            <THead>
              <Th>Email</Th>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Member since</Th>
            </THead>
            <TBody>
              {members.map((m) => (
                <Tr key={m.userId}>
                  <Td id={`member-${m.userId}-email`} className="font-medium text-slate-900">
                    <span className="flex items-center gap-2">
                      {m.email}
                      {m.disabled ? <Badge tone="bad">Disabled</Badge> : null}
                      {m.userId === actor.id ? <Badge>You</Badge> : null}
                    </span>
                  </Td>
                  <Td className="whitespace-nowrap">{m.name}</Td>
                  <Td>
                    <MemberRoleForm userId={m.userId} email={m.email} emailCellId={`member-${m.userId}-email`} role={m.role} roles={ROLES} />
                  </Td>
                  <Td className="text-xs">
                    <Time value={m.since} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>
      <Section title="Add member" id="add-member" description="Adds an existing account to this organization, or creates a new one with the password you set.">
        <AddMemberForm roles={ROLES} />
      </Section>
    </>
  );
}
