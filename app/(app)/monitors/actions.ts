"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createMonitor, deleteMonitor, updateMonitor } from "@/lib/monitors/manage-monitors";
import { previewMonitor } from "@/lib/monitors/preview-monitor";
import { seriesLabel } from "@/components/charts/scales";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";
import { MONITOR_FORM_FIELDS, monitorInputFromForm, previewInputFromForm } from "./_lib/monitor-form";

export type SaveMonitorState = ActionResult<{ id: string; name: string; saved: number }>;
/** Columns instead of {t, v, score} objects: a 20 × 11,000-point preview stays a few MB. */
export type PreviewSeries = { label: string; t: number[]; v: number[]; score: number[] };
export type PreviewMonitorState = ActionResult<{ sensitivity: number; from: number; series: PreviewSeries[] }>;
export type DeleteMonitorState = ActionResult;

const ZId = z.string().uuid();
const PREVIEW_RANGES = new Set([3_600, 6 * 3_600, 24 * 3_600, 7 * 86_400]);

function fail(fieldErrors: Record<string, string[] | undefined>, values: Record<string, string | undefined>) {
  return { ok: false as const, error: "Check the highlighted fields.", fieldErrors, values };
}

export async function saveMonitorAction(_prev: SaveMonitorState, formData: FormData): Promise<SaveMonitorState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, [...MONITOR_FORM_FIELDS, "id"]);
  const parsed = monitorInputFromForm(values, formData.get("enabled") === "on");
  if (!parsed.ok) return fail(parsed.fieldErrors, values);
  try {
    const monitor = values.id
      ? await updateMonitor({ actor, id: ZId.parse(values.id), input: parsed.input })
      : await createMonitor({ actor, input: parsed.input });
    revalidatePath("/monitors");
    revalidatePath(`/monitors/${monitor.id}`);
    return { ok: true, id: monitor.id, name: monitor.name, saved: Date.now() };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function previewMonitorAction(_prev: PreviewMonitorState, formData: FormData): Promise<PreviewMonitorState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, [...MONITOR_FORM_FIELDS, "previewRange"]);
  const parsed = previewInputFromForm(values);
  if (!parsed.ok) return fail(parsed.fieldErrors, values);
  const range = Number(values.previewRange);
  try {
    const result = await previewMonitor({ actor, input: parsed.input, rangeSeconds: PREVIEW_RANGES.has(range) ? range : undefined });
    return {
      ok: true,
      sensitivity: result.sensitivity,
      from: result.from,
      series: result.series.map((s) => ({
        label: seriesLabel(s.labels),
        t: s.points.map((p) => p.t),
        v: s.points.map((p) => p.v),
        score: s.points.map((p) => p.score),
      })),
    };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function deleteMonitorAction(_prev: DeleteMonitorState, formData: FormData): Promise<DeleteMonitorState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  let id: string;
  try {
    id = ZId.parse(formData.get("id"));
    await deleteMonitor({ actor, id });
  } catch (err) {
    return toActionError(err);
  }
  revalidatePath("/monitors");
  // Deleting from the monitor's own page leaves nothing to show there.
  if (formData.get("from") === "detail") redirect("/monitors");
  return { ok: true };
}
