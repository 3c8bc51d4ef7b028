import type { Actor } from "@/lib/context";
import { listIncidentNotifications } from "@/lib/oncall/list-notifications";
import { PagingLive, type PagingData } from "./paging-live";

/** The incident's paging: server-rendered first, then kept current by the client while paging goes on. */
export async function PagingPanel({ actor, incidentId }: { actor: Actor; incidentId: string }) {
  const data = JSON.parse(JSON.stringify(await listIncidentNotifications({ actor, id: incidentId }))) as PagingData;
  return <PagingLive incidentId={incidentId} initial={data} />;
}
