// The verify action against a stub Prometheus: polling, outages, deadlines, plans.
import { describe, expect, it } from "vitest";
import { PermanentActionError } from "./types";
import { verifyAction } from "./verify";
import { closedPort, execCtx, expectRetryable, failure, plan, planCtx, run, recordingTarget } from "./actions.testing";

const target = recordingTarget();

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
