"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { publicUrl } from "@/lib/env";
import { createOverride, createSchedule, deleteOverride, deleteSchedule, updateSchedule } from "@/lib/oncall/schedules/manage-schedules";
import { createFeedToken, revokeFeedToken, type FeedTarget } from "@/lib/oncall/schedules/feeds";
import type { ActionResult } from "../../_lib/action-result";
import { serverAction } from "../../_lib/server-action";
import { nestedFormError, payloadOf } from "../_lib/form-error";
import { wallToInstant } from "../_lib/wall-time";

export type SaveScheduleState = ActionResult<{ id: string }>;
export type FeedLinkState = ActionResult<{ url: string | null }>;

const ZId = z.string().uuid();

/** The form's layers carry their start as a datetime-local value in the schedule's zone. */
const ZFormSchedule = z.object({
  id: z.string().uuid().optional(),
  timeZone: z.string(),
  layers: z.array(z.object({ startsAt: z.string() }).passthrough()).default([]),
}).passthrough();

export const saveScheduleAction = serverAction<{ id: string }>(
  async ({ actor, formData }) => {
    const { id: existing, ...form } = ZFormSchedule.parse(payloadOf(formData));
    const layers = form.layers.map((l, i) => {
      const startsAt = wallToInstant(l.startsAt, form.timeZone);
      if (!startsAt) throw new AppError("validation_failed", "invalid start", [{ path: ["layers", i, "startsAt"], message: `not a date and time in ${form.timeZone}` }]);
      return { ...l, startsAt };
    });
    const input = { ...form, layers } as Parameters<typeof createSchedule>[0]["input"];
    const id = existing ? (await updateSchedule({ actor, id: existing, input })).id : (await createSchedule({ actor, input })).id;
    revalidatePath("/oncall/schedules");
    redirect(`/oncall/schedules/${id}`);
  },
  { onError: nestedFormError },
);

export const deleteScheduleAction = serverAction<object>(async ({ actor, formData }) => {
  await deleteSchedule({ actor, id: ZId.parse(formData.get("id")) });
  revalidatePath("/oncall/schedules");
  redirect("/oncall/schedules");
});

export const createOverrideAction = serverAction(
  async ({ actor, values }) => {
    const scheduleId = ZId.parse(values.scheduleId);
    const tz = values.timeZone ?? "UTC";
    const startsAt = wallToInstant(values.startsAt ?? "", tz);
    const endsAt = wallToInstant(values.endsAt ?? "", tz);
    if (!startsAt || !endsAt) throw new AppError("validation_failed", `enter the start and the end as dates and times in ${tz}`, [{ path: [startsAt ? "endsAt" : "startsAt"], message: "not a date and time" }]);
    await createOverride({ actor, scheduleId, input: { userId: values.userId ?? "", startsAt, endsAt, reason: values.reason ?? "" } });
    revalidatePath(`/oncall/schedules/${scheduleId}`);
  },
  { fields: ["scheduleId", "timeZone", "userId", "startsAt", "endsAt", "reason"], echo: true },
);

export const deleteOverrideAction = serverAction(async ({ actor, formData }) => {
  const scheduleId = ZId.parse(formData.get("scheduleId"));
  await deleteOverride({ actor, scheduleId, overrideId: ZId.parse(formData.get("overrideId")) });
  revalidatePath(`/oncall/schedules/${scheduleId}`);
});

function feedTarget(formData: FormData): FeedTarget {
  const id = ZId.parse(formData.get("id"));
  return formData.get("kind") === "user" ? { kind: "user", userId: id } : { kind: "schedule", scheduleId: id };
}

/** A secret calendar link for the signed-in person (replacing their earlier one), shown once. */
export const createFeedLinkAction = serverAction<{ url: string | null }>(async ({ actor, formData }) => {
  const { path } = await createFeedToken({ actor, target: feedTarget(formData) });
  return { url: publicUrl(path) };
});

export const revokeFeedLinkAction = serverAction<{ url: string | null }>(async ({ actor, formData }) => {
  await revokeFeedToken({ actor, target: feedTarget(formData) });
  return { url: null };
});
