"use server";

import { ackWithLink } from "@/lib/oncall/action-links";
import { formValues, toActionError, type ActionResult } from "@/app/(app)/_lib/action-result";

export type ActState = ActionResult<{ acknowledgedBy: string | null }>;

// The token is the credential (no session): the same lib function as POST /api/v1/oncall/act/:token.
export async function actOnLinkAction(_prev: ActState, formData: FormData): Promise<ActState> {
  const { token } = formValues(formData, ["token"]);
  try {
    const done = await ackWithLink({ token: token ?? "" });
    return { ok: true, acknowledgedBy: done.incident.acknowledgedBy };
  } catch (err) {
    return toActionError(err);
  }
}
