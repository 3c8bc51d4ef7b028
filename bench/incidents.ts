// `npm run bench:incidents -- [--incidents 100000] [--signals-per-incident 10] [--iterations 200]`
// The incident list at scale: seeds incidents and their signals straight in SQL (generate_series) on a
// throwaway PostgreSQL database, then times listIncidents — the function GET /api/v1/incidents and the
// Incidents page call, so its time is the list's server time minus HTTP — for the first page, filters, label-value
// searches and deep pages by cursor in both directions. Prints p50/p99 per case; the goal is p99 < 300 ms.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { throwawayEnvironment } from "../test/services";
import { pct } from "./percentile";

const { values } = parseArgs({
  options: { incidents: { type: "string", default: "100000" }, "signals-per-incident": { type: "string", default: "10" }, iterations: { type: "string", default: "200" } },
});
const INCIDENTS = Number(values.incidents);
const PER = Number(values["signals-per-incident"]);
const ITERATIONS = Number(values.iterations);
const GOAL_P99_MS = 300;

const { drop } = await throwawayEnvironment("incidents");
process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef0123";
const { db } = await import("../lib/db");
const { closeRedis } = await import("../lib/redis");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { makeActor } = await import("../test/factories");
const { listIncidents } = await import("../lib/incidents/list-incidents");
type Query = NonNullable<Parameters<typeof listIncidents>[0]["query"]>;

const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

/**
 * Labels shaped like a real fleet: 60 services over 12 namespaces (one of them `payments`), 6 clusters
 * (`prod-eu-1` among them), 25 alert names; 90 days of history, mostly resolved. A neighbouring
 * organization gets a tenth as many, so every query also has to skip other tenants' rows.
 */
async function seed(orgId: string, n: number, perIncident: number) {
  let t = performance.now();
  await db.$executeRaw`
    INSERT INTO "Incident" (id, "orgId", title, status, severity, "groupKey", service, labels, "openedAt", "lastSignalAt", "acknowledgedAt", "acknowledgedBy", "resolvedAt", "resolvedBy", "updatedAt")
    SELECT gen_random_uuid(), ${orgId}::uuid,
           (ARRAY['HighLatency','ErrorRate','PodCrashLooping','DiskPressure','CPUThrottling','MemoryPressure','TargetDown','CertExpiring','QueueBacklog','ReplicaLag',
                  'NodeNotReady','HTTP5xx','SLOBurn','OOMKilled','DNSFailures','Saturation','ConnPoolExhausted','GCPauses','ThreadStarvation','LBUnhealthy',
                  'KafkaLag','RedisEvictions','PGDeadlocks','JobFailed','ProbeFailed'])[1 + g % 25] || ' on svc-' || (g % 60),
           (CASE WHEN g % 20 = 0 THEN 'open' WHEN g % 20 = 1 THEN 'acknowledged' ELSE 'resolved' END)::"IncidentStatus",
           (CASE WHEN g % 7 = 0 THEN 'critical' WHEN g % 3 = 0 THEN 'info' ELSE 'warning' END)::"Severity",
           'service=svc-' || (g % 60), 'svc-' || (g % 60),
           jsonb_build_object('alertname', 'A' || (g % 25), 'service', 'svc-' || (g % 60),
                              'namespace', (ARRAY['payments','checkout','search','identity','catalog','shipping','ads','ml','platform','data','web','mobile'])[1 + (g / 7) % 12],
                              'cluster', (ARRAY['prod-eu-1','prod-eu-2','prod-us-1','prod-us-2','staging-eu-1','dev-1'])[1 + (g / 3) % 6],
                              'severity', CASE WHEN g % 7 = 0 THEN 'critical' ELSE 'warning' END,
                              'team', 'team-' || (g % 17), 'pod', 'svc-' || (g % 60) || '-7d9f8b6c5-' || substr(md5(g::text), 1, 5)),
           now() - make_interval(secs => (${n} - g) * 77.76),
           now() - make_interval(secs => (${n} - g) * 77.76) + make_interval(mins => g % 45),
           CASE WHEN g % 20 <> 0 THEN now() - make_interval(secs => (${n} - g) * 77.76) + interval '3 minutes' END,
           CASE WHEN g % 20 <> 0 THEN 'oncall@example.com' END,
           CASE WHEN g % 20 > 1 THEN now() - make_interval(secs => (${n} - g) * 77.76) + interval '50 minutes' END,
           CASE WHEN g % 20 > 1 THEN 'auto: all signals resolved' END,
           now()
    FROM generate_series(1, ${n}) g`;
  console.error(`seeded ${n.toLocaleString("en")} incidents in ${secs(t)}`);
  t = performance.now();
  await db.$executeRaw`
    INSERT INTO "Signal" (id, "orgId", kind, fingerprint, "startsAt", status, "endsAt", "lastSeenAt", hits, title, labels, annotations, severity, source, "incidentId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), i."orgId", 'alert', md5(i.id::text || s), i."openedAt" + make_interval(secs => s * 30),
           (CASE WHEN i.status = 'resolved' THEN 'resolved' ELSE 'firing' END)::"SignalStatus",
           CASE WHEN i.status = 'resolved' THEN i."resolvedAt" END, i."lastSignalAt", 1 + s % 4, i.title,
           i.labels || jsonb_build_object('instance', '10.0.' || (s % 250) || '.' || (s * 7 % 250) || ':9100'),
           jsonb_build_object('summary', i.title, 'runbook_url', 'https://runbooks.example.com/' || (i.labels->>'alertname')),
           i.severity, 'alertmanager', i.id, i."openedAt", now()
    FROM "Incident" i CROSS JOIN generate_series(1, ${perIncident}) s
    WHERE i."orgId" = ${orgId}::uuid`;
  console.error(`seeded ${(n * perIncident).toLocaleString("en")} signals in ${secs(t)}`);
}

