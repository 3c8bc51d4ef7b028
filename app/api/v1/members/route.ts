import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/users/list-members";

// People join through invitations (/api/v1/invitations), never by an admin adding an existing account.
export const GET = route({ name: "/api/v1/members", permission: "users.manage" }, async ({ actor }) => ({ members: await listMembers({ actor }) }));
