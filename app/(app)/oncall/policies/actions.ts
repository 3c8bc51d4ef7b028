"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/oncall/manage-policies";
import { serverAction } from "../../_lib/server-action";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

// Always ends in a redirect, so the handler returns nothing a type could be inferred from.
export const savePolicyAction = serverAction<object>(
  async ({ actor, formData }) => {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createPolicy>[0]["input"];
    if (id) await updatePolicy({ actor, id, input: typed });
    else await createPolicy({ actor, input: typed });
    revalidatePath("/oncall/policies");
    redirect("/oncall/policies");
  },
  { onError: nestedFormError },
);

export const deletePolicyAction = serverAction(async ({ actor, formData }) => {
  await deletePolicy({ actor, id: ZId.parse(formData.get("id")) });
  revalidatePath("/oncall/policies");
});
