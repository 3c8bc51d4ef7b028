"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { AppError } from "@/lib/errors";
import { requestRun } from "@/lib/orchestrator/request-run";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import { startDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun, rejectRun } from "@/lib/orchestrator/approve-run";
import { setOutcomeNote } from "@/lib/orchestrator/outcome-note";
import { ZApproveInput, ZCancelInput, ZRejectInput } from "@/lib/orchestrator/schemas";
import { requestRunAgain } from "@/lib/orchestrator/request-again";
import { PARAM_PREFIX } from "./_lib/run-types";
import { formValues, notSignedIn, toActionError, type ActionResult, type FieldErrors } from "../_lib/action-result";

const ZRequestRunForm = z.object({
  playbook: z.string({ error: "choose a playbook" }).trim().min(1, "choose a playbook").max(200),
  incidentId: z.string().uuid().optional(),
  reason: z.string().trim().max(2000).optional(),
});
const ZRunId = z.object({ id: z.string().uuid() });

export type RequestRunState = ActionResult<{ id: string }>;
export type RunActionState = ActionResult<{ message: string }>;
export type DecisionState = ActionResult<{ message: string }>;

function revalidateRun(id: string, incidentId?: string | null) {
  revalidatePath("/runs");
  revalidatePath(`/runs/${id}`);
  revalidatePath("/approvals");
  if (incidentId) revalidatePath(`/incidents/${incidentId}`);
}

/** resolveParams reports problems at ["params", name]; put them next to the param's input. */
function paramFieldErrors(err: unknown): FieldErrors | undefined {
  if (!(err instanceof AppError) || !Array.isArray(err.details)) return undefined;
  const out: FieldErrors = {};
  for (const d of err.details as { path?: unknown[]; message?: string }[]) {
    if (d.path?.[0] === "params" && typeof d.path[1] === "string" && d.message) (out[`${PARAM_PREFIX}${d.path[1]}`] ??= []).push(d.message);
  }
  return Object.keys(out).length ? out : undefined;
}

export async function requestRunAction(_prev: RequestRunState, formData: FormData): Promise<RequestRunState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const paramKeys = [...new Set([...formData.keys()].filter((k) => k.startsWith(PARAM_PREFIX)))];
  const values = formValues(formData, ["playbook", "incidentId", "reason", ...paramKeys]);
  let id: string;
  try {
    const { playbook, incidentId, reason } = ZRequestRunForm.parse({ playbook: values.playbook, incidentId: values.incidentId, reason: values.reason });
    // Empty inputs are left out, so the playbook's defaults (and its required checks) apply.
    const params: Record<string, string> = {};
    for (const key of paramKeys) if (values[key] !== undefined) params[key.slice(PARAM_PREFIX.length)] = values[key]!;
    const run = await requestRun({ actor, input: { playbook, incidentId, reason, params } });
    id = run.id;
    revalidateRun(id, incidentId);
  } catch (err) {
    const out = toActionError(err, values);
    const fieldErrors = paramFieldErrors(err);
    return fieldErrors ? { ...out, fieldErrors: { ...out.fieldErrors, ...fieldErrors } } : out;
  }
  redirect(`/runs/${id}`);
}

export async function cancelRunAction(_prev: RunActionState, formData: FormData): Promise<RunActionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["id", "reason"]);
  try {
    const { id } = ZRunId.parse(values);
    const { reason } = ZCancelInput.parse({ reason: values.reason });
    const run = await cancelRun({ actor, id, reason });
    revalidateRun(id, run.incidentId);
    return { ok: true, message: run.status === "cancelled" ? "Run cancelled." : "Cancellation requested: the run stops after its current step." };
  } catch (err) {
    return toActionError(err, { reason: values.reason });
  }
}

export async function dryRunAction(_prev: RunActionState, formData: FormData): Promise<RunActionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { id } = ZRunId.parse(formValues(formData, ["id"]));
    const run = await startDryRun({ actor, id });
    revalidateRun(id, run.incidentId);
    return { ok: true, message: "Dry-run started; approvals given for the previous plan were discarded." };
  } catch (err) {
    return toActionError(err);
  }
}

// `intent` is the name/value of the button that submitted the form (Approve or Reject).
const ZDecisionForm = z.object({ id: z.string().uuid(), intent: z.enum(["approve", "reject"]) });

/** Approve or reject; on success the approver lands on the run page to follow what happens next. */
export async function decideRunAction(_prev: DecisionState, formData: FormData): Promise<DecisionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["id", "intent", "comment", "override", "overrideReason"]);
  let id: string;
  try {
    const form = ZDecisionForm.parse(values);
    id = form.id;
    let run;
    if (form.intent === "approve") {
      const input = ZApproveInput.parse({ comment: values.comment, ...(values.override === "true" ? { override: true, reason: values.overrideReason } : {}) });
      run = await approveRun({ actor, id, comment: input.comment, ...(input.override ? { override: { reason: input.reason! } } : {}) });
    } else run = await rejectRun({ actor, id, comment: ZRejectInput.parse({ comment: values.comment ?? "" }).comment });
    revalidateRun(id, run.incidentId);
  } catch (err) {
    return toActionError(err, { comment: values.comment, overrideReason: values.overrideReason });
  }
  redirect(`/runs/${id}`);
}

/** A new run of the same playbook version with the same params (and a fresh dry-run); lands on it. */
export async function requestAgainAction(_prev: RunActionState, formData: FormData): Promise<RunActionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  let id: string;
  try {
    const { id: oldId } = ZRunId.parse(formValues(formData, ["id"]));
    const run = await requestRunAgain({ actor, id: oldId });
    id = run.id;
    revalidateRun(oldId, run.incidentId);
  } catch (err) {
    return toActionError(err);
  }
  redirect(`/runs/${id}`);
}

/** How a finished run went, in the operator's words (lib/orchestrator/outcome-note.ts checks the rest). */
export async function outcomeNoteAction(_prev: RunActionState, formData: FormData): Promise<RunActionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["id", "note"]);
  try {
    const { id } = ZRunId.parse(values);
    await setOutcomeNote({ actor, id, input: { note: values.note ?? "" } });
    revalidatePath(`/runs/${id}`);
    return { ok: true, message: "Note saved." };
  } catch (err) {
    return toActionError(err, { note: values.note });
  }
}
