"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acknowledgeIncident, resolveIncident } from "@/lib/incidents/change-incident-status";
import type { ActionResult } from "../../_lib/action-result";
import { serverAction } from "../../_lib/server-action";

// `intent` is the name/value of the button that submitted the form (Acknowledge or Resolve).
const ZChangeStatusForm = z.object({
  id: z.string().uuid(),
  intent: z.enum(["acknowledge", "resolve"]),
  note: z.string().trim().max(2000).optional(),
});

export type ChangeStatusState = ActionResult<{ status: string }>;

export const changeIncidentStatusAction = serverAction<{ status: string }>(
  async ({ actor, values }) => {
    const { id, intent, note } = ZChangeStatusForm.parse(values);
    const updated = intent === "acknowledge" ? await acknowledgeIncident({ actor, id, note }) : await resolveIncident({ actor, id, note });
    revalidatePath(`/incidents/${id}`);
    revalidatePath("/incidents");
    revalidatePath("/");
    return { status: updated.status };
  },
  { fields: ["id", "intent", "note"], echo: (v) => ({ note: v.note }) },
);
