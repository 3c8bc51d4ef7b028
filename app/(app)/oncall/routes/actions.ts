"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createRoute, deleteRoute, moveRoute, updateRoute } from "@/lib/oncall/manage-routes";
import { notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

export async function saveRouteAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  let edited = false;
  try {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createRoute>[0]["input"];
    if (id) await updateRoute({ actor, id, input: typed });
    else await createRoute({ actor, input: typed });
    edited = !!id;
  } catch (err) {
    return nestedFormError(err);
  }
  revalidatePath("/oncall/routes");
  if (edited) redirect("/oncall/routes");
  return { ok: true };
}

export async function deleteRouteAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await deleteRoute({ actor, id: ZId.parse(formData.get("id")) });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/routes");
  return { ok: true };
}

export async function moveRouteAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const direction = z.enum(["up", "down"]).parse(formData.get("direction"));
    await moveRoute({ actor, id: ZId.parse(formData.get("id")), direction });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/routes");
  return { ok: true };
}
