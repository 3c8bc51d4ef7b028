import { route, json } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { getSessionActor } from "@/lib/auth/get-actor";
import { acceptInvitation } from "@/lib/users/invitations";
import { ZAcceptInvitationInput } from "@/lib/users/schemas";

// The invitee may have no account yet, so no authentication is required; when signed in (browser
// session), they accept as themselves. API tokens never accept invitations for a person.
export const POST = route({ name: "/api/v1/invitations/accept", auth: false, body: ZAcceptInvitationInput }, async ({ req, body }) => {
  if (req.headers.get("authorization")) throw new AppError("forbidden", "accept an invitation in the browser, signed in as the invited address, not with an API token");
  const session = await getSessionActor();
  return json(await acceptInvitation({ input: body, signedIn: session ? { userId: session.id, email: session.email } : null }), 201);
});
