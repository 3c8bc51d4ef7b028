// LaunchDarkly webhooks → a flag change. LaunchDarkly posts an audit log entry: `_id`, `date` (epoch ms),
// `kind` ("flag", "project", "member"…), `name`, `description`/`shortDescription`, `accesses` ([{action,
// resource: "proj/<p>:env/<e>:flag/<key>"}]), `member` {email, firstName, lastName}, `titleVerb`, `title`,
// `target`, `_links`. Only kind "flag" is a change to a running system; other kinds are taken and ignored
// so that a webhook without a policy filter does not fail.
import { z } from "zod";
import { TITLE_MAX, checkTime, clip, orNull, type Parsed } from "@/lib/changes/schemas";

const ZStr = z.string().max(2000);
const ZLink = z.object({ href: ZStr.nullish() }).nullish();

export const ZLaunchDarklyEvent = z.object({
  _id: z.string().min(1).max(200),
  date: z.number().int(),
  kind: z.string().max(100),
  name: ZStr,
  description: z.string().max(20_000).nullish(),
  shortDescription: ZStr.nullish(),
  comment: ZStr.nullish(),
  titleVerb: ZStr.nullish(),
  accesses: z.array(z.object({ action: ZStr.nullish(), resource: ZStr.nullish() })).max(100),
  member: z.object({ email: ZStr.nullish(), firstName: ZStr.nullish(), lastName: ZStr.nullish() }).nullish(),
  _links: z.object({ site: ZLink }).nullish(),
});
export type LaunchDarklyEvent = z.output<typeof ZLaunchDarklyEvent>;

export const isLaunchDarklyEvent = (body: unknown): boolean => {
  const b = body as { _id?: unknown; accesses?: unknown; date?: unknown } | null;
  return !!b && typeof b === "object" && typeof b._id === "string" && Array.isArray(b.accesses) && typeof b.date === "number";
};

/** "proj/default:env/production:flag/new-checkout" → {proj, env, flag}. */
export function parseResource(resource: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of resource.split(":")) {
    const slash = part.indexOf("/");
    if (slash > 0) out[part.slice(0, slash)] = part.slice(slash + 1).replace(/;.*$/, "");
  }
  return out;
}

const LD_SITE = "https://app.launchdarkly.com";

export function fromLaunchDarkly(e: LaunchDarklyEvent, now: Date): Parsed {
  if (e.kind !== "flag") return { ignored: `LaunchDarkly ${e.kind} change: only flag changes are recorded` };
  const access = e.accesses.find((a) => a.resource?.includes("flag/")) ?? e.accesses[0];
  const where = parseResource(access?.resource ?? "");
  const flag = where.flag ?? e.name;
  const env = where.env ?? null;
  // The on/off state, when the entry says so ("turned on", "turned off"); other edits have none.
  const turned = /\bturned (on|off)\b/i.exec(`${e.shortDescription ?? ""} ${e.description ?? ""}`)?.[1]?.toLowerCase() ?? null;
  const what = orNull(e.shortDescription) ?? orNull(e.titleVerb) ?? orNull(access?.action) ?? "changed";
  const person = e.member ? orNull([e.member.firstName, e.member.lastName].filter(Boolean).join(" ")) ?? orNull(e.member.email) : null;
  const site = orNull(e._links?.site?.href);
  const url = site ? (site.startsWith("/") ? `${LD_SITE}${site}` : /^https?:\/\//i.test(site) ? site : null) : null;
  const at = checkTime(e.date, now.getTime()) === null ? new Date(e.date) : now;
  return {
    changes: [
      {
        at,
        source: "launchdarkly",
        kind: "flag",
        title: clip(`Flag ${e.name}${flag !== e.name ? ` (${flag})` : ""}: ${what}${env ? ` in ${env}` : ""}`, TITLE_MAX),
        service: null,
        namespace: null,
        deployment: null,
        cluster: null,
        labels: { flag, ...(env ? { environment: env } : {}), ...(where.proj ? { project: where.proj } : {}), ...(access?.action ? { action: access.action } : {}) },
        revision: turned,
        version: null,
        actor: person,
        url,
        dedupKey: `launchdarkly:${e._id}`,
        raw: { _id: e._id, date: e.date, kind: e.kind, name: e.name, shortDescription: e.shortDescription, description: e.description ? clip(e.description, 4000) : undefined, comment: e.comment, accesses: e.accesses, member: e.member },
      },
    ],
  };
}
