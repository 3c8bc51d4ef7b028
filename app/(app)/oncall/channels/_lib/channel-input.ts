// The channel form's fields → the API's channel input. On an edit an empty credential field means
// "keep the stored one" (the lib keeps what is omitted); on create it is simply missing.
import { CHANNEL_TYPES, type ChannelType } from "@/lib/oncall/schemas";

export const CHANNEL_FIELDS = [
  "name",
  "type",
  "url",
  "signingSecret",
  "channel",
  "botToken",
  "slackSigningSecret",
  "apiUrl",
  "webhookUrl",
  "to",
  "from",
  "smtpHost",
  "smtpPort",
  "smtpUsername",
  "smtpPassword",
  "routingKey",
  "pdUrl",
] as const;

/** Fields that are credentials: never sent back to the form after an error. */
export const SECRET_FIELDS = new Set(["signingSecret", "botToken", "slackSigningSecret", "webhookUrl", "smtpPassword", "routingKey"]);

export const CHANNEL_TYPE_NAMES: Record<ChannelType, string> = { webhook: "Webhook (Standard Webhooks signed)", slack: "Slack", teams: "Microsoft Teams", email: "Email", pagerduty: "PagerDuty" };

export const isChannelType = (t: unknown): t is ChannelType => typeof t === "string" && (CHANNEL_TYPES as readonly string[]).includes(t);

type Values = Partial<Record<(typeof CHANNEL_FIELDS)[number], string | undefined>>;

const opt = <K extends string>(key: K, v: string | undefined) => (v ? ({ [key]: v } as Record<K, string>) : {});

export function channelInput(v: Values, flags: { enabled: boolean; smtpSecure: boolean; rotate?: boolean }): Record<string, unknown> {
  const base = { name: v.name ?? "", type: v.type, enabled: flags.enabled };
  switch (v.type) {
    case "webhook":
      return { ...base, url: v.url ?? "", ...opt("signingSecret", v.signingSecret), ...(flags.rotate ? { rotateSigningSecret: true } : {}) };
    case "slack":
      return { ...base, channel: v.channel ?? "", ...opt("botToken", v.botToken), ...opt("signingSecret", v.slackSigningSecret), ...opt("apiUrl", v.apiUrl) };
    case "teams":
      return { ...base, ...opt("webhookUrl", v.webhookUrl) };
    case "email":
      return {
        ...base,
        to: (v.to ?? "").split(/[\s,;]+/).filter(Boolean),
        ...opt("from", v.from),
        ...(v.smtpHost
          ? { smtp: { host: v.smtpHost, ...(v.smtpPort ? { port: Number(v.smtpPort) } : {}), secure: flags.smtpSecure, ...opt("username", v.smtpUsername), ...opt("password", v.smtpPassword) } }
          : {}),
      };
    case "pagerduty":
      return { ...base, ...opt("routingKey", v.routingKey), ...opt("url", v.pdUrl) };
    default:
      return base;
  }
}

/** What to say about a channel in a list: where it sends (never a credential). */
export function destinationText(type: string, config: Record<string, unknown>): string {
  switch (type) {
    case "webhook":
      return String(config.url ?? "");
    case "slack":
      return `Slack ${String(config.channel ?? "")}`;
    case "teams":
      return config.webhookHost ? `Teams webhook at ${String(config.webhookHost)}` : "Teams webhook";
    case "email": {
      const to = (config.to as string[] | undefined) ?? [];
      const smtp = config.smtp as { host?: string } | undefined;
      return `${to.length ? to.join(", ") : "people named in steps"}${smtp?.host ? ` via ${smtp.host}` : ""}`;
    }
    case "pagerduty":
      return `PagerDuty Events API${config.url ? ` at ${String(config.url)}` : ""}`;
    default:
      return "";
  }
}
