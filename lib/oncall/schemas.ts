// Inputs of the on-call API (channels, escalation policies, routes, silences, inhibition rules), one
// owner for each rule and default: the routes, the UI and the engine read them from here.
import { z } from "zod";
import { ZMatchers, matchesEmpty, type Matcher } from "@/lib/oncall/matchers";
import { ZRecurrence } from "@/lib/oncall/recurrence";
import { isWebhookSecret } from "@/lib/webhooks/standard-webhooks";

export const CHANNEL_TYPES = ["webhook", "slack", "teams", "email", "pagerduty"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const hasUserinfo = (u: string) => {
  const url = new URL(u);
  return url.username !== "" || url.password !== "";
};
const ZHttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "an http or https URL")
  .refine((u) => !hasUserinfo(u), "must not contain a user name or password");

const ZName = z.string().trim().min(1).max(100);
const ZEmail = z.string().trim().email().max(320);

/**
 * Per channel type: what the API accepts. On create, a channel's credentials are required (a webhook's
 * signing secret is generated when omitted); on update, an omitted credential keeps the stored one.
 */
function channelSchemas(mode: "create" | "update") {
  const need = <T extends z.ZodType>(s: T) => (mode === "create" ? s : s.optional());
  const common = { name: ZName, enabled: z.boolean().default(true) };
  return z.discriminatedUnion("type", [
    z
      .object({
        ...common,
        type: z.literal("webhook"),
        url: ZHttpUrl,
        signingSecret: z.string().max(200).refine(isWebhookSecret, "a Standard Webhooks secret: whsec_ followed by base64").optional(),
        ...(mode === "update" ? { rotateSigningSecret: z.boolean().default(false) } : {}),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal("slack"),
        // A channel id (C…), or a name such as #ops; the bot must be in it.
        channel: z.string().trim().min(1).max(200),
        botToken: need(z.string().trim().min(1).max(500)),
        // Verifies Slack's button callbacks (interactions endpoint).
        signingSecret: z.string().trim().min(1).max(200).optional(),
        // Slack Web API base; default https://slack.com/api.
        apiUrl: ZHttpUrl.optional(),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal("teams"),
        // The Workflows ("When a Teams webhook request is received") or incoming-webhook URL: it is the credential.
        webhookUrl: need(ZHttpUrl),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal("email"),
        // Where a step's {channel} target sends; steps naming people use their own addresses.
        to: z.array(ZEmail).max(50).default([]),
        from: z.string().trim().min(3).max(320).optional(),
        // Omitted: the server's SMTP_URL.
        smtp: z
          .object({
            host: z.string().trim().min(1).max(253),
            port: z.number().int().min(1).max(65_535).default(587),
            // true: TLS from the first byte (port 465); false: STARTTLS when the server offers it.
            secure: z.boolean().default(false),
            username: z.string().max(320).optional(),
            password: z.string().max(1000).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    z
      .object({
        ...common,
        type: z.literal("pagerduty"),
        // The integration key of a PagerDuty service (Events API v2).
        routingKey: need(z.string().trim().min(1).max(200)),
        // Events API host, e.g. https://events.eu.pagerduty.com; default https://events.pagerduty.com.
        url: ZHttpUrl.optional(),
      })
      .strict(),
  ]);
}

export const ZChannelCreate = channelSchemas("create");
export const ZChannelUpdate = channelSchemas("update");
export type ChannelCreate = z.output<typeof ZChannelCreate>;
export type ChannelUpdate = z.output<typeof ZChannelUpdate>;

// ---------------------------------------------------------------------------------------------------
// Escalation policies

// The API refers to channels, people, schedules and policies by id; the configuration file (lib/oncall/
// config) by name and email. Each schema is built once from the reference it takes, so both read the
// same rules.
type Ref = z.ZodType<string>;
type MatcherList = z.ZodType<Matcher[]>;

export function targetSchema(refs: { channel: Ref; user: Ref; schedule: Ref }) {
  const via = z.array(refs.channel).min(1).max(10).optional();
  return z.union([
    z.object({ channel: refs.channel }).strict(),
    z.object({ user: refs.user, via }).strict(),
    z.object({ schedule: refs.schedule, via }).strict(),
  ]);
}

const ZUuid = z.string().uuid();
export const ZTarget = targetSchema({ channel: ZUuid, user: ZUuid, schedule: ZUuid });
export type Target = z.output<typeof ZTarget>;

/** Minutes may be fractional (0.5 = 30 s); stored as whole seconds. */
const ZMinutes = z.number().min(0).max(7 * 24 * 60);
export const toSeconds = (minutes: number) => Math.round(minutes * 60);

export function policySchema<T extends z.ZodType>(target: T) {
  return z
    .object({
      name: ZName,
      description: z.string().trim().max(1000).optional(),
      // afterMinutes counts from the start of the escalation (the incident opened, or the policy restarted).
      steps: z
        .array(z.object({ afterMinutes: ZMinutes, targets: z.array(target).min(1).max(20) }).strict())
        .min(1)
        .max(20)
        .refine((steps) => steps.every((s, i) => i === 0 || toSeconds(s.afterMinutes) >= toSeconds(steps[i - 1]!.afterMinutes)), {
          message: "afterMinutes counts from the start of the escalation: each step's must be at least the previous step's",
        }),
      // Times the whole sequence starts over while nobody acknowledges.
      repeat: z.number().int().min(0).max(10).default(0),
      repeatAfterMinutes: ZMinutes.refine((m) => toSeconds(m) > 0, "more than 0").default(30),
    })
    .strict();
}

export const ZPolicyInput = policySchema(ZTarget);
export type PolicyInput = z.input<typeof ZPolicyInput>;

// ---------------------------------------------------------------------------------------------------
// Routes

export function routeSchema(policy: Ref, matchers: MatcherList) {
  return z
    .object({
      name: ZName,
      matchers: matchers.default([]),
      policy,
      // Routes are tried in ascending position; omitted on create: after the last one.
      position: z.number().int().min(0).max(1_000_000).optional(),
      // The route for incidents no other route matches (one per organization, without matchers).
      isDefault: z.boolean().default(false),
      enabled: z.boolean().default(true),
    })
    .strict()
    .refine((r) => !r.isDefault || r.matchers.length === 0, { path: ["matchers"], message: "the default route takes every incident no other route matches: it has no matchers" });
}

export const ZRouteInput = routeSchema(ZUuid, ZMatchers);
export type RouteInput = z.input<typeof ZRouteInput>;

// ---------------------------------------------------------------------------------------------------
// Silences and inhibition

// ISO 8601 with an offset from JSON; a Date when a domain function re-checks what a route already parsed.
const ZInstant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

export function silenceSchema(matchers: MatcherList) {
  return z
    .object({
      matchers: matchers.refine((m) => m.length >= 1, "at least one matcher"),
      // Omitted: now.
      startsAt: ZInstant.optional(),
      endsAt: ZInstant,
      comment: z.string().trim().min(1).max(1000),
      // A maintenance window: between startsAt and endsAt, mute only inside this weekly window.
      recurrence: ZRecurrence.optional(),
    })
    .strict()
    .refine((s) => s.matchers.some((m) => !matchesEmpty(m)), {
      path: ["matchers"],
      message: "at least one matcher must not match the empty string (a silence matching every incident is refused)",
    })
    .refine((s) => !s.startsAt || s.endsAt > s.startsAt, { path: ["endsAt"], message: "endsAt must be after startsAt" });
}

export const ZSilenceInput = silenceSchema(ZMatchers);
export type SilenceInput = z.input<typeof ZSilenceInput>;
export const ZListSilencesQuery = z.object({ includeExpired: z.enum(["true", "false"]).default("false") }).strict();

export function inhibitionSchema(matchers: MatcherList) {
  return z
    .object({
      name: ZName,
      sourceMatchers: matchers.refine((m) => m.length >= 1, "at least one matcher"),
      targetMatchers: matchers.refine((m) => m.length >= 1, "at least one matcher"),
      equal: z
        .array(z.string().trim().min(1).max(200).regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "a Prometheus label name"))
        .max(20)
        .default([]),
    })
    .strict();
}

export const ZInhibitionInput = inhibitionSchema(ZMatchers);
export type InhibitionInput = z.input<typeof ZInhibitionInput>;
