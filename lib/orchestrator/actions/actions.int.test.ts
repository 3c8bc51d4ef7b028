// Playbook actions against real local HTTP servers: a target that records every request and answers per
// path, and a stub Prometheus. No timing assertions: aborts happen once the server has seen the request.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTION_NAMES } from "@/lib/playbooks/action-names";
import { NotSentError, PermanentActionError, type Action, type ExecuteContext, type PlanContext } from "./types";
import { ACTIONS, actionFor } from "./index";
import { httpAction } from "./http";
import { notifyAction } from "./notify";
import { signStandardWebhook } from "@/lib/webhooks/standard-webhooks";
import { waitAction } from "./wait";
import { verifyAction } from "./verify";
import { makeOrg } from "@/test/factories";
import { K8S_SCHEMAS, NoAgentError, setAgentGateway, k8sRolloutRestartAction, k8sScaleAction, type AgentGateway, type K8sRequest } from "./k8s";

// ---------------------------------------------------------------------------------------------------
// Recording target server

type Recorded = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

class Target {
  readonly requests: Recorded[] = [];
  private readonly replies = new Map<string, Reply[]>();
  private readonly waiters: { path: string; resolve: (r: Recorded) => void }[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rec = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(rec);
        const reply = this.nextReply(rec.path);
        for (const w of this.waiters.filter((w) => w.path === rec.path)) w.resolve(rec);
        if (reply === "hang") return;
        res.writeHead(reply.status, reply.headers ?? { "content-type": "text/plain" }).end(reply.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers for a path, in order; the last one repeats. */
  reply(path: string, ...replies: Reply[]): void {
    this.replies.set(path, replies);
  }

  received(path: string): Promise<Recorded> {
    return new Promise((resolve) => this.waiters.push({ path, resolve }));
  }

  on(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.replies.clear();
    this.waiters.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextReply(path: string): Reply {
    const queue = this.replies.get(path);
    if (!queue?.length) return { status: 404, body: "no reply configured" };
    return queue.length > 1 ? queue.shift()! : queue[0]!;
  }
}

const target = new Target();
beforeAll(() => target.start());
afterAll(() => target.stop());
beforeEach(() => target.reset());

// ---------------------------------------------------------------------------------------------------
// Helpers

// The local target and stub Prometheus listen on 127.0.0.1, which an org's egress policy must allow.
const planCtx = (over: Partial<PlanContext> = {}): PlanContext => ({ orgId: "org-1", runId: "run-1", stepId: "step-1", playbookDigest: "0".repeat(64), prometheus: null, egress: { policy: { allowHosts: [], allowCidrs: ["127.0.0.1/32"] } }, ...over });

function execCtx(over: Partial<ExecuteContext> = {}): ExecuteContext {
  return { ...planCtx(), idempotencyKey: `idem-${randomUUID()}`, attempt: 1, signal: new AbortController().signal, ...over };
}

function run<W>(action: Action<W>, input: unknown, ctx: ExecuteContext = execCtx()) {
  return action.execute(action.schema.parse(input), ctx);
}

function plan<W>(action: Action<W>, input: unknown, ctx: PlanContext = planCtx()) {
  return action.plan(action.schema.parse(input), ctx);
}

/** The rejection of a promise that must reject, for assertions on its class and fields. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the promise to reject");
}

/** Retryable: neither permanent nor known-unsent. */
function expectRetryable(e: Error): void {
  expect(e).toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(PermanentActionError);
  expect(e).not.toBeInstanceOf(NotSentError);
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------------

describe("http", () => {
  it("sends method, headers, JSON body and the idempotency key, and returns status and body", async () => {
    target.reply("/api/deploys?env=prod", { status: 201, body: '{"id":42}', headers: { "content-type": "application/json" } });
    const ctx = execCtx();
    const result = await run(
      httpAction,
      { url: `${target.url}/api/deploys?env=prod`, headers: { "X-Trace": "t-1", Authorization: "Bearer sekrit-token" }, body: { service: "checkout", n: 2 } },
      ctx,
    );

    expect(result.output).toEqual({ status: 201, body: '{"id":42}' });
    const [req] = target.on("/api/deploys?env=prod");
    expect(req?.method).toBe("POST");
    expect(req?.headers["idempotency-key"]).toBe(ctx.idempotencyKey);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["x-trace"]).toBe("t-1");
    expect(req?.headers.authorization).toBe("Bearer sekrit-token");
    expect(JSON.parse(req!.body)).toEqual({ service: "checkout", n: 2 });
    // Request headers (credentials) are not echoed into the stored result.
    expect(JSON.stringify(result)).not.toContain("sekrit-token");
  });

  it("sends a string body as is, lowercase methods work, and the step's key replaces a user Idempotency-Key", async () => {
    target.reply("/kv/a", { status: 204 });
    const ctx = execCtx();
    const result = await run(
      httpAction,
      { url: `${target.url}/kv/a`, method: "put", headers: { "content-type": "text/plain", "idempotency-key": "mine" }, body: "hello" },
      ctx,
    );
    expect(result.output).toEqual({ status: 204, body: "" });
    const [req] = target.on("/kv/a");
    expect(req).toMatchObject({ method: "PUT", body: "hello" });
    expect(req?.headers["content-type"]).toBe("text/plain");
    expect(req?.headers["idempotency-key"]).toBe(ctx.idempotencyKey);
  });

  it("expectStatus decides success: a listed 404 succeeds, an unlisted 200 is permanent", async () => {
    target.reply("/gone", { status: 404, body: "not here" });
    await expect(run(httpAction, { url: `${target.url}/gone`, method: "DELETE", expectStatus: [200, 404] })).resolves.toMatchObject({ output: { status: 404 } });

    target.reply("/accepted", { status: 200, body: "done" });
    const e = await failure(run(httpAction, { url: `${target.url}/accepted`, expectStatus: [202] }));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect((e as PermanentActionError).output).toEqual({ status: 200, body: "done" });
  });

  it("4xx is permanent, with the status and the body", async () => {
    target.reply("/bad", { status: 422, body: '{"error":"replicas must be positive"}' });
    const e = await failure(run(httpAction, { url: `${target.url}/bad`, body: { replicas: -1 } }));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toMatch(/HTTP 422: .*replicas must be positive/);
    expect((e as PermanentActionError).output).toEqual({ status: 422, body: '{"error":"replicas must be positive"}' });
  });

  it.each([500, 503, 408, 429])("%i is retryable", async (status) => {
    target.reply("/flaky", { status, body: "try later" });
    const e = await failure(run(httpAction, { url: `${target.url}/flaky` }));
    expectRetryable(e);
    expect(e.message).toContain(`HTTP ${status}`);
  });

  it("does not follow redirects (they would re-send credentials elsewhere): permanent", async () => {
    target.reply("/old", { status: 301, headers: { location: `${target.url}/new` } });
    target.reply("/new", { status: 200, body: "ok" });
    const e = await failure(run(httpAction, { url: `${target.url}/old` }));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toMatch(/redirect \(HTTP 301 to .*\/new\)/);
    expect(target.on("/new")).toHaveLength(0);
  });

  it("truncates response bodies to 4 KB", async () => {
    target.reply("/big", { status: 200, body: "x".repeat(10_000) });
    const result = await run(httpAction, { url: `${target.url}/big`, method: "GET" });
    expect(result.output?.body).toHaveLength(4096);
    expect(result.output?.bodyTruncated).toBe(true);

    target.reply("/big-error", { status: 400, body: "y".repeat(10_000) });
    const e = await failure(run(httpAction, { url: `${target.url}/big-error` }));
    expect(((e as PermanentActionError).output?.body as string).length).toBe(4096);
  });

  it("connection refused and DNS failures never reached the target: NotSentError", async () => {
    const port = await closedPort();
    const refused = await failure(run(httpAction, { url: `http://127.0.0.1:${port}/x` }));
    expect(refused).toBeInstanceOf(NotSentError);
    expect(refused.message).toContain("ECONNREFUSED");

    // .invalid never resolves (RFC 6761): ENOTFOUND, or EAI_AGAIN without a resolver.
    const dns = await failure(run(httpAction, { url: "http://no-such-host.invalid/x" }, execCtx({ egress: { policy: { allowHosts: ["no-such-host.invalid"], allowCidrs: [] } } })));
    expect(dns).toBeInstanceOf(NotSentError);
  });

  it("an invalid or non-http URL is permanent and sends nothing; the plan still renders it", async () => {
    await expect(run(httpAction, { url: "«secret:DEPLOY_HOOK»" })).rejects.toBeInstanceOf(PermanentActionError);
    await expect(run(httpAction, { url: "ftp://example.com/x" })).rejects.toThrow(/must be http or https/);
    expect(target.requests).toHaveLength(0);

    const p = await plan(httpAction, { url: "«secret:DEPLOY_HOOK»", body: { a: 1 } });
    expect(p.summary).toBe("POST «secret:DEPLOY_HOOK» (7-byte JSON body)");
  });

  it("GET with a body is rejected by the schema", () => {
    expect(httpAction.schema.safeParse({ url: "http://x", method: "GET", body: "b" }).success).toBe(false);
    expect(httpAction.schema.safeParse({ url: "http://x", method: "TRACE" }).success).toBe(false);
  });

  it("aborting ctx.signal mid-request is a retryable error", async () => {
    target.reply("/slow", "hang");
    const controller = new AbortController();
    const pending = failure(run(httpAction, { url: `${target.url}/slow` }, execCtx({ signal: controller.signal })));
    await target.received("/slow");
    controller.abort(new DOMException("step timeout", "TimeoutError"));
    const e = await pending;
    expectRetryable(e);
    expect(e.message).toContain("aborted");
  });

  it("an already aborted signal sends nothing: NotSentError", async () => {
    target.reply("/never", { status: 200 });
    const e = await failure(run(httpAction, { url: `${target.url}/never` }, execCtx({ signal: AbortSignal.abort() })));
    expect(e).toBeInstanceOf(NotSentError);
    expect(target.requests).toHaveLength(0);
  });

  it("plan shows method, URL, headers and body; literal credentials are hidden, placeholders kept", async () => {
    const p = await plan(httpAction, {
      url: "https://user:pw@api.example.com/v1/flush",
      headers: { Authorization: "Bearer literal-token", "X-Api-Key": "«secret:API_KEY»", "X-Team": "sre" },
      body: { cache: "all" },
    });
    expect(p.summary).toBe("POST https://api.example.com/v1/flush (15-byte JSON body)");
    expect(p.details).toEqual({
      method: "POST",
      url: "https://api.example.com/v1/flush",
      headers: {
        Authorization: "«hidden»",
        "X-Api-Key": "«secret:API_KEY»",
        "X-Team": "sre",
        "content-type": "application/json",
        "Idempotency-Key": "(this step's idempotency key)",
      },
      body: { cache: "all" },
    });
    expect(JSON.stringify(p)).not.toContain("literal-token");
    expect(JSON.stringify(p)).not.toContain("pw@");
  });
});

// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------

describe("wait", () => {
  it("plans and accepts strings or seconds", async () => {
    expect((await plan(waitAction, { duration: "30s" })).summary).toBe("wait 30s");
    expect((await plan(waitAction, { duration: 300 })).summary).toBe("wait 5m");
    expect(waitAction.schema.safeParse({ duration: "soon" }).success).toBe(false);
    await expect(run(waitAction, { duration: "0s" })).resolves.toMatchObject({ output: { waitedMs: 0 } });
  });

  it("throws when ctx.signal aborts", async () => {
    const controller = new AbortController();
    const pending = failure(run(waitAction, { duration: "1h" }, execCtx({ signal: controller.signal })));
    controller.abort();
    const e = await pending;
    expectRetryable(e);
    expect(e.message).toContain("aborted");
    await expect(run(waitAction, { duration: "1h" }, execCtx({ signal: AbortSignal.abort() }))).rejects.toThrow(/aborted/);
  });
});

// ---------------------------------------------------------------------------------------------------

describe("verify", () => {
  const QUERY = "sum(rate(http_errors_total[5m])) / sum(rate(http_requests_total[5m])) < 0.01";
  const HOLDS = JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1700000000, "0.004"] }] } });
  const EMPTY = JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } });
  const json = (body: string, status = 200) => ({ status, body, headers: { "content-type": "application/json" } });
  // A path prefix, as for a Prometheus behind a reverse proxy.
  const prometheus = () => ({ baseUrl: `${target.url}/prom` });
  const PATH = "/prom/api/v1/query";

  it("holds: POSTs the query form to /api/v1/query and returns the value", async () => {
    target.reply(PATH, json(HOLDS));
    const result = await run(verifyAction, { query: QUERY }, execCtx({ prometheus: prometheus() }));
    expect(result.output).toMatchObject({ holds: true, value: 0.004, seriesCount: 1, checks: 1 });

    const [req] = target.on(PATH);
    expect(req?.method).toBe("POST");
    expect(req?.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(new URLSearchParams(req!.body).get("query")).toBe(QUERY);
  });

  it("sends the connection's credentials", async () => {
    target.reply(PATH, json(HOLDS));
    await run(verifyAction, { query: QUERY }, execCtx({ prometheus: { ...prometheus(), auth: { bearer: "prom-token" } } }));
    expect(target.on(PATH)[0]?.headers.authorization).toBe("Bearer prom-token");
  });

  it("polls until the condition holds", async () => {
    target.reply(PATH, json(EMPTY), json(HOLDS));
    const result = await run(verifyAction, { query: QUERY, interval: "1s", deadline: "1m" }, execCtx({ prometheus: prometheus() }));
    expect(result.output).toMatchObject({ holds: true, value: 0.004, checks: 2 });
    expect(target.on(PATH)).toHaveLength(2);
  });

  it("a Prometheus outage between checks is waited out", async () => {
    target.reply(PATH, json(JSON.stringify({ status: "error", errorType: "unavailable", error: "restarting" }), 503), json(HOLDS));
    const result = await run(verifyAction, { query: QUERY, interval: "1s", deadline: "1m" }, execCtx({ prometheus: prometheus() }));
    expect(result.output).toMatchObject({ holds: true, checks: 2 });
  });

  it("deadline reached: permanent, with the last value", async () => {
    target.reply(PATH, json(EMPTY));
    const e = await failure(run(verifyAction, { query: QUERY, deadline: "0s" }, execCtx({ prometheus: prometheus() })));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toMatch(/did not hold within 0ms: last check does not hold \(no series\)/);
    expect((e as PermanentActionError).output).toMatchObject({ holds: false, seriesCount: 0, value: null, checks: 1 });
  });

  it("expect: empty holds on no series and fails on a series, reporting its value", async () => {
    target.reply(PATH, json(EMPTY));
    await expect(run(verifyAction, { query: QUERY, expect: "empty" }, execCtx({ prometheus: prometheus() }))).resolves.toMatchObject({ output: { holds: true } });

    target.reply(PATH, json(HOLDS));
    const e = await failure(run(verifyAction, { query: QUERY, expect: "empty", deadline: "0s" }, execCtx({ prometheus: prometheus() })));
    expect((e as PermanentActionError).output).toMatchObject({ holds: false, value: 0.004 });
  });

  it("a bad query is permanent at once, without waiting for the deadline", async () => {
    target.reply(PATH, json(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error at char 5" }), 400));
    const e = await failure(run(verifyAction, { query: "sum(", deadline: "1h" }, execCtx({ prometheus: prometheus() })));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toContain("parse error");
    expect(target.on(PATH)).toHaveLength(1);
  });

  it("no Prometheus: execute is permanent, plan says so without failing", async () => {
    await expect(run(verifyAction, { query: QUERY })).rejects.toThrow(new PermanentActionError("no Prometheus configured for this organization"));
    const p = await plan(verifyAction, { query: QUERY });
    expect(p.summary).toContain("no Prometheus configured for this organization");
  });

  it("plan evaluates the query now: holds, does not hold, or the error", async () => {
    const ctx = planCtx({ prometheus: prometheus() });
    target.reply(PATH, json(HOLDS));
    const holds = await plan(verifyAction, { query: QUERY }, ctx);
    expect(holds.summary).toContain("currently holds (value 0.004)");
    expect(holds.details?.now).toMatchObject({ holds: true, value: 0.004 });

    target.reply(PATH, json(EMPTY));
    expect((await plan(verifyAction, { query: QUERY }, ctx)).summary).toContain("currently does not hold (no series)");

    const down = await plan(verifyAction, { query: QUERY }, planCtx({ prometheus: { baseUrl: `http://127.0.0.1:${await closedPort()}` } }));
    expect(down.summary).toContain("currently query failed: cannot reach Prometheus");
  });

  it("aborting ctx.signal between checks throws a retryable error", async () => {
    target.reply(PATH, json(EMPTY));
    const controller = new AbortController();
    const pending = failure(run(verifyAction, { query: QUERY, interval: "1h", deadline: "2h" }, execCtx({ prometheus: prometheus(), signal: controller.signal })));
    await target.received(PATH);
    controller.abort();
    expectRetryable(await pending);
  });

  it("interval has a floor", () => {
    expect(verifyAction.schema.safeParse({ query: QUERY, interval: "100ms" }).success).toBe(false);
    expect(verifyAction.schema.parse({ query: QUERY })).toEqual({ query: QUERY, expect: "non_empty", deadline: 300_000, interval: 15_000 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe("k8s", () => {
  afterEach(() => setAgentGateway(null));

  it("real gateway, org without an enrolled cluster: execute fails permanently with 'no agent connected', plan does not throw", async () => {
    const org = await makeOrg();
    const e = await failure(run(k8sRolloutRestartAction, { namespace: "prod", deployment: "checkout" }, execCtx({ orgId: org.id })));
    expect(e).toBeInstanceOf(PermanentActionError);
    expect(e.message).toMatch(/^no agent connected: Kubernetes actions run through the NeuralOps agent/);

    const p = await plan(k8sScaleAction, { namespace: "prod", deployment: "checkout", replicas: 3 }, planCtx({ orgId: org.id }));
    expect(p.summary).toBe("scale deployment prod/checkout to 3 replicas (server-side dry run unavailable: no agent connected: Kubernetes actions run through the NeuralOps agent in your cluster (see the Agents page))");
    expect(p.details).toEqual({ request: { action: "k8s.scale", namespace: "prod", deployment: "checkout", replicas: 3 } });
  });

  it("a registered gateway gets the dry run and the request with the idempotency key", async () => {
    const seen: { dryRun: K8sRequest[]; execute: (K8sRequest & { idempotencyKey: string })[] } = { dryRun: [], execute: [] };
    const fake: AgentGateway = {
      dryRun: async (req) => {
        seen.dryRun.push(req);
        return { summary: "server-side dry run ok", output: { replicas: { from: 5, to: 3 } } };
      },
      execute: async (req) => {
        seen.execute.push(req);
        return { summary: "scaled", output: { replicas: 3 } };
      },
    };
    setAgentGateway(fake);
    const input = { cluster: "eu-1", namespace: "prod", deployment: "checkout", replicas: 3 };

    const p = await plan(k8sScaleAction, input);
    expect(p.summary).toBe("scale deployment prod/checkout to 3 replicas in cluster eu-1: server-side dry run ok");
    expect(p.details).toEqual({ request: { action: "k8s.scale", ...input }, dryRun: { replicas: { from: 5, to: 3 } } });

    const ctx = execCtx();
    await expect(run(k8sScaleAction, input, ctx)).resolves.toEqual({ summary: "scaled", output: { replicas: 3 } });
    expect(seen.execute).toEqual([{ action: "k8s.scale", ...input, idempotencyKey: ctx.idempotencyKey }]);
  });

  it("a dry-run rejection other than 'no agent' reaches the caller", async () => {
    setAgentGateway({
      dryRun: async () => {
        throw new PermanentActionError('deployments.apps "checkout" not found');
      },
      execute: async () => ({ summary: "" }),
    });
    await expect(plan(k8sScaleAction, { namespace: "prod", deployment: "checkout", replicas: 1 })).rejects.toThrow(/not found/);
    expect(new NoAgentError()).toBeInstanceOf(PermanentActionError);
  });

  it("validates names, replicas and defaults", () => {
    const restart = K8S_SCHEMAS["k8s.rollout_restart"];
    expect(restart.safeParse({ namespace: "prod", deployment: "api.v2-blue" }).success).toBe(true);
    for (const deployment of ["Checkout", "-api", "api-", "api_v2", "a".repeat(254), "api;rm -rf"]) {
      expect(restart.safeParse({ namespace: "prod", deployment }).success, deployment).toBe(false);
    }
    expect(restart.safeParse({ namespace: "prod.eu", deployment: "api" }).success).toBe(false);
    expect(restart.safeParse({ namespace: "prod", deployment: "api", replicas: 2 }).success).toBe(false); // strict

    const scale = K8S_SCHEMAS["k8s.scale"];
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 0 }).success).toBe(true);
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 1001 }).success).toBe(false);
    expect(scale.safeParse({ namespace: "prod", deployment: "api", replicas: 1.5 }).success).toBe(false);

    expect(K8S_SCHEMAS["k8s.logs"].parse({ namespace: "prod", pod: "api-7d9f-x2" })).toEqual({ namespace: "prod", pod: "api-7d9f-x2", tailLines: 200 });
    expect(K8S_SCHEMAS["k8s.cordon"].safeParse({ node: "ip-10-0-1-23.eu-west-1.compute.internal" }).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------

describe("registry and idempotency", () => {
  it("has one action per name, under its own name", () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...ACTION_NAMES].sort());
    for (const name of ACTION_NAMES) expect(actionFor(name).name).toBe(name);
  });

  const idempotent = (name: (typeof ACTION_NAMES)[number], input: unknown) => {
    const action = actionFor(name);
    return action.idempotent(action.schema.parse(input));
  };

  it.each([
    ["http", { url: "https://x" }, false],
    ["http", { url: "https://x", method: "PATCH" }, false],
    ["http", { url: "https://x", idempotent: true }, true],
    ...(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"] as const).map((method) => ["http", { url: "https://x", method }, true] as const),
    ["notify", { channel: "slack", webhookUrl: "https://hooks.slack.com/x", text: "t" }, false],
    ["notify", { channel: "pagerduty", routingKey: "k", summary: "s", source: "x" }, true],
    ["notify", { channel: "webhook", url: "https://x", secret: "whsec_a2V5", payload: {} }, true],
    ["wait", { duration: "1s" }, true],
    ["verify", { query: "up" }, true],
    ["k8s.rollout_restart", { namespace: "n", deployment: "d" }, true],
    ["k8s.scale", { namespace: "n", deployment: "d", replicas: 1 }, true],
    ["k8s.delete_pod", { namespace: "n", pod: "p" }, true],
    ["k8s.cordon", { node: "n" }, true],
    ["k8s.logs", { namespace: "n", pod: "p" }, true],
    ["k8s.events", { namespace: "n" }, true],
  ] as const)("%s %j → idempotent %s", (name, input, expected) => {
    expect(idempotent(name, input)).toBe(expected);
  });
});
