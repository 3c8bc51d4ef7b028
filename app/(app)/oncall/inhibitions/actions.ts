"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createInhibitionRule, deleteInhibitionRule, updateInhibitionRule } from "@/lib/oncall/manage-inhibitions";
import { serverAction } from "../../_lib/server-action";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

export const saveInhibitionAction = serverAction(
  async ({ actor, formData }) => {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createInhibitionRule>[0]["input"];
    if (id) await updateInhibitionRule({ actor, id, input: typed });
    else await createInhibitionRule({ actor, input: typed });
    revalidatePath("/oncall/inhibitions");
    if (id) redirect("/oncall/inhibitions");
  },
  { onError: nestedFormError },
);

export const deleteInhibitionAction = serverAction(async ({ actor, formData }) => {
  await deleteInhibitionRule({ actor, id: ZId.parse(formData.get("id")) });
  revalidatePath("/oncall/inhibitions");
});
