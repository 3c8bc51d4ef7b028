"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/oncall/manage-policies";
import { notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

export async function savePolicyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createPolicy>[0]["input"];
    if (id) await updatePolicy({ actor, id, input: typed });
    else await createPolicy({ actor, input: typed });
  } catch (err) {
    return nestedFormError(err);
  }
  revalidatePath("/oncall/policies");
  redirect("/oncall/policies");
}

export async function deletePolicyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await deletePolicy({ actor, id: ZId.parse(formData.get("id")) });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/policies");
  return { ok: true };
}
