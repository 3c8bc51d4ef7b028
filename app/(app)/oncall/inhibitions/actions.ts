"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createInhibitionRule, deleteInhibitionRule, updateInhibitionRule } from "@/lib/oncall/manage-inhibitions";
import { notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

export async function saveInhibitionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  let edited = false;
  try {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createInhibitionRule>[0]["input"];
    if (id) await updateInhibitionRule({ actor, id, input: typed });
    else await createInhibitionRule({ actor, input: typed });
    edited = !!id;
  } catch (err) {
    return nestedFormError(err);
  }
  revalidatePath("/oncall/inhibitions");
  if (edited) redirect("/oncall/inhibitions");
  return { ok: true };
}

export async function deleteInhibitionAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await deleteInhibitionRule({ actor, id: ZId.parse(formData.get("id")) });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/inhibitions");
  return { ok: true };
}
