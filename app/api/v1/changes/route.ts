import { json, route } from "@/lib/http/route";
import { z } from "zod";
import { ingestChanges, ZIngestQuery } from "@/lib/changes/ingest-changes";
import { listChanges, ZListChangesQuery } from "@/lib/changes/list-changes";

// Change events (deploys, rollbacks, config and flag changes) from Argo CD notifications, LaunchDarkly
// webhooks, the in-cluster agent and scripts. The same permission as alert ingestion, so an ingest token
// works; lib/changes/parse-changes.ts tells the shapes apart.
export const POST = route(
  { name: "/api/v1/changes", permission: "signals.ingest", body: z.unknown(), query: ZIngestQuery },
  async ({ actor, body, query }) => {
    const r = await ingestChanges({ actor, body, query });
    return json(r.body, r.status);
  },
);

export const GET = route({ name: "/api/v1/changes", permission: "incidents.read", query: ZListChangesQuery }, ({ actor, query }) => listChanges({ actor, query }));
