import { z } from "zod";
import { RUN_STATUSES } from "@/lib/orchestrator/policy";

export const ZRequestRunInput = z
  .object({
    playbook: z.string().trim().min(1).max(200),
    // Defaults to the latest version.
    version: z.number().int().positive().optional(),
    incidentId: z.string().uuid().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    reason: z.string().trim().max(2000).optional(),
    // Start the dry-run right away (the usual flow); false leaves the run suggested.
    dryRun: z.boolean().default(true),
  })
  .strict();
export type RequestRunInput = z.input<typeof ZRequestRunInput>;

export const ZDecisionInput = z.object({ comment: z.string().trim().max(2000).optional() }).strict();
/** Approve; `override: true` (admins) approves a run whose dry-run says it cannot run, and must say why. */
export const ZApproveInput = ZDecisionInput.extend({
  override: z.boolean().optional(),
  reason: z.string().trim().min(1).max(2000).optional(),
}).refine((v) => !v.override || v.reason, { path: ["reason"], message: "say why you override the dry-run's verdict" });
export type ApproveInput = z.input<typeof ZApproveInput>;
export const ZRejectInput = z.object({ comment: z.string().trim().min(1, "say why you reject it").max(2000) }).strict();
export const ZRequestAgainInput = z.object({ reason: z.string().trim().max(2000).optional() }).strict();
export type RequestAgainInput = z.input<typeof ZRequestAgainInput>;
export const ZCancelInput = z.object({ reason: z.string().trim().max(2000).optional() }).strict();

export const ZListRunsQuery = z
  .object({
    status: z.enum(RUN_STATUSES).optional(),
    incidentId: z.string().uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListRunsQuery = z.input<typeof ZListRunsQuery>;
