// The http action against a real local server: request shape, statuses, redirects, aborts, plans.
import { describe, expect, it } from "vitest";
import { NotSentError, PermanentActionError } from "./types";
import { httpAction } from "./http";
import { closedPort, execCtx, expectRetryable, failure, plan, run, recordingTarget } from "./actions.testing";

const target = recordingTarget();

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
