// Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
// X-Slack-Signature = "v0=" + hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" +
// the raw body). A request more than five minutes from our clock is refused, so a captured request
// cannot be replayed later (its timestamp is inside what is signed).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SLACK_MAX_SKEW_SECONDS = 300;

export function slackSignature(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(rawBody).digest("hex")}`;
}

/** The timestamp header is whole seconds since the epoch, within five minutes of `now`. */
export function freshSlackTimestamp(timestamp: string | null, now: Date): timestamp is string {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= SLACK_MAX_SKEW_SECONDS;
}

/** Constant-time comparison of the header with the signature `secret` gives the request. */
export function slackSignatureMatches(secret: string, timestamp: string, rawBody: string | Uint8Array, signature: string | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  const got = Buffer.from(signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
