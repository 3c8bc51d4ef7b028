"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { requestRun } from "@/lib/orchestrator/request-run";
import { cancelRun } from "@/lib/orchestrator/cancel-run";
import { startDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun, rejectRun } from "@/lib/orchestrator/approve-run";
import { setOutcomeNote } from "@/lib/orchestrator/outcome-note";
import { ZApproveInput, ZCancelInput, ZRejectInput } from "@/lib/orchestrator/schemas";
import { requestRunAgain } from "@/lib/orchestrator/request-again";
import { PARAM_PREFIX } from "./_lib/run-types";
import { formValues, toActionError, type ActionResult, type FieldErrors } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

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

const paramKeysOf = (formData: FormData) => [...new Set([...formData.keys()].filter((k) => k.startsWith(PARAM_PREFIX)))];

export const requestRunAction = serverAction<{ id: string }>(
  async ({ actor, formData, values }) => {
    const { playbook, incidentId, reason } = ZRequestRunForm.parse({ playbook: values.playbook, incidentId: values.incidentId, reason: values.reason });
    // Empty inputs are left out, so the playbook's defaults (and its required checks) apply.
    const params: Record<string, string> = {};
    for (const key of paramKeysOf(formData)) if (values[key] !== undefined) params[key.slice(PARAM_PREFIX.length)] = values[key]!;
    const run = await requestRun({ actor, input: { playbook, incidentId, reason, params } });
    revalidateRun(run.id, incidentId);
    redirect(`/runs/${run.id}`);
  },
  {
    fields: (formData) => formValues(formData, ["playbook", "incidentId", "reason", ...paramKeysOf(formData)]),
    echo: true,
    onError: (err, values) => {
      const out = toActionError(err, values);
      const fieldErrors = paramFieldErrors(err);
      return fieldErrors ? { ...out, fieldErrors: { ...out.fieldErrors, ...fieldErrors } } : out;
    },
  },
);

export const cancelRunAction = serverAction(
  async ({ actor, values }) => {
    const { id } = ZRunId.parse(values);
    const { reason } = ZCancelInput.parse({ reason: values.reason });
    const run = await cancelRun({ actor, id, reason });
    revalidateRun(id, run.incidentId);
    return { message: run.status === "cancelled" ? "Run cancelled." : "Cancellation requested: the run stops after its current step." };
  },
  { fields: ["id", "reason"], echo: (values) => ({ reason: values.reason }) },
);

export const dryRunAction = serverAction(
  async ({ actor, values }) => {
    const { id } = ZRunId.parse(values);
    const run = await startDryRun({ actor, id });
    revalidateRun(id, run.incidentId);
    return { message: "Dry-run started; approvals given for the previous plan were discarded." };
  },
  { fields: ["id"] },
);

// `intent` is the name/value of the button that submitted the form (Approve or Reject).
const ZDecisionForm = z.object({ id: z.string().uuid(), intent: z.enum(["approve", "reject"]) });

/** Approve or reject; on success the approver lands on the run page to follow what happens next. */
export const decideRunAction = serverAction<{ message: string }>(
  async ({ actor, values }) => {
    const { id, intent } = ZDecisionForm.parse(values);
    let run;
    if (intent === "approve") {
      const input = ZApproveInput.parse({ comment: values.comment, ...(values.override === "true" ? { override: true, reason: values.overrideReason } : {}) });
      run = await approveRun({ actor, id, comment: input.comment, ...(input.override ? { override: { reason: input.reason! } } : {}) });
    } else run = await rejectRun({ actor, id, comment: ZRejectInput.parse({ comment: values.comment ?? "" }).comment });
    revalidateRun(id, run.incidentId);
    redirect(`/runs/${id}`);
  },
  { fields: ["id", "intent", "comment", "override", "overrideReason"], echo: (values) => ({ comment: values.comment, overrideReason: values.overrideReason }) },
);

/** A new run of the same playbook version with the same params (and a fresh dry-run); lands on it. */
export const requestAgainAction = serverAction<{ message: string }>(
  async ({ actor, values }) => {
    const { id: oldId } = ZRunId.parse(values);
    const run = await requestRunAgain({ actor, id: oldId });
    revalidateRun(oldId, run.incidentId);
    redirect(`/runs/${run.id}`);
  },
  { fields: ["id"] },
);

/** How a finished run went, in the operator's words (lib/orchestrator/outcome-note.ts checks the rest). */
export const outcomeNoteAction = serverAction(
  async ({ actor, values }) => {
    const { id } = ZRunId.parse(values);
    await setOutcomeNote({ actor, id, input: { note: values.note ?? "" } });
    revalidatePath(`/runs/${id}`);
    return { message: "Note saved." };
  },
  { fields: ["id", "note"], echo: (values) => ({ note: values.note }) },
);
