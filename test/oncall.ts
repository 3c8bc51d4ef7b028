// Helpers for on-call integration tests: an in-process worker on the oncall queue, Alertmanager
// deliveries, and a Standard Webhooks verifier written from the spec (not the product's signer).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Worker } from "bullmq";
import { redis } from "@/lib/redis";
import { bullPrefix } from "@/lib/jobs/queue";
import { processJob } from "@/workers/process-job";
import type { AlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { deliveryOf } from "@/test/alerts";

/** A BullMQ worker for the oncall queue in this process (close it in afterAll). */
export function startOncallWorker() {
  return new Worker("oncall", processJob, { connection: redis().duplicate({ maxRetriesPerRequest: null }), prefix: bullPrefix(), concurrency: 4 });
}

/** An Alertmanager webhook delivery of one alert. */
export function alertDelivery(labels: Record<string, string>, opts: { status?: "firing" | "resolved"; fingerprint?: string; startsAt?: Date; summary?: string } = {}): AlertmanagerWebhook {
  const status = opts.status ?? "firing";
  return deliveryOf(
    [
      {
        status,
        labels,
        annotations: { summary: opts.summary ?? `${labels.alertname ?? "Alert"} on ${labels.team ?? "somewhere"}` },
        startsAt: (opts.startsAt ?? new Date()).toISOString(),
        ...(status === "resolved" ? { endsAt: new Date().toISOString() } : {}),
        fingerprint: opts.fingerprint ?? randomBytes(8).toString("hex"),
      },
    ],
    labels,
  );
}

/**
 * Standard Webhooks verification as the spec describes it: the signed content is "<webhook-id>.<webhook-timestamp>.<body>",
 * HMAC-SHA256 keyed with the base64-decoded part of the secret after "whsec_", base64; the header holds
 * space-separated "v1,<signature>" entries.
 */
export function verifyStandardWebhook(headers: Record<string, string | string[] | undefined>, body: string, secret: string): boolean {
  const id = String(headers["webhook-id"] ?? "");
  const timestamp = String(headers["webhook-timestamp"] ?? "");
  const header = String(headers["webhook-signature"] ?? "");
  if (!id || !/^\d+$/.test(timestamp) || !secret.startsWith("whsec_")) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(" ").some((entry) => {
    const [version, sig] = entry.split(",");
    if (version !== "v1" || !sig) return false;
    const got = Buffer.from(sig, "base64");
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
