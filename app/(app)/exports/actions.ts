"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createExport } from "@/lib/etl/manage-exports";
import { EXPORT_KINDS } from "@/lib/etl/schemas";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";

export type StartExportState = ActionResult<{ id: string }>;

const DAY_MS = 24 * 3600_000;
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date (YYYY-MM-DD)")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "not a valid date")
  .optional();

// Dates are whole UTC days: `from` starts at 00:00 of its day, `to` includes its day (so it becomes 00:00 of the next).
const ZStartExportForm = z
  .object({
    kinds: z.array(z.enum(EXPORT_KINDS)).min(1, "choose at least one kind"),
    from: ZDay,
    to: ZDay,
    gzip: z.boolean(),
  })
  .refine((x) => !x.from || !x.to || x.from <= x.to, { message: "the last day must not be before the first", path: ["to"] });

export async function startExportAction(_prev: StartExportState, formData: FormData): Promise<StartExportState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const kinds = formData.getAll("kinds").filter((k): k is string => typeof k === "string");
  const gzip = formData.get("gzip") !== null;
  const values: Record<string, string | undefined> = { ...formValues(formData, ["from", "to"]), kinds: kinds.join(","), gzip: gzip ? "on" : "off" };
  try {
    const form = ZStartExportForm.parse({ kinds, from: values.from, to: values.to, gzip });
    const exp = await createExport({
      actor,
      input: {
        kinds: form.kinds,
        from: form.from ? new Date(`${form.from}T00:00:00Z`) : undefined,
        to: form.to ? new Date(Date.parse(`${form.to}T00:00:00Z`) + DAY_MS) : undefined,
        gzip: form.gzip,
      },
    });
    revalidatePath("/exports");
    return { ok: true, id: exp.id };
  } catch (err) {
    return toActionError(err, values);
  }
}
