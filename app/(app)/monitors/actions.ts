"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createMonitor, deleteMonitor, updateMonitor } from "@/lib/monitors/manage-monitors";
import { previewMonitor } from "@/lib/monitors/preview-monitor";
import { seriesLabel } from "@/components/charts/scales";
import { InvalidFields, type ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";
import { MONITOR_FORM_FIELDS, monitorInputFromForm, previewInputFromForm } from "./_lib/monitor-form";

export type SaveMonitorState = ActionResult<{ id: string; name: string; saved: number }>;
/** Columns instead of {t, v, score} objects: a 20 × 11,000-point preview stays a few MB. */
export type PreviewSeries = { label: string; t: number[]; v: number[]; score: number[] };
export type PreviewMonitorState = ActionResult<{ sensitivity: number; from: number; series: PreviewSeries[] }>;
export type DeleteMonitorState = ActionResult;

const ZId = z.string().uuid();
const PREVIEW_RANGES = new Set([3_600, 6 * 3_600, 24 * 3_600, 7 * 86_400]);

export const saveMonitorAction = serverAction(
  async ({ actor, formData, values }) => {
    const parsed = monitorInputFromForm(values, formData.get("enabled") === "on");
    if (!parsed.ok) throw new InvalidFields(parsed.fieldErrors);
    const monitor = values.id
      ? await updateMonitor({ actor, id: ZId.parse(values.id), input: parsed.input })
      : await createMonitor({ actor, input: parsed.input });
    revalidatePath("/monitors");
    revalidatePath(`/monitors/${monitor.id}`);
    return { id: monitor.id, name: monitor.name, saved: Date.now() };
  },
  { fields: [...MONITOR_FORM_FIELDS, "id"], echo: true },
);

export const previewMonitorAction = serverAction(
  async ({ actor, values }) => {
    const parsed = previewInputFromForm(values);
    if (!parsed.ok) throw new InvalidFields(parsed.fieldErrors);
    const range = Number(values.previewRange);
    const result = await previewMonitor({ actor, input: parsed.input, rangeSeconds: PREVIEW_RANGES.has(range) ? range : undefined });
    return {
      sensitivity: result.sensitivity,
      from: result.from,
      series: result.series.map((s): PreviewSeries => ({
        label: seriesLabel(s.labels),
        t: s.points.map((p) => p.t),
        v: s.points.map((p) => p.v),
        score: s.points.map((p) => p.score),
      })),
    };
  },
  { fields: [...MONITOR_FORM_FIELDS, "previewRange"], echo: true },
);

export const deleteMonitorAction = serverAction(async ({ actor, formData }) => {
  const id = ZId.parse(formData.get("id"));
  await deleteMonitor({ actor, id });
  revalidatePath("/monitors");
  // Deleting from the monitor's own page leaves nothing to show there.
  if (formData.get("from") === "detail") redirect("/monitors");
});
