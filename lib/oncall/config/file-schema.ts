// The on-call configuration file (`npm run cli -- oncall apply <file.yaml>`): the same objects as the API,
// with references by name (channels, schedules, policies) and email (people) instead of ids, and matchers
// also written the Alertmanager way (`team="payments"`). Each object's rules come from the API's schemas.
import { z } from "zod";
import { ZMatcher, type Matcher } from "@/lib/oncall/matchers";
import { ZChannelCreate, inhibitionSchema, policySchema, routeSchema, silenceSchema, targetSchema } from "@/lib/oncall/schemas";
import { scheduleSchema } from "@/lib/oncall/schedules/schemas";

const MATCHER_RE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** `label="value"`, `label!~"re.*"`, or unquoted `label=value`; null when it is none of these. */
export function parseMatcher(text: string): Matcher | null {
  const m = MATCHER_RE.exec(text);
  if (!m) return null;
  const [, label, op, raw] = m as unknown as [string, string, Matcher["op"], string];
  if (!raw.startsWith('"')) return { label, op, value: raw };
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? { label, op, value } : null;
  } catch {
    return null;
  }
}

const ZFileMatcher = z
  .unknown()
  .transform((v, ctx) => {
    if (typeof v !== "string") return v;
    const m = parseMatcher(v);
    if (!m) ctx.addIssue({ code: "custom", message: 'not a matcher: write label="value", with =, !=, =~ or !~' });
    return m ?? v;
  })
  .pipe(ZMatcher);
const ZFileMatchers = z.array(ZFileMatcher).max(50) as unknown as z.ZodType<Matcher[]>;

const ZRefName = z.string().trim().min(1).max(200);
const ZEmail = z.string().trim().toLowerCase().email().max(320);

export const ZFileTarget = targetSchema({ channel: ZRefName, user: ZEmail, schedule: ZRefName });
export type FileTarget = z.output<typeof ZFileTarget>;

export const ZFileSchedule = scheduleSchema(ZEmail);
export const ZFilePolicy = policySchema(ZFileTarget);
export const ZFileRoute = routeSchema(ZRefName, ZFileMatchers);
export const ZFileSilence = silenceSchema(ZFileMatchers);
export const ZFileInhibition = inhibitionSchema(ZFileMatchers);

/**
 * A section that is present is managed: with `prune: true`, objects of that kind the file does not name
 * are deleted (silences: only those an earlier apply created). A missing section leaves its kind alone.
 */
export const ZOncallFile = z
  .object({
    prune: z.boolean().default(false),
    channels: z.array(ZChannelCreate).max(200).optional(),
    schedules: z.array(ZFileSchedule).max(200).optional(),
    policies: z.array(ZFilePolicy).max(200).optional(),
    // In evaluation order.
    routes: z.array(ZFileRoute).max(500).optional(),
    silences: z.array(ZFileSilence).max(500).optional(),
    inhibitionRules: z.array(ZFileInhibition).max(200).optional(),
  })
  .strict();
export type OncallFile = z.output<typeof ZOncallFile>;

export const KINDS = ["channels", "schedules", "policies", "routes", "silences", "inhibitionRules"] as const;
export type Kind = (typeof KINDS)[number];

/** Channel fields that are credentials: the file should take them from the environment (`${VAR}`). */
export const CREDENTIAL_FIELDS = ["signingSecret", "botToken", "webhookUrl", "routingKey", "password"] as const;