async function time(label: string, query: Query, actor: Parameters<typeof listIncidents>[0]["actor"]) {
  for (let i = 0; i < 10; i++) await listIncidents({ actor, query });
  const ms: number[] = [];
  let rows = 0;
  let total = "";
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    const page = await listIncidents({ actor, query });
    ms.push(performance.now() - t);
    rows = page.incidents.length;
    total = `${page.total.count}${page.total.capped ? "+" : ""}`;
  }
  const p50 = pct(ms, 50);
  const p99 = pct(ms, 99);
  console.log(
    `| ${label.padEnd(44)} | ${String(rows).padStart(4)} | ${total.padStart(6)} | ${p50.toFixed(1).padStart(7)} | ${p99.toFixed(1).padStart(7)} | ${pct(ms, 100).toFixed(1).padStart(7)} | ${p99 < GOAL_P99_MS ? "yes" : "NO"} |`,
  );
  return p99 < GOAL_P99_MS;
}

try {
  const org = await ensureOrg({ slug: "bench-incidents", name: "Bench incidents" });
  const neighbour = await ensureOrg({ slug: "bench-neighbour", name: "Bench neighbour" });
  const viewer = await makeActor(org.id, "viewer");
  const t = performance.now();
  await seed(org.id, INCIDENTS, PER);
  await seed(neighbour.id, Math.ceil(INCIDENTS / 10), PER);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Incident"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Signal"`);
  console.error(`seed + VACUUM ANALYZE in ${secs(t)}`);

  // Page 50 (and back from it) by following nextCursor the way a person clicking Older would.
  let cursor: string | undefined;
  for (let p = 1; p < 50; p++) cursor = (await listIncidents({ actor: viewer, query: { cursor } })).nextCursor ?? undefined;
  if (!cursor) throw new Error("fewer than 50 pages: seed more incidents");
  const page50 = await listIncidents({ actor: viewer, query: { cursor } });
  const rarePod = (await db.$queryRaw<{ pod: string }[]>`SELECT labels->>'pod' AS pod FROM "Incident" WHERE "orgId" = ${org.id}::uuid ORDER BY "openedAt" LIMIT 1 OFFSET 10`)[0]!.pod;

  console.log(`\nincident list, ${INCIDENTS.toLocaleString("en")} incidents and ${(INCIDENTS * PER).toLocaleString("en")} signals in the org (+10% in a neighbour org), 50 rows per page, ${ITERATIONS} timed calls each (after 10 warm-up)`);
  console.log(`| case                                         | rows | total  | p50 ms  | p99 ms  | max ms  | p99 < ${GOAL_P99_MS} ms |`);
  console.log(`|---|---|---|---|---|---|---|`);
  const ok = [
    await time("first page (newest)", {}, viewer),
    await time("filter: status=open", { status: "open" }, viewer),
    await time("filter: status=open severity=critical", { status: "open", severity: "critical" }, viewer),
    await time("search label value: q=payments", { q: "payments" }, viewer),
    await time("search label value: q=prod-eu-1", { q: "prod-eu-1" }, viewer),
    await time("search + filter: q=prod-eu-1 status=open", { q: "prod-eu-1", status: "open" }, viewer),
    await time("search pod-name prefix: q=svc-7-7d9f8b6c5", { q: "svc-7-7d9f8b6c5" }, viewer),
    // One pod of one of the oldest incidents: a planner that walked the openedAt index would read them all.
    await time("search, one old incident: q=<its pod hash>", { q: rarePod }, viewer),
    await time("search, no match: q=no-such-value", { q: "no-such-value" }, viewer),
    await time("search, 2 letters (no trigram): q=eu", { q: "eu" }, viewer),
    await time("page 50 by cursor (Older x49)", { cursor }, viewer),
    await time("page 49 by cursor (Newer from page 50)", { cursor: page50.prevCursor! }, viewer),
    await time("sort=severity, first page", { sort: "severity" }, viewer),
    await time("sort=last_signal, first page", { sort: "last_signal" }, viewer),
    await time("sort=oldest, first page", { sort: "oldest" }, viewer),
    await time("sort=severity + status=open", { sort: "severity", status: "open" }, viewer),
    await time("owner=none + q=payments", { owner: "none", q: "payments" }, viewer),
  ];
  console.log(ok.every(Boolean) ? `\nall cases p99 < ${GOAL_P99_MS} ms` : `\nSOME CASES MISS p99 < ${GOAL_P99_MS} ms`);
  process.exitCode = ok.every(Boolean) ? 0 : 1;
} finally {
  await db.$disconnect();
  await closeRedis().catch(() => {});
  await drop();
}
