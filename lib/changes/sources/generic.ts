// The generic shapes: a change described field by field (what scripts, CI jobs and the agent send), and
// a feature flag switched on or off (`{flag, enabled, environment?}`), for flag services without a
// parser of their own here.
import { z } from "zod";
import { CHANGE_KINDS, TITLE_MAX, ZAt, ZLabels, ZLink, ZName, ZSource, clip, contentKey, orNull, type ChangeRecord } from "@/lib/changes/schemas";

const subject = {
  service: ZName.optional(),
  namespace: ZName.optional(),
  deployment: ZName.optional(),
  cluster: ZName.optional(),
  labels: ZLabels.optional(),
};
const common = {
  at: ZAt.optional(),
  // A sender's own id for the change: the same id twice is stored once (per source).
  id: ZName.optional(),
  source: ZSource.optional(),
  actor: ZName.optional(),
  url: ZLink.optional(),
};

// Strict: a misspelt field ("servce") is a 400 naming it, not a change quietly missing its service.
export const ZGenericChange = z
  .object({
    ...common,
    ...subject,
    kind: z.enum(CHANGE_KINDS),
    title: z.string().trim().min(1).max(TITLE_MAX),
    revision: ZName.optional(),
    version: ZName.optional(),
  })
  .strict();
export type GenericChange = z.input<typeof ZGenericChange>;

export const ZGenericFlag = z
  .object({
    ...common,
    ...subject,
    flag: ZName,
    enabled: z.boolean(),
    environment: ZName.optional(),
    // The variation now served, for multi-variate flags.
    variant: ZName.optional(),
    title: z.string().trim().min(1).max(TITLE_MAX).optional(),
  })
  .strict();

function record(e: z.output<typeof ZGenericChange> | z.output<typeof ZGenericFlag>, fields: Omit<ChangeRecord, "at" | "dedupKey" | "raw" | "source">, source: string, now: Date, raw: unknown): ChangeRecord {
  const at = e.at ? new Date(e.at) : now;
  const dedupKey = e.id ? `${source}:id:${e.id}` : contentKey(source, { ...fields, at: at.toISOString() });
  return { ...fields, at, source, dedupKey, raw };
}

export function fromGeneric(input: z.output<typeof ZGenericChange>, now: Date, raw: unknown): ChangeRecord {
  return record(
    input,
    {
      kind: input.kind,
      title: input.title,
      service: orNull(input.service),
      namespace: orNull(input.namespace),
      deployment: orNull(input.deployment),
      cluster: orNull(input.cluster),
      labels: input.labels ?? {},
      revision: orNull(input.revision),
      version: orNull(input.version),
      actor: orNull(input.actor),
      url: orNull(input.url),
    },
    input.source ?? "api",
    now,
    raw,
  );
}

export function fromGenericFlag(input: z.output<typeof ZGenericFlag>, now: Date, raw: unknown): ChangeRecord {
  const state = input.enabled ? "on" : "off";
  const where = input.environment ? ` in ${input.environment}` : "";
  return record(
    input,
    {
      kind: "flag",
      title: input.title ?? clip(`Flag ${input.flag} turned ${state}${where}${input.variant ? ` (serving ${input.variant})` : ""}`, TITLE_MAX),
      service: orNull(input.service),
      namespace: orNull(input.namespace),
      deployment: orNull(input.deployment),
      cluster: orNull(input.cluster),
      labels: { ...input.labels, flag: input.flag, ...(input.environment ? { environment: input.environment } : {}) },
      revision: input.variant ? `${state}:${input.variant}` : state,
      version: null,
      actor: orNull(input.actor),
      url: orNull(input.url),
    },
    input.source ?? "flag",
    now,
    raw,
  );
}
