"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createRoute, deleteRoute, moveRoute, updateRoute } from "@/lib/oncall/manage-routes";
import { serverAction } from "../../_lib/server-action";
import { nestedFormError, payloadOf } from "../_lib/form-error";

const ZId = z.string().uuid();

export const saveRouteAction = serverAction(
  async ({ actor, formData }) => {
    const { id, ...input } = z.object({ id: ZId.optional() }).passthrough().parse(payloadOf(formData));
    const typed = input as Parameters<typeof createRoute>[0]["input"];
    if (id) await updateRoute({ actor, id, input: typed });
    else await createRoute({ actor, input: typed });
    revalidatePath("/oncall/routes");
    if (id) redirect("/oncall/routes");
  },
  { onError: nestedFormError },
);

export const deleteRouteAction = serverAction(async ({ actor, formData }) => {
  await deleteRoute({ actor, id: ZId.parse(formData.get("id")) });
  revalidatePath("/oncall/routes");
});

export const moveRouteAction = serverAction(async ({ actor, formData }) => {
  const direction = z.enum(["up", "down"]).parse(formData.get("direction"));
  await moveRoute({ actor, id: ZId.parse(formData.get("id")), direction });
  revalidatePath("/oncall/routes");
});
