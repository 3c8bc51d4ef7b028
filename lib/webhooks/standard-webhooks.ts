// Standard Webhooks (https://www.standardwebhooks.com): the signing used by playbook notify steps and by
// on-call webhook channels. Receivers verify `webhook-signature` with the shared "whsec_<base64>" secret.
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key inside "whsec_<base64>". Throws TypeError without echoing the secret. */
function webhookKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new TypeError(`webhook secret must have the form ${SECRET_PREFIX}<base64>`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!encoded || !BASE64.test(encoded)) throw new TypeError(`webhook secret after ${SECRET_PREFIX} is not valid base64`);
  return Buffer.from(encoded, "base64");
}

/** Whether `secret` is a usable "whsec_<base64>" secret. */
export function isWebhookSecret(secret: string): boolean {
  try {
    return webhookKey(secret).length > 0;
  } catch {
    return false;
  }
}

/** A fresh secret: 32 random bytes, as the spec recommends (24 to 64). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** `webhook-signature` value: "v1," + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")). */
export function signStandardWebhook({ id, timestamp, body, secret }: { id: string; timestamp: number; body: string; secret: string }): string {
  if (!Number.isInteger(timestamp)) throw new TypeError("webhook timestamp must be whole unix seconds");
  const mac = createHmac("sha256", webhookKey(secret)).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The three headers of a signed delivery (besides content-type). */
export function standardWebhookHeaders({ id, body, secret, at = new Date() }: { id: string; body: string; secret: string; at?: Date }): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signStandardWebhook({ id, timestamp, body, secret }) };
}
