// The notify action (Slack, PagerDuty Events v2, Standard Webhooks) against a real local server.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IncomingHttpHeaders } from "node:http";
import { PermanentActionError } from "./types";
import { notifyAction } from "./notify";
import { signStandardWebhook } from "@/lib/webhooks/standard-webhooks";
import { execCtx, expectRetryable, failure, plan, run, recordingTarget } from "./actions.testing";

const target = recordingTarget();

describe("notify", () => {
  it("slack: posts {text, blocks} as JSON to the webhook and accepts Slack's 200 'ok'", async () => {
    target.reply("/services/T0/B0/XYZ", { status: 200, body: "ok" });
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*checkout* restarted" } }];
    const result = await run(notifyAction, { channel: "slack", webhookUrl: `${target.url}/services/T0/B0/XYZ`, text: "checkout restarted", blocks });

    const [req] = target.on("/services/T0/B0/XYZ");
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req!.body)).toEqual({ text: "checkout restarted", blocks });
    expect(result.output).toEqual({ status: 200, body: "ok" });
    // The webhook URL is the credential: only its host is repeated.
    expect(JSON.stringify(result)).not.toContain("XYZ");
  });

  it("slack: without blocks sends only text; a 404 (channel_not_found) is permanent", async () => {
    target.reply("/services/T0/B0/GONE", { status: 404, body: "channel_not_found" });
    const e = await failure(run(notifyAction, { channel: "slack", webhookUrl: `${target.url}/services/T0/B0/GONE`, text: "hi" }));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toContain("channel_not_found");
    expect(JSON.parse(target.on("/services/T0/B0/GONE")[0]!.body)).toEqual({ text: "hi" });
  });

  const pagerduty = { channel: "pagerduty", routingKey: "R0UT1NGKEY00000000000000000000ab", summary: "checkout error rate 12%", source: "neuralops" };

  it("pagerduty: Events v2 body with dedup_key defaulting to the idempotency key; 202 is success", async () => {
    const ctx = execCtx();
    target.reply("/v2/enqueue", {
      status: 202,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "success", message: "Event processed", dedup_key: ctx.idempotencyKey }),
    });
    const result = await run(notifyAction, { ...pagerduty, customDetails: { runId: "run-1" }, url: `${target.url}/` }, ctx);

    const [req] = target.on("/v2/enqueue");
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req!.body)).toEqual({
      routing_key: pagerduty.routingKey,
      event_action: "trigger",
      dedup_key: ctx.idempotencyKey,
      payload: { summary: "checkout error rate 12%", source: "neuralops", severity: "error", custom_details: { runId: "run-1" } },
    });
    expect(result.output).toMatchObject({ status: 202, dedupKey: ctx.idempotencyKey });
  });

  it("pagerduty: an explicit dedupKey and eventAction are sent; resolve without dedupKey is rejected", async () => {
    target.reply("/v2/enqueue", { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"incident-7"}' });
    const result = await run(notifyAction, { ...pagerduty, eventAction: "resolve", dedupKey: "incident-7", severity: "info", url: target.url });
    expect(JSON.parse(target.on("/v2/enqueue")[0]!.body)).toMatchObject({ event_action: "resolve", dedup_key: "incident-7", payload: { severity: "info" } });
    expect(result.output?.dedupKey).toBe("incident-7");

    expect(notifyAction.schema.safeParse({ ...pagerduty, eventAction: "resolve" }).success).toBe(false);
    expect(notifyAction.schema.safeParse({ ...pagerduty, severity: "fatal" }).success).toBe(false);
  });

  it("pagerduty: 400 (invalid event) is permanent, 429 (rate limit) retryable", async () => {
    target.reply("/v2/enqueue", { status: 400, body: '{"status":"invalid event"}' });
    await expect(run(notifyAction, { ...pagerduty, url: target.url })).rejects.toBeInstanceOf(PermanentActionError);
    target.reply("/v2/enqueue", { status: 429, body: "" });
    expectRetryable(await failure(run(notifyAction, { ...pagerduty, url: target.url })));
  });

  it("pagerduty: the plan never shows the routing key", async () => {
    const p = await plan(notifyAction, pagerduty);
    expect(JSON.stringify(p)).not.toContain(pagerduty.routingKey);
    expect(p.details).toMatchObject({ url: "https://events.pagerduty.com/v2/enqueue", body: { routing_key: "«hidden»", event_action: "trigger" } });
  });

  describe("webhook (Standard Webhooks)", () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;

    /** The spec's verification, written from the spec rather than from notify.ts. */
    function verifies(headers: IncomingHttpHeaders, body: string, key: string): boolean {
      const id = String(headers["webhook-id"]);
      const ts = String(headers["webhook-timestamp"]);
      const expected = createHmac("sha256", Buffer.from(key.replace(/^whsec_/, ""), "base64")).update(`${id}.${ts}.${body}`).digest();
      return String(headers["webhook-signature"])
        .split(" ")
        .filter((s) => s.startsWith("v1,"))
        .some((s) => {
          const got = Buffer.from(s.slice(3), "base64");
          return got.length === expected.length && timingSafeEqual(got, expected);
        });
    }

    it("signs id.timestamp.body with the decoded secret; a tampered body does not verify", async () => {
      target.reply("/hooks/in", { status: 200, body: "" });
      const ctx = execCtx();
      await run(notifyAction, { channel: "webhook", url: `${target.url}/hooks/in`, secret, payload: { incident: "inc-1", action: "restarted" } }, ctx);

      const [req] = target.on("/hooks/in");
      expect(req?.headers["content-type"]).toBe("application/json");
      expect(req?.headers["webhook-id"]).toBe(ctx.idempotencyKey);
      const ts = Number(req?.headers["webhook-timestamp"]);
      expect(Number.isInteger(ts)).toBe(true);
      expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(300); // the spec's replay tolerance
      expect(req?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(JSON.parse(req!.body)).toEqual({ incident: "inc-1", action: "restarted" });

      expect(verifies(req!.headers, req!.body, secret)).toBe(true);
      expect(verifies(req!.headers, req!.body.replace("restarted", "deleted"), secret)).toBe(false);
      expect(verifies(req!.headers, req!.body, `whsec_${randomBytes(32).toString("base64")}`)).toBe(false);
    });

    it("with a type, sends the spec's {type, timestamp, data} envelope", async () => {
      target.reply("/hooks/typed", { status: 204 });
      await run(notifyAction, { channel: "webhook", url: `${target.url}/hooks/typed`, secret, type: "run.step_completed", payload: { step: "restart" } });
      const [req] = target.on("/hooks/typed");
      const body = JSON.parse(req!.body) as { type: string; timestamp: string; data: unknown };
      expect(body).toMatchObject({ type: "run.step_completed", data: { step: "restart" } });
      expect(Math.floor(Date.parse(body.timestamp) / 1000)).toBe(Number(req?.headers["webhook-timestamp"]));
      expect(verifies(req!.headers, req!.body, secret)).toBe(true);
    });

    it("signStandardWebhook matches the published Svix/Standard Webhooks example", () => {
      const sig = signStandardWebhook({
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      });
      expect(sig).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    });

    it("a malformed secret is permanent, sends nothing, and is not echoed", async () => {
      for (const bad of ["not-prefixed", "whsec_***not base64***"]) {
        const e = await failure(run(notifyAction, { channel: "webhook", url: `${target.url}/hooks/in`, secret: bad, payload: {} }));
        expect(e).toBeInstanceOf(PermanentActionError);
        expect(e.message).not.toContain(bad);
      }
      expect(target.requests).toHaveLength(0);
    });

    it("plan hides the secret and describes the signature headers", async () => {
      const p = await plan(notifyAction, { channel: "webhook", url: "«secret:HOOK_URL»", secret: "whsec_c2VjcmV0c2VjcmV0", payload: { a: 1 } });
      expect(p.summary).toContain("POST «secret:HOOK_URL» (Standard Webhooks signed)");
      expect(JSON.stringify(p)).not.toContain("c2VjcmV0c2VjcmV0");
    });
  });
});
