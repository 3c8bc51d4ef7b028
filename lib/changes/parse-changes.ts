// One request body → changes. The shape is told by content: an Argo CD notification has an `app` object,
// a LaunchDarkly webhook an `_id`, a `date` and `accesses`, a generic flag event `flag` and `enabled`;
// anything else must be a generic change. An array is a batch of these. Pure: no database, no clock but
// the `now` it is given.
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { formatPath } from "@/lib/storable-text";
import { BATCH_MAX, boundRaw, type ChangeRecord } from "@/lib/changes/schemas";
import { fromArgoCd, isArgoNotification, ZArgoNotification } from "@/lib/changes/sources/argocd";
import { fromLaunchDarkly, isLaunchDarklyEvent, ZLaunchDarklyEvent } from "@/lib/changes/sources/launchdarkly";
import { fromGeneric, fromGenericFlag, ZGenericChange, ZGenericFlag } from "@/lib/changes/sources/generic";

export type Shape = "argocd" | "launchdarkly" | "flag" | "generic";
export type ParsedItem = { shape: Shape; change: ChangeRecord | null; ignored?: string };
type Issue = { path: (string | number)[]; message: string; code: string };

export function detectShape(body: unknown): Shape {
  if (isArgoNotification(body)) return "argocd";
  if (isLaunchDarklyEvent(body)) return "launchdarkly";
  const b = body as { flag?: unknown; enabled?: unknown } | null;
  if (b && typeof b === "object" && typeof b.flag === "string" && "enabled" in b) return "flag";
  return "generic";
}

const LABEL: Record<Shape, string> = { argocd: "Argo CD notification", launchdarkly: "LaunchDarkly webhook", flag: "flag event", generic: "change" };

function parseWith<T extends z.ZodType>(schema: T, body: unknown, shape: Shape, at: (string | number)[], issues: Issue[]): z.output<T> | null {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  for (const i of r.error.issues) issues.push({ path: [...at, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: `${LABEL[shape]}: ${i.message}`, code: i.code });
  return null;
}

function parseOne(body: unknown, now: Date, at: (string | number)[], issues: Issue[]): ParsedItem | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    issues.push({ path: at, message: "expected a JSON object (a change, an Argo CD notification, a LaunchDarkly webhook or a flag event)", code: "invalid_type" });
    return null;
  }
  const shape = detectShape(body);
  switch (shape) {
    case "argocd": {
      const n = parseWith(ZArgoNotification, body, shape, at, issues);
      if (!n) return null;
      const r = fromArgoCd(n, now);
      return "ignored" in r ? { shape, change: null, ignored: r.ignored } : { shape, change: r.changes[0]! };
    }
    case "launchdarkly": {
      const e = parseWith(ZLaunchDarklyEvent, body, shape, at, issues);
      if (!e) return null;
      const r = fromLaunchDarkly(e, now);
      return "ignored" in r ? { shape, change: null, ignored: r.ignored } : { shape, change: r.changes[0]! };
    }
    case "flag": {
      const f = parseWith(ZGenericFlag, body, shape, at, issues);
      return f ? { shape, change: fromGenericFlag(f, now, body) } : null;
    }
    case "generic": {
      const g = parseWith(ZGenericChange, body, shape, at, issues);
      return g ? { shape, change: fromGeneric(g, now, body) } : null;
    }
  }
}

/**
 * Every item of the body, or a 400 listing every problem (`details[].path` says where). A batch is
 * all or nothing: its sender fixes the bad item and sends it again, and the good ones deduplicate.
 */
export function parseChanges(body: unknown, now = new Date()): { batch: boolean; items: ParsedItem[] } {
  const issues: Issue[] = [];
  const batch = Array.isArray(body);
  if (batch && body.length === 0) throw new AppError("validation_failed", "an empty batch: send at least one change");
  if (batch && body.length > BATCH_MAX) throw new AppError("validation_failed", `a batch of ${body.length} changes; at most ${BATCH_MAX} per request`);
  const items = (batch ? body : [body]).map((b, i) => parseOne(b, now, batch ? [i] : [], issues));
  if (issues.length) {
    const message = issues.slice(0, 10).map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
    throw new AppError("validation_failed", `invalid body: ${message}${issues.length > 10 ? `; and ${issues.length - 10} more` : ""}`, issues);
  }
  return { batch, items: (items as ParsedItem[]).map((it) => (it.change ? { ...it, change: { ...it.change, raw: boundRaw(it.change.raw) } } : it)) };
}
