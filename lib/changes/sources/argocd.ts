// Argo CD notifications (the `webhook` service of argocd-notifications) → a deploy change.
//
// A webhook's body is whatever its template renders, so we read the Application object's own field
// names: `{"app": {{toJson .app}}}` works, and so does the smaller template in the README, which keeps the
// same paths (app.metadata.name, app.spec.destination, app.status.sync, app.status.operationState…).
// Fields read: metadata.{name,namespace,uid,labels}, spec.{project,destination,source}, status.sync.{status,
// revision(s)}, status.health.status, status.operationState.{phase,message,startedAt,finishedAt,
// operation.initiatedBy,syncResult.revision(s)}, status.summary.images; and context.argocdUrl for the link.
import { z } from "zod";
import { TITLE_MAX, ZLabels, checkTime, clip, orNull, type Parsed } from "@/lib/changes/schemas";

// Go's toJson renders a nil map or pointer as null: every optional object here may be null.
const ZStr = z.string().max(2000);
const ZRevision = z.object({ revision: ZStr.nullish(), revisions: z.array(ZStr).max(20).nullish() });

export const ZArgoNotification = z.object({
  app: z.object({
    metadata: z.object({
      name: z.string().min(1).max(253),
      namespace: z.string().max(253).nullish(),
      uid: z.string().max(100).nullish(),
      labels: ZLabels.nullish(),
    }),
    spec: z
      .object({
        project: ZStr.nullish(),
        destination: z.object({ server: ZStr.nullish(), namespace: ZStr.nullish(), name: ZStr.nullish() }).nullish(),
        source: z.object({ repoURL: ZStr.nullish(), path: ZStr.nullish(), targetRevision: ZStr.nullish(), chart: ZStr.nullish() }).nullish(),
      })
      .nullish(),
    status: z.object({
      sync: ZRevision.extend({ status: ZStr.nullish() }).nullish(),
      health: z.object({ status: ZStr.nullish() }).nullish(),
      operationState: z
        .object({
          phase: ZStr.nullish(),
          message: ZStr.nullish(),
          startedAt: ZStr.nullish(),
          finishedAt: ZStr.nullish(),
          operation: z
            .object({
              sync: ZRevision.nullish(),
              initiatedBy: z.object({ username: ZStr.nullish(), automated: z.boolean().nullish() }).nullish(),
            })
            .nullish(),
          syncResult: ZRevision.nullish(),
        })
        .nullish(),
      summary: z.object({ images: z.array(ZStr).max(200).nullish() }).nullish(),
    }),
  }),
  context: z.object({ argocdUrl: ZStr.nullish() }).nullish(),
});
export type ArgoNotification = z.output<typeof ZArgoNotification>;

/** The body looks like an Argo CD notification: an `app` object with metadata and status. */
export const isArgoNotification = (body: unknown): boolean => {
  const app = (body as { app?: unknown } | null)?.app as { metadata?: unknown; status?: unknown } | undefined;
  return !!app && typeof app === "object" && typeof app.metadata === "object" && "status" in app;
};

const revisionOf = (r: z.output<typeof ZRevision> | null | undefined) => orNull(r?.revision) ?? (r?.revisions?.length ? r.revisions.join(",") : null);
const short = (rev: string) => (/^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev);

export function fromArgoCd(n: ArgoNotification, now: Date): Parsed {
  const { metadata, spec, status } = n.app;
  const op = status.operationState;
  if (!op) return { ignored: `Argo CD application ${metadata.name} has no operationState: nothing was synced (subscribe the NeuralOps webhook to on-deployed, on-sync-succeeded or on-sync-failed)` };
  const revision = revisionOf(op.syncResult) ?? revisionOf(op.operation?.sync) ?? revisionOf(status.sync);
  const when = [op.finishedAt, op.startedAt].map((t) => (t ? Date.parse(t) : NaN)).find((ms) => checkTime(ms, now.getTime()) === null);
  const at = when === undefined ? now : new Date(when);
  const phase = orNull(op.phase) ?? "unknown";
  const images = status.summary?.images ?? [];
  const initiatedBy = op.operation?.initiatedBy;
  const base = orNull(n.context?.argocdUrl)?.replace(/\/+$/, "");
  const url = base && /^https?:\/\//i.test(base) ? `${base}/applications/${encodeURIComponent(metadata.name)}` : null;
  const target = revision ? ` to ${short(revision)}` : "";
  const destination = orNull(spec?.destination?.name) ?? orNull(spec?.destination?.server);
  return {
    changes: [
      {
        at,
        source: "argocd",
        kind: "deploy",
        title: clip(`Argo CD sync of ${metadata.name}${target}: ${phase}${op.message && phase !== "Succeeded" ? ` (${op.message})` : ""}`, TITLE_MAX),
        // An Application usually is one service; its name is what people call it.
        service: metadata.name,
        namespace: orNull(spec?.destination?.namespace),
        deployment: null,
        // Argo CD's name for the destination (or its API URL) is rarely what alerts call the cluster, and a
        // mismatch would hide the change from an incident there: kept as a label; `?cluster=` on the webhook
        // URL names the cluster when one Argo CD serves several.
        cluster: null,
        labels: {
          ...(metadata.labels ?? {}),
          argocd_app: metadata.name,
          ...(spec?.project ? { argocd_project: spec.project } : {}),
          ...(destination ? { argocd_destination: destination } : {}),
        },
        revision,
        version: images.length === 1 ? images[0]! : null,
        actor: orNull(initiatedBy?.username) ?? (initiatedBy?.automated ? "argocd (automated sync)" : null),
        url,
        // One sync operation is one change: a repeat delivery, or on-sync-running followed by
        // on-sync-succeeded for the same operation, finds the first row.
        dedupKey: `argocd:${metadata.uid ?? `${metadata.namespace ?? ""}/${metadata.name}`}:${op.startedAt ?? op.finishedAt ?? at.toISOString()}:${revision ?? ""}`,
        // The parts worth reading later; never spec.source.helm (values can hold secrets).
        raw: {
          app: {
            metadata: { name: metadata.name, namespace: metadata.namespace, uid: metadata.uid, labels: metadata.labels },
            spec: { project: spec?.project, destination: spec?.destination, source: spec?.source ? { repoURL: spec.source.repoURL, path: spec.source.path, targetRevision: spec.source.targetRevision, chart: spec.source.chart } : undefined },
            status: { sync: status.sync, health: status.health, operationState: { phase: op.phase, message: op.message, startedAt: op.startedAt, finishedAt: op.finishedAt, initiatedBy, revision }, images },
          },
        },
      },
    ],
  };
}
