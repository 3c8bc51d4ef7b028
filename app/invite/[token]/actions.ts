"use server";

import { getSessionActor } from "@/lib/auth/get-actor";
import { acceptInvitation } from "@/lib/users/invitations";
import { formValues, toActionError, type ActionResult } from "@/app/(app)/_lib/action-result";

export type AcceptState = ActionResult<{ email: string; orgId: string; newAccount: boolean }>;

export async function acceptInvitationAction(_prev: AcceptState, formData: FormData): Promise<AcceptState> {
  const values = formValues(formData, ["token", "name", "password"]);
  try {
    const session = await getSessionActor();
    const joined = await acceptInvitation({ input: values as { token: string }, signedIn: session ? { userId: session.id, email: session.email } : null });
    return { ok: true, email: joined.email, orgId: joined.orgId, newAccount: !session };
  } catch (err) {
    return toActionError(err, { name: values.name });
  }
}
