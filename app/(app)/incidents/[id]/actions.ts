"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { acknowledgeIncident, resolveIncident } from "@/lib/incidents/change-incident-status";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";

// `intent` is the name/value of the button that submitted the form (Acknowledge or Resolve).
const ZChangeStatusForm = z.object({
  id: z.string().uuid(),
  intent: z.enum(["acknowledge", "resolve"]),
  note: z.string().trim().max(2000).optional(),
});

export type ChangeStatusState = ActionResult<{ status: string }>;

export async function changeIncidentStatusAction(_prev: ChangeStatusState, formData: FormData): Promise<ChangeStatusState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["id", "intent", "note"]);
  try {
    const { id, intent, note } = ZChangeStatusForm.parse(values);
    const updated = intent === "acknowledge" ? await acknowledgeIncident({ actor, id, note }) : await resolveIncident({ actor, id, note });
    revalidatePath(`/incidents/${id}`);
    revalidatePath("/incidents");
    revalidatePath("/");
    return { ok: true, status: updated.status };
  } catch (err) {
    return toActionError(err, { note: values.note });
  }
}
