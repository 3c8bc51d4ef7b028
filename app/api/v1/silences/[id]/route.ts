import { z } from "zod";
import { route } from "@/lib/http/route";
import { expireSilence } from "@/lib/oncall/manage-silences";

// Expires the silence now (silences are never edited in place, as in Alertmanager).
export const DELETE = route({ name: "/api/v1/silences/[id]", permission: "silences.manage", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) =>
  expireSilence({ actor, id: params.id }),
);
