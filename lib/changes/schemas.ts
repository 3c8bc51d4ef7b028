// What a change is once it is ours, whichever sender it came from, and the bounds every sender's input
// is held to. The three shapes POST /api/v1/changes accepts are parsed in lib/changes/sources/.
import { createHash } from "node:crypto";
import { z } from "zod";

export const CHANGE_KINDS = ["deploy", "rollback", "config", "flag", "scale", "other"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const TITLE_MAX = 500;
/** Service, namespace, deployment, cluster, revision, version, actor, source ids. */
export const NAME_MAX = 253;
export const URL_MAX = 2000;
export const LABELS_MAX = 50;
export const LABEL_NAME_MAX = 200;
export const LABEL_VALUE_MAX = 2000;
/** A batch is one request's worth: an agent sends at most this many at once. */
export const BATCH_MAX = 500;
/** The original payload is kept for people to read, not to replay: larger ones are cut. */
export const RAW_MAX_BYTES = 16 * 1024;
/** A change more than a day ahead of our clock is a broken sender, not a change. */
const MAX_AHEAD_MS = 24 * 3600_000;

/** One change, ready to store. */
export type ChangeRecord = {
  at: Date;
  source: string;
  kind: ChangeKind;
  title: string;
  service: string | null;
  namespace: string | null;
  deployment: string | null;
  cluster: string | null;
  labels: Record<string, string>;
  revision: string | null;
  version: string | null;
  actor: string | null;
  url: string | null;
  dedupKey: string;
  raw: unknown;
};

/** What a parser makes of one payload: changes, or a reason to take it without storing anything. */
export type Parsed = { changes: ChangeRecord[] } | { ignored: string };

export const ZName = z.string().trim().min(1).max(NAME_MAX);
export const ZLabels = z
  .record(z.string().min(1).max(LABEL_NAME_MAX), z.string().max(LABEL_VALUE_MAX))
  .refine((l) => Object.keys(l).length <= LABELS_MAX, { message: `at most ${LABELS_MAX} labels` });
/** Links are shown on the incident page: only http(s), so a change can never carry a javascript: URL. */
export const ZLink = z
  .string()
  .max(URL_MAX)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: "must be an http(s) URL" });
export const ZAt = z.iso
  .datetime({ offset: true })
  .pipe(z.string().refine((s) => checkTime(Date.parse(s)) === null, { message: "must be after 1970 and at most a day ahead of the server's clock" }));
export const ZSource = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "lower-case letters, digits, '.', '_' or '-' (at most 63)");

/** Null when `ms` is a plausible change time. */
export function checkTime(ms: number, now = Date.now()): string | null {
  if (Number.isNaN(ms)) return "not a timestamp";
  if (ms < 0 || ms > now + MAX_AHEAD_MS) return "must be after 1970 and at most a day ahead of the server's clock";
  return null;
}

/** Cuts display text to `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return `${head}…`;
}

/** Keeps `raw` when its JSON fits RAW_MAX_BYTES, otherwise a cut excerpt of it that says so. */
export function boundRaw(raw: unknown): unknown {
  const text = JSON.stringify(raw ?? {});
  const bytes = Buffer.byteLength(text);
  if (bytes <= RAW_MAX_BYTES) return raw ?? {};
  // Characters, not bytes, for the cut; a quarter of the budget leaves room for multi-byte text.
  return { truncated: true, bytes, excerpt: clip(text, RAW_MAX_BYTES / 4) };
}

/** Stable id for a change its sender gave no id: the same event sent twice is stored once. */
export function contentKey(source: string, fields: unknown): string {
  return `${source}:sha256:${createHash("sha256").update(JSON.stringify(fields)).digest("hex")}`;
}

/** Empty strings mean "not given" everywhere: a sender's template often renders a missing value as "". */
export const orNull = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};
