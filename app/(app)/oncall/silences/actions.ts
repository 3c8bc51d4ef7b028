"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { createSilence, expireSilence } from "@/lib/oncall/manage-silences";
import { serverAction } from "../../_lib/server-action";
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

export const createSilenceAction = serverAction(
  async ({ actor, formData }) => {
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
    revalidatePath("/oncall/silences");
  },
  { onError: nestedFormError },
);

export const expireSilenceAction = serverAction(async ({ actor, formData }) => {
  await expireSilence({ actor, id: z.string().uuid().parse(formData.get("id")) });
  revalidatePath("/oncall/silences");
});
