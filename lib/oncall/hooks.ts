// What the incident lifecycle tells on-call, after its transaction has committed. A lost enqueue (Redis
// away) is caught up by the oncall.sweep job, so callers log and go on.
import { enqueueMany } from "@/lib/jobs/queue";

function warn(msg: string, err: Error) {
  console.error(JSON.stringify({ level: "warn", msg, error: err.message }));
}

export const openedJobId = (incidentId: string) => `oncall-opened-${incidentId}`;

export async function incidentsOpened(incidentIds: readonly string[]) {
  if (!incidentIds.length) return;
  await enqueueMany(incidentIds.map((incidentId) => ({ name: "oncall.incident_opened" as const, payload: { incidentId }, opts: { jobId: openedJobId(incidentId) } }))).catch((err: Error) =>
    warn("could not queue on-call paging (the sweep will)", err),
  );
}

export async function incidentsChanged(incidentIds: readonly string[], status: "acknowledged" | "resolved") {
  if (!incidentIds.length) return;
  await enqueueMany(
    incidentIds.map((incidentId) => ({ name: "oncall.incident_status" as const, payload: { incidentId, status }, opts: { jobId: `oncall-${status}-${incidentId}` } })),
  ).catch((err: Error) => warn("could not queue on-call status change (the sweep will)", err));
}
