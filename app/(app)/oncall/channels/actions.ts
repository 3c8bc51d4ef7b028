"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createChannel, deleteChannel, setChannelEnabled, updateChannel } from "@/lib/oncall/manage-channels";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";
import { CHANNEL_FIELDS, SECRET_FIELDS, channelInput } from "./_lib/channel-input";

/** `signingSecret` only right after it was made (create, rotate): the one time anyone sees it. */
export type SaveChannelState = ActionResult<{ id: string; name: string; created: boolean; signingSecret?: string }>;

const ZId = z.string().uuid();

export async function saveChannelAction(_prev: SaveChannelState, formData: FormData): Promise<SaveChannelState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, [...CHANNEL_FIELDS, "id"]);
  // Echo what was typed after an error, except credentials.
  const echo = Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELDS.has(k)));
  try {
    const input = channelInput(values, { enabled: formData.get("enabled") === "on", smtpSecure: formData.get("smtpSecure") === "on", rotate: formData.get("rotate") === "on" });
    const saved = values.id ? await updateChannel({ actor, id: ZId.parse(values.id), input }) : await createChannel({ actor, input });
    revalidatePath("/oncall/channels");
    return { ok: true, id: saved.id, name: saved.name, created: !values.id, ...("signingSecret" in saved && saved.signingSecret ? { signingSecret: saved.signingSecret } : {}) };
  } catch (err) {
    return toActionError(err, echo);
  }
}

export async function setChannelEnabledAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await setChannelEnabled({ actor, id: ZId.parse(formData.get("id")), enabled: formData.get("enabled") === "true" });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/channels");
  return { ok: true };
}

export async function deleteChannelAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await deleteChannel({ actor, id: ZId.parse(formData.get("id")) });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/channels");
  return { ok: true };
}
