// Overload and store outages on the ingest routes (Alertmanager webhook, remote_write): past the
// in-flight cap they answer 503 overloaded with Retry-After at once, without doing any work, and every
// alert of an accepted (2xx) delivery is exactly one signal; an error meaning "PostgreSQL or Redis is
// unreachable" is a 503 store_unavailable with Retry-After, never a 500.
import { afterAll, describe, expect, it, vi } from "vitest";

// The caps are read from the environment once per process; this file runs with small ones.
vi.hoisted(() => {
  process.env.INGEST_MAX_INFLIGHT = "2";
  process.env.INGEST_MAX_QUEUED = "2";
  process.env.INGEST_QUEUE_TIMEOUT_MS = "200";
  process.env.TOKEN_CACHE_TTL_MS = "1000";
});

import { createServer, type Server } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { Redis } from "ioredis";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { POST as webhook } from "@/app/api/v1/integrations/alertmanager/route";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { encodeWriteRequest } from "@/lib/insight/remote-write/encode.testing";
import { errorResponse } from "@/lib/http/route";
import { isStoreUnavailable } from "@/lib/http/store-errors";
import { makeActor, makeOrg } from "@/test/factories";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { deliveryOf } from "@/test/alerts";

function delivery(tag: string, n: number) {
  return deliveryOf(
    Array.from({ length: 10 }, (_, k) => ({
      labels: { alertname: "Storm", service: `svc-${n % 5}`, instance: `${tag}-${n}-${k}` },
      annotations: { summary: `storm ${n}/${k}` },
      startsAt: "2026-01-01T00:00:00Z",
      fingerprint: `${tag}-${n}-${k}`,
    })),
  );
}

