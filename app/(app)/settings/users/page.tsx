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
import { InviteForm } from "./_components/invite-form";
import { RowActionButton } from "./_components/row-action-button";
import { listInvitations } from "@/lib/users/invitations";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");

  if (!can(actor, "users.manage")) {
    return <Forbidden>You need the admin role to manage users.</Forbidden>;
  }

  const [members, invitations] = await Promise.all([listMembers({ actor }), listInvitations({ actor })]);

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
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
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
                  <Td className="text-right">{m.userId === actor.id ? null : <RowActionButton kind="removeMember" value={m.userId} describedBy={`member-${m.userId}-email`} />}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>
      <Section
        title="Invite"
        id="invite"
        description="People join by accepting an invitation link: signed in with the invited address, or by creating an account for it. Removing a member revokes the API tokens they own."
      >
        <InviteForm roles={ROLES} />
        {invitations.length ? (
          <DataTable caption="Pending invitations">
            <THead>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Invited by</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {invitations.map((i) => (
                <Tr key={i.id}>
                  <Td id={`invitation-${i.id}-email`}>{i.email}</Td>
                  <Td>{i.role}</Td>
                  <Td className="text-xs">{i.invitedBy}</Td>
                  <Td className="text-xs">
                    <Time value={i.expiresAt} />
                  </Td>
                  <Td className="text-right">
                    <RowActionButton kind="revokeInvitation" value={i.id} describedBy={`invitation-${i.id}-email`} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        ) : null}
      </Section>
    </>
  );
}
