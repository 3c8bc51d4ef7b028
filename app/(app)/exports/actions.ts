"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createExport } from "@/lib/etl/manage-exports";
import { EXPORT_KINDS } from "@/lib/etl/schemas";
import { formValues, type ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

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

function readForm(formData: FormData) {
  const kinds = formData.getAll("kinds").filter((k): k is string => typeof k === "string");
  return { ...formValues(formData, ["from", "to"]), kinds: kinds.join(","), gzip: formData.get("gzip") !== null ? "on" : "off" };
}

export const startExportAction = serverAction(
  async ({ actor, formData, values }) => {
    const kinds = formData.getAll("kinds").filter((k): k is string => typeof k === "string");
    const form = ZStartExportForm.parse({ kinds, from: values.from, to: values.to, gzip: values.gzip === "on" });
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
    return { id: exp.id };
  },
  { fields: readForm, echo: true },
);
