// Applying a plan: its changes one by one, each through the same lib/oncall function (and audit event)
// the API uses. The first failure stops the apply; what was done stays done, and running the apply again
// continues from there (a change already made plans as unchanged).
import type { Actor } from "@/lib/context";
import type { Plan, PlannedChange } from "@/lib/oncall/config/plan-config";

export type ApplyResult = {
  applied: { change: PlannedChange; secret?: string }[];
  failed: { change: PlannedChange; error: Error } | null;
};

export async function applyOncallPlan({ actor, plan }: { actor: Actor; plan: Plan }): Promise<ApplyResult> {
  const ctx = { actor, channel: new Map(plan.context.channel), schedule: new Map(plan.context.schedule), policy: new Map(plan.context.policy), user: plan.context.user };
  const applied: ApplyResult["applied"] = [];
  for (const change of plan.changes) {
    try {
      const out = await change.run(ctx);
      applied.push({ change, ...(out?.secret ? { secret: out.secret } : {}) });
    } catch (err) {
      return { applied, failed: { change, error: err as Error } };
    }
  }
  return { applied, failed: null };
}
