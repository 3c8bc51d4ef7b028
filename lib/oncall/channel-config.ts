// A channel's input split into what may be shown (config) and its credentials (sealed together with
// lib/crypto/secret-box.ts), and the stored row read back for the senders.
import { open, seal } from "@/lib/crypto/secret-box";
import { newWebhookSecret } from "@/lib/webhooks/standard-webhooks";
import type { ChannelCreate, ChannelType, ChannelUpdate } from "@/lib/oncall/schemas";

export type ChannelSecrets = {
  signingSecret?: string;
  botToken?: string;
  webhookUrl?: string;
  smtpPassword?: string;
  routingKey?: string;
};

export type WebhookConfig = { url: string };
export type SlackConfig = { channel: string; apiUrl?: string };
export type TeamsConfig = { webhookHost: string };
export type EmailConfig = { to: string[]; from?: string; smtp?: { host: string; port: number; secure: boolean; username?: string } };
export type PagerDutyConfig = { url?: string };
export type ChannelConfig = WebhookConfig | SlackConfig | TeamsConfig | EmailConfig | PagerDutyConfig;

/** A stored channel as the senders use it: config plus opened credentials. */
export type OpenChannel = { id: string; orgId: string; name: string; type: ChannelType; enabled: boolean; config: Record<string, unknown>; secrets: ChannelSecrets };

const hostOf = (url: string) => new URL(url).host;

/**
 * Config and credentials for a new channel, or for an update on top of the stored credentials (an
 * omitted credential is kept). `generated` is a webhook signing secret made here, returned once.
 */
export function splitChannelInput(input: ChannelCreate | ChannelUpdate, stored: ChannelSecrets = {}): { config: ChannelConfig; secrets: ChannelSecrets; generated?: string } {
  switch (input.type) {
    case "webhook": {
      const rotate = "rotateSigningSecret" in input && input.rotateSigningSecret === true;
      const generated = !input.signingSecret && (rotate || !stored.signingSecret) ? newWebhookSecret() : undefined;
      return { config: { url: input.url }, secrets: { signingSecret: input.signingSecret ?? generated ?? stored.signingSecret }, generated };
    }
    case "slack":
      return {
        config: { channel: input.channel, ...(input.apiUrl ? { apiUrl: input.apiUrl } : {}) },
        secrets: { botToken: input.botToken ?? stored.botToken, signingSecret: input.signingSecret ?? stored.signingSecret },
      };
    case "teams": {
      const webhookUrl = input.webhookUrl ?? stored.webhookUrl;
      return { config: { webhookHost: webhookUrl ? hostOf(webhookUrl) : "" }, secrets: { webhookUrl } };
    }
    case "email": {
      const { password, ...smtp } = input.smtp ?? ({} as NonNullable<typeof input.smtp>);
      return {
        config: { to: input.to, ...(input.from ? { from: input.from } : {}), ...(input.smtp ? { smtp } : {}) },
        // Without per-channel SMTP the server's SMTP_URL is used, and no password is kept.
        secrets: input.smtp ? { smtpPassword: password ?? stored.smtpPassword } : {},
      };
    }
    case "pagerduty":
      return { config: input.url ? { url: input.url } : {}, secrets: { routingKey: input.routingKey ?? stored.routingKey } };
  }
}

/** Credentials a channel of this type cannot work without. */
export function missingSecrets(type: ChannelType, secrets: ChannelSecrets): string[] {
  const required: Record<ChannelType, (keyof ChannelSecrets)[]> = { webhook: ["signingSecret"], slack: ["botToken"], teams: ["webhookUrl"], email: [], pagerduty: ["routingKey"] };
  return required[type].filter((k) => !secrets[k]);
}

export function sealSecrets(secrets: ChannelSecrets): string | null {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== ""));
  return Object.keys(present).length ? seal(JSON.stringify(present)) : null;
}

export function openSecrets(sealed: string | null): ChannelSecrets {
  return sealed ? (JSON.parse(open(sealed)) as ChannelSecrets) : {};
}

/** What the API shows: config and the names of the credentials that are set, never their values. */
export function publicChannel(row: { id: string; name: string; type: ChannelType; enabled: boolean; config: unknown; secretsSealed: string | null; createdAt: Date; updatedAt: Date }) {
  let credentials: string[] | null;
  try {
    credentials = Object.keys(openSecrets(row.secretsSealed)).sort();
  } catch {
    // Sealed under another key (SECRETS_KEY changed): the channel is listed, and says its credentials need saving again.
    credentials = null;
  }
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    config: row.config as Record<string, unknown>,
    credentials,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
