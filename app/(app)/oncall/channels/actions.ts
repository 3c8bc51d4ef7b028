"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createChannel, deleteChannel, setChannelEnabled, updateChannel } from "@/lib/oncall/manage-channels";
import type { ActionResult } from "../../_lib/action-result";
import { serverAction } from "../../_lib/server-action";
import { CHANNEL_FIELDS, SECRET_FIELDS, channelInput } from "./_lib/channel-input";

/** `signingSecret` only right after it was made (create, rotate): the one time anyone sees it. */
export type SaveChannelState = ActionResult<{ id: string; name: string; created: boolean; signingSecret?: string }>;

const ZId = z.string().uuid();

export const saveChannelAction = serverAction(
  async ({ actor, formData, values }) => {
    const input = channelInput(values, { enabled: formData.get("enabled") === "on", smtpSecure: formData.get("smtpSecure") === "on", rotate: formData.get("rotate") === "on" });
    const saved = values.id ? await updateChannel({ actor, id: ZId.parse(values.id), input }) : await createChannel({ actor, input });
    revalidatePath("/oncall/channels");
    return { id: saved.id, name: saved.name, created: !values.id, ...("signingSecret" in saved && saved.signingSecret ? { signingSecret: saved.signingSecret } : {}) };
  },
  {
    fields: [...CHANNEL_FIELDS, "id"],
    // Echo what was typed after an error, except credentials.
    echo: (values) => Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELDS.has(k))),
  },
);

export const setChannelEnabledAction = serverAction(async ({ actor, formData }) => {
  await setChannelEnabled({ actor, id: ZId.parse(formData.get("id")), enabled: formData.get("enabled") === "true" });
  revalidatePath("/oncall/channels");
});

export const deleteChannelAction = serverAction(async ({ actor, formData }) => {
  await deleteChannel({ actor, id: ZId.parse(formData.get("id")) });
  revalidatePath("/oncall/channels");
});
