// /api/health is public: it says whether the stores answer and which do not, never why (a driver error
// can carry host names, user names and versions). Admins, and the server log, get the details.
// A missing job scheduler degrades the answer (200, status "degraded", the job names) without failing it.
import "@/test/own-redis-prefix";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The real probes, except when a test simulates a failing store (the driver error text is what matters).
const outage = vi.hoisted(() => ({ error: null as string | null }));
vi.mock("@/lib/health/check-health", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/health/check-health")>();
  return {
    ...real,
    checkHealth: async () => {
      const h = await real.checkHealth();
      if (!outage.error) return h;
      return { ok: false, checks: { ...h.checks, postgres: { ok: false, latencyMs: 3, error: outage.error } } };
    },
  };
});

import { GET } from "@/app/api/health/route";
import { makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { queue } from "@/lib/jobs/queue";
import { reconcileSchedulers } from "@/lib/jobs/schedulers";

// What a running worker keeps in Redis (this file has its own key prefix).
beforeAll(() => reconcileSchedulers());

const DRIVER_ERROR = "password authentication failed for user neuralops_prod at db-7.internal.example:5432";

afterEach(() => {
  outage.error = null;
  vi.restoreAllMocks();
});

describe("GET /api/health", () => {
  it("anonymous callers get the status and the names of what is down, nothing else", async () => {
    const res = await callRoute(GET, { method: "GET" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", down: [] });
  });

  it("a store that is down: 503 with its name; the driver error goes to the server log, not to the caller", async () => {
    outage.error = DRIVER_ERROR;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await callRoute(GET, { method: "GET" });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ status: "unavailable", down: ["postgres"] });
    expect(res.text).not.toContain("neuralops_prod");
    expect(logged.mock.calls.flat().join("\n")).toContain(DRIVER_ERROR);
  });

  it("a non-admin token gets the same short answer", async () => {
    outage.error = DRIVER_ERROR;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const token = await tokenFor((await makeOrg("health")).id, "operator");
    const res = await callRoute(GET, { method: "GET", headers: bearer(token) });
    expect(res.json).toEqual({ status: "unavailable", down: ["postgres"] });
  });

  it("an admin gets the per-store details", async () => {
    outage.error = DRIVER_ERROR;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const token = await tokenFor((await makeOrg("health")).id, "admin");
    const res = await callRoute(GET, { method: "GET", headers: bearer(token) });
    expect(res.json).toMatchObject({ status: "unavailable", down: ["postgres"], checks: { postgres: { ok: false, error: DRIVER_ERROR }, redis: { ok: true } } });
  });

  it("a job scheduler missing from Redis: 200, degraded, with the job's name; back to ok once reconciled", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await queue("maintenance").removeJobScheduler("cron:runs.sweep");
    const res = await callRoute(GET, { method: "GET" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "degraded", down: [], missingSchedulers: ["runs.sweep"] });
    const token = await tokenFor((await makeOrg("health")).id, "admin");
    const admin = await callRoute(GET, { method: "GET", headers: bearer(token) });
    expect(admin.json).toMatchObject({ status: "degraded", checks: { schedulers: { ok: false, missing: ["runs.sweep"], count: 1 } } });

    await reconcileSchedulers();
    expect((await callRoute(GET, { method: "GET" })).json).toEqual({ status: "ok", down: [] });
  });
});