describe("ingest routes past capacity", () => {
  it("a flood beyond the cap: some 503 overloaded with Retry-After, answered at once; accepted alerts are exactly one signal each", async () => {
    const org = await makeOrg("overload");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const flood = 40;
    // Every fifth delivery repeats the one before it (Alertmanager resends), so repeats are in the flood too.
    const numbers = Array.from({ length: flood }, (_, i) => (i % 5 === 4 ? i - 1 : i));
    // A sender's token is checked once, then trusted for TOKEN_CACHE_TTL_MS: warm it as a sender would have.
    expect((await callRoute(webhook, { headers: bearer(token), body: { ...delivery("warm", 0), alerts: [] } })).status).toBe(200);
    const answers = await Promise.all(
      numbers.map(async (n) => {
        const t = performance.now();
        const res = await callRoute(webhook, { headers: bearer(token), body: delivery("f", n) });
        return { n, res, ms: performance.now() - t };
      }),
    );
    const accepted = answers.filter((a) => a.res.status === 200);
    const refused = answers.filter((a) => a.res.status !== 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.res.status, r.res.text).toBe(503);
      expect(r.res.json.error.code).toBe("overloaded");
      expect(Number(r.res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Refused without waiting for the work in flight: the typical refusal is quicker than the typical acceptance.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(refused.map((r) => r.ms))).toBeLessThan(median(accepted.map((a) => a.ms)));

    const storedFingerprints = async () => {
      const rows = await db.signal.groupBy({ by: ["fingerprint"], where: { orgId: org.id }, _count: { _all: true } });
      expect(rows.filter((r) => r._count._all !== 1)).toEqual([]);
      return new Set(rows.map((r) => r.fingerprint));
    };
    const acceptedFingerprints = new Set(accepted.flatMap((a) => delivery("f", a.n).alerts.map((x) => x.fingerprint)));
    // A refused delivery did nothing: what is stored is exactly what was accepted.
    expect([...(await storedFingerprints())].sort()).toEqual([...acceptedFingerprints].sort());

    // Retried after Retry-After, as Alertmanager does, every delivery lands, still exactly once.
    for (const r of refused) {
      for (let attempt = 0; ; attempt++) {
        const res = await callRoute(webhook, { headers: bearer(token), body: delivery("f", r.n) });
        if (res.status === 200) break;
        expect(res.status).toBe(503);
        expect(attempt).toBeLessThan(20);
        await new Promise((done) => setTimeout(done, 50));
      }
    }
    const all = new Set(numbers.flatMap((n) => delivery("f", n).alerts.map((x) => x.fingerprint)));
    expect([...(await storedFingerprints())].sort()).toEqual([...all].sort());
  });

  it("/api/v1/write past the cap: 503 overloaded with Retry-After, the rest accepted", async () => {
    const org = await makeOrg("overload-rw");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const headers = { ...bearer(token), "content-type": "application/x-protobuf", "content-encoding": "snappy" };
    const t0 = Date.UTC(2026, 0, 1);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        callRoute(remoteWrite, {
          headers,
          body: encodeWriteRequest({ series: [{ labels: { __name__: "flood", instance: `i${i}` }, samples: [{ t: t0 + i * 1000, v: i }] }] }),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(statuses.every((s) => (s >= 200 && s < 300) || s === 503)).toBe(true);
    for (const r of refused) {
      expect(r.json.error.code).toBe("overloaded");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("the ingest routes' token cache", () => {
  it("a token revoked elsewhere is refused within TOKEN_CACHE_TTL_MS; one revoked by this process at once", async () => {
    const org = await makeOrg("token-cache");
    const admin = await makeActor(org.id, "admin");
    const post = (token: string) => callRoute(webhook, { headers: bearer(token), body: { ...delivery("tc", 0), alerts: [] } });

    const a = await createApiToken({ actor: admin, input: { name: "am", role: "operator", scopes: ["signals.ingest"], service: true } });
    expect((await post(a.token)).status).toBe(200);
    // Revoked by another process (straight in the database): trusted until the cached check expires, not after.
    await db.apiToken.update({ where: { id: a.id }, data: { revokedAt: new Date() } });
    const deadline = Date.now() + 1_000;
    let status = (await post(a.token)).status;
    while (status === 200) {
      expect(Date.now()).toBeLessThan(deadline + 500);
      await new Promise((r) => setTimeout(r, 100));
      status = (await post(a.token)).status;
    }
    expect(status).toBe(401);

    const b = await createApiToken({ actor: admin, input: { name: "am2", role: "operator", scopes: ["signals.ingest"], service: true } });
    expect((await post(b.token)).status).toBe(200);
    await revokeApiToken({ actor: admin, id: b.id });
    expect((await post(b.token)).status).toBe(401);
  });
});

describe("a store that cannot be reached", () => {
  let closed: Server | undefined;
  afterAll(() => closed?.close());

  /** A port that refuses connections (bound, then closed), and one that accepts and hangs up at once. */
  async function ports() {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const refusing = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    closed = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => closed!.listen(0, "127.0.0.1", r));
    return { refusing, hangingUp: (closed.address() as { port: number }).port };
  }

  it("PostgreSQL refusing or dropping connections, Redis refusing them: 503 store_unavailable with Retry-After, not 500", async () => {
    const { refusing, hangingUp } = await ports();
    const errors: unknown[] = [];
    for (const port of [refusing, hangingUp]) {
      const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${port}/neuralops`, connectionTimeoutMillis: 2_000 }) });
      errors.push(await client.$queryRaw`SELECT 1`.then(() => null, (e: unknown) => e));
      errors.push(await client.signal.count().then(() => null, (e: unknown) => e));
      errors.push(await client.$transaction(async (tx) => tx.$executeRaw`SELECT 1`).then(() => null, (e: unknown) => e));
      await client.$disconnect().catch(() => {});
    }
    const redis = new Redis(`redis://127.0.0.1:${refusing}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: true });
    redis.on("error", () => {});
    errors.push(await redis.get("x").then(() => null, (e: unknown) => e));
    redis.disconnect();

    for (const err of errors) {
      expect(err, "the call should have failed").toBeTruthy();
      expect(isStoreUnavailable(err), String(err)).toBe(true);
      const res = errorResponse(err, "req-1");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("store_unavailable");
    }
  });

  it("other errors stay what they were: a bug is still a 500, a unique violation is not a store outage", async () => {
    expect(isStoreUnavailable(new Error("boom"))).toBe(false);
    expect(errorResponse(new Error("boom"), "req-2").status).toBe(500);
    const org = await makeOrg("overload-dup");
    const row = { orgId: org.id, kind: "alert" as const, fingerprint: "dup", startsAt: new Date(), lastSeenAt: new Date(), title: "t", labels: {}, severity: "warning" as const, source: "test" };
    await db.signal.create({ data: row });
    const dup = await db.signal.create({ data: row }).then(() => null, (e: unknown) => e);
    expect(dup).toBeTruthy();
    expect(isStoreUnavailable(dup)).toBe(false);
  });
});
