// The dry run as text: one line per object that changes, with what changes under it, then the totals.
import { singular, type Plan, type PlannedChange } from "@/lib/oncall/config/plan-config";

const MARK = { create: "+", update: "~", delete: "-" } as const;

function verb(c: PlannedChange) {
  if (c.kind === "silences" && c.action === "delete") return "expire";
  return c.action;
}

export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`  ${MARK[c.action]} ${verb(c)} ${singular(c.kind)} ${JSON.stringify(c.name)}${c.action === "create" && c.details.length ? ` (${c.details.join("; ")})` : ""}`);
    if (c.action !== "create") for (const d of c.details) lines.push(`      ${d}`);
  }
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  const count = (a: PlannedChange["action"]) => plan.changes.filter((c) => c.action === a).length;
  lines.push(`Plan: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${plan.unchanged.length} unchanged.`);
  return lines.join("\n");
}

export const hasChanges = (plan: Plan) => plan.changes.length > 0;
