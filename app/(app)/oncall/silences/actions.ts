"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { AppError } from "@/lib/errors";
import { createSilence, expireSilence } from "@/lib/oncall/manage-silences";
import { notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";
import { nestedFormError, payloadOf } from "../_lib/form-error";
import { wallToInstant } from "../_lib/wall-time";

// Times arrive as datetime-local values in the form's time zone, which is also the maintenance window's.
const ZForm = z
  .object({
    timeZone: z.string(),
    startsAt: z.string().optional(),
    endsAt: z.string(),
    recurrence: z.object({ days: z.array(z.string()), start: z.string(), end: z.string() }).optional(),
  })
  .passthrough();

export async function createSilenceAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { timeZone, startsAt, endsAt, recurrence, ...rest } = ZForm.parse(payloadOf(formData));
    const at = (field: "startsAt" | "endsAt", local: string) => {
      const d = wallToInstant(local, timeZone);
      if (!d) throw new AppError("validation_failed", "invalid time", [{ path: [field], message: `not a date and time in ${timeZone || "the time zone"}` }]);
      return d;
    };
    await createSilence({
      actor,
      input: {
        ...(rest as { matchers: never; comment: string }),
        ...(startsAt ? { startsAt: at("startsAt", startsAt) } : {}),
        endsAt: at("endsAt", endsAt),
        ...(recurrence ? { recurrence: { ...recurrence, timeZone } as never } : {}),
      },
    });
  } catch (err) {
    return nestedFormError(err);
  }
  revalidatePath("/oncall/silences");
  return { ok: true };
}

export async function expireSilenceAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await expireSilence({ actor, id: z.string().uuid().parse(formData.get("id")) });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/oncall/silences");
  return { ok: true };
}
