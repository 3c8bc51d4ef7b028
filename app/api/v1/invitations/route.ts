import { route, json } from "@/lib/http/route";
import { inviteMember, listInvitations } from "@/lib/users/invitations";
import { ZInviteInput } from "@/lib/users/schemas";

export const GET = route({ name: "/api/v1/invitations", permission: "users.manage" }, async ({ actor }) => ({ invitations: await listInvitations({ actor }) }));

/** 201 with the one-time link (`url`, `token`): shown once, never stored in clear. */
export const POST = route({ name: "/api/v1/invitations", permission: "users.manage", body: ZInviteInput }, async ({ actor, body }) => json(await inviteMember({ actor, input: body }), 201));
