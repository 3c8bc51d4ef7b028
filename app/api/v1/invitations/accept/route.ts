import { route, json } from "@/lib/http/route";
import { getSessionActor } from "@/lib/auth/get-actor";
import { acceptInvitation } from "@/lib/users/invitations";
import { ZAcceptInvitationInput } from "@/lib/users/schemas";

// The invitee may have no account yet, so no authentication is required. Only a browser session makes
// the caller someone (who must be the invited address); an API token never accepts for a person, so a
// Bearer header counts for nothing here.
export const POST = route({ name: "/api/v1/invitations/accept", auth: false, body: ZAcceptInvitationInput }, async ({ body }) => {
  const session = await getSessionActor();
  return json(await acceptInvitation({ input: body, signedIn: session ? { userId: session.id, email: session.email } : null }), 201);
});
