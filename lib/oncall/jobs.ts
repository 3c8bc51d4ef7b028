// Job handlers of the on-call engine (definitions in lib/jobs/definitions.ts).
import type { JobContext, ParsedPayload } from "@/lib/jobs/definitions";
import { JOBS } from "@/lib/jobs/definitions";
import { startPaging } from "@/lib/oncall/start-paging";
import { escalate } from "@/lib/oncall/escalate";
import { deliverNotification } from "@/lib/oncall/deliver";
import { onIncidentStatus } from "@/lib/oncall/stop-escalation";
import { sweepOncall } from "@/lib/oncall/sweep";

export const handleIncidentOpened = (p: ParsedPayload<"oncall.incident_opened">) => startPaging(p.incidentId);
export const handleEscalate = (p: ParsedPayload<"oncall.escalate">) => escalate(p);
export const handleDeliver = (p: ParsedPayload<"oncall.deliver">, ctx: JobContext) =>
  deliverNotification(p, { attempt: ctx.attempt, maxAttempts: JOBS["oncall.deliver"].defaults?.attempts ?? 1 });
export const handleIncidentStatus = (p: ParsedPayload<"oncall.incident_status">) => onIncidentStatus(p);
export const handleSweep = () => sweepOncall();
