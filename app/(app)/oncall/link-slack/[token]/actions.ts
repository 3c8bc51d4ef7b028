"use server";

import { getSessionActor } from "@/lib/auth/get-actor";
import { linkSlackAccount } from "@/lib/oncall/slack-link";
import { formValues, notSignedIn, toActionError, type ActionResult } from "@/app/(app)/_lib/action-result";

export type LinkSlackState = ActionResult<{ slackUserId: string | null }>;

export async function linkSlackAction(_prev: LinkSlackState, formData: FormData): Promise<LinkSlackState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const { token } = formValues(formData, ["token"]);
  try {
    const done = await linkSlackAccount({ actor, token: token ?? "" });
    return { ok: true, slackUserId: done.slack.userId };
  } catch (err) {
    return toActionError(err);
  }
}
