import { route, json } from "@/lib/http/route";
import { listMembers } from "@/lib/users/list-members";
import { createMember } from "@/lib/users/create-member";
import { ZCreateMemberInput } from "@/lib/users/schemas";

export const GET = route({ name: "/api/v1/members", permission: "users.manage" }, async ({ actor }) => ({ members: await listMembers({ actor }) }));

export const POST = route({ name: "/api/v1/members", permission: "users.manage", body: ZCreateMemberInput }, async ({ actor, body }) => json(await createMember({ actor, input: body }), 201));
