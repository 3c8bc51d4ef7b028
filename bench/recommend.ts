// `npx tsx bench/recommend.ts [--scenarios bench/scenarios] [--only <family>] [--skip-latency] [--skip-scenarios]
//   [--playbooks 1000] [--runs 100000] [--incidents 20000] [--calls 200] [--verbose]`
// The playbook recommender (lib/recommend) on a throwaway database:
// 1. Accuracy: every scenario of bench/scenarios/*.json in its own organization — the real catalog (signed,
//    trusted key), past incidents ingested as signals (then resolved), their runs inserted with the recorded
//    outcomes, incident embeddings through embedObjects — then rankPlaybooks for the scenario's incident.
//    Top-1 accuracy, top-3 recall and MRR of the expected playbook, overall and per family, with the default
//    WEIGHTS and with the text_match factor switched off (the factor set of the original brief).
// 2. Latency: one organization with --playbooks playbooks (catalog variants, inserted in bulk), --incidents past
//    incidents and --runs past runs (SQL generate_series), then p50/p99 of rankPlaybooks over --calls calls, in
//    steady state and on the learning path (a run finished just before each call, so the statistics refresh).
import { parseArgs } from "node:util";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { createTestDatabase, deleteRedisPrefix, dropTestDatabase, runId } from "../test/services";
import type { Prisma } from "../lib/generated/prisma/client";

const { values } = parseArgs({
  options: {
    scenarios: { type: "string", default: path.resolve(import.meta.dirname, "scenarios") },
    only: { type: "string" },
    "skip-latency": { type: "boolean", default: false },
    "skip-scenarios": { type: "boolean", default: false },
    playbooks: { type: "string", default: "1000" },
    runs: { type: "string", default: "100000" },
    incidents: { type: "string", default: "20000" },
    calls: { type: "string", default: "200" },
    verbose: { type: "boolean", default: false },
    // Print the top 3 with their justification for these scenario ids (comma-separated).
    explain: { type: "string", default: "ch-02-payments-release-mixed" },
    // Keep the database afterwards (or reuse one kept earlier) to iterate on the scorer without reloading.
    keep: { type: "string" },
  },
});

// ---------------------------------------------------------------------------------------------------------
// Scenario files

const ZLabels = z.record(z.string(), z.string());
const ZSignal = z
  .object({
    kind: z.enum(["alert", "anomaly"]),
    severity: z.enum(["info", "warning", "critical"]),
    title: z.string().min(1),
    labels: ZLabels.default({}),
    annotations: ZLabels.default({}),
  })
  .strict();
const ZIncident = z.object({ labels: ZLabels.default({}), signals: z.array(ZSignal).min(1) }).strict();
const PLAYBOOKS = ["restart-deployment", "scale-up-deployment", "rollback-deployment", "clear-cache", "page-owner", "notify-slack", "delete-stuck-pod", "cordon-node", "collect-diagnostics", "feature-flag-kill-switch", "verify-recovery"] as const;
const ZRun = z
  .object({
    playbook: z.enum(PLAYBOOKS),
    status: z.enum(["succeeded", "failed", "rejected", "expired", "cancelled"]),
    afterMinutes: z.number().int().min(0).default(15),
    note: z.string().optional(),
  })
  .strict();
const ZPast = ZIncident.extend({ daysAgo: z.number().positive(), text: z.string().optional(), runs: z.array(ZRun).default([]) }).strict();
const ZScenario = z
  .object({
    id: z.string(),
    summary: z.string(),
    incident: ZIncident,
    history: z.array(ZPast).default([]),
    expected: z.enum(PLAYBOOKS),
    rationale: z.string(),
  })
  .strict();
const ZFile = z.object({ family: z.enum(["cold_start", "history", "conflicting_history", "misleading_labels"]), description: z.string(), scenarios: z.array(ZScenario) }).strict();
type Scenario = z.output<typeof ZScenario> & { family: string };
type IncidentSpec = z.output<typeof ZIncident> & { text?: string };

async function loadScenarios(dir: string): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const f of (await readdir(dir)).filter((f) => f.endsWith(".json")).sort()) {
    const file = ZFile.parse(JSON.parse(await readFile(path.join(dir, f), "utf8")));
    for (const s of file.scenarios) out.push({ ...s, family: file.family });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

const id = runId();
const dbName = values.keep ?? `neuralops_test_${id}_recbench`;
const prefix = `neuralops-test-${id}-recbench`;
const url = await createTestDatabase(dbName);
process.env.DATABASE_URL = url;
process.env.REDIS_PREFIX = prefix;
process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef0123"; // seals the orgs' redaction keys
const { db } = await import("../lib/db");
const { systemActor } = await import("../lib/context");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { seedCatalog } = await import("../lib/orgs/seed-demo");
const { ingestSignals } = await import("../lib/incidents/ingest-signals");
const { maxSeverity } = await import("../lib/incidents/grouping");
const { embedObjects } = await import("../lib/vectors/embed-objects");
const { rankPlaybooks } = await import("../lib/recommend/rank-playbooks");
const { WEIGHTS } = await import("../lib/recommend/weights");
const { parsePlaybook, playbookDigest } = await import("../lib/playbooks/schema");
const { closeQueues } = await import("../lib/jobs/queue");
const { closeRedis } = await import("../lib/redis");
const { K8S_ACTIONS } = await import("../lib/playbooks/action-names");
type Actor = import("../lib/context").Actor;
type Severity = "info" | "warning" | "critical";

const MIN = 60_000;
const DAY = 24 * 3600_000;

/** Ingests an incident's signals at `at` (1 minute apart) as one incident and returns its id. */
async function ingestIncident(actor: Actor, inc: IncidentSpec, at: number, resolveAfterMin?: number): Promise<string> {
  const signals = inc.signals.map((s, i) => {
    const annotations = { ...s.annotations };
    if (i === 0 && inc.text) annotations.description = [annotations.description, inc.text].filter(Boolean).join("\n");
    return {
      kind: s.kind,
      fingerprint: randomUUID(),
      startsAt: new Date(at + i * MIN),
      status: "firing" as const,
      title: s.title,
      labels: { ...inc.labels, ...s.labels },
      annotations,
      severity: s.severity,
      source: s.kind === "alert" ? "alertmanager" : "monitor:bench",
    };
  });
  const r = await ingestSignals({ actor, signals });
  const [primary, ...extra] = r.openedIncidents;
  if (!primary) throw new Error("no incident opened");
  if (extra.length) {
    // Different group keys (e.g. a node alert next to a pod alert): one incident, as a grouping by cluster would make it.
    await db.signal.updateMany({ where: { incidentId: { in: extra } }, data: { incidentId: primary } });
    await db.incident.deleteMany({ where: { id: { in: extra } } });
    const severity = inc.signals.map((s) => s.severity as Severity).reduce((a, b) => maxSeverity(a, b));
    await db.incident.update({ where: { id: primary }, data: { severity } });
  }
  if (resolveAfterMin !== undefined) {
    await ingestSignals({ actor, signals: signals.map((s) => ({ ...s, status: "resolved" as const, endsAt: new Date(at + resolveAfterMin * MIN) })) });
  }
  return primary;
}

/**
 * The org as a team running NeuralOps in production has it: the catalog's secrets granted, an agent connected
 * in its cluster allowing every Kubernetes action, a Prometheus. Otherwise every playbook would rank low for
 * "cannot run here", which is not what the scenarios are about.
 */
async function productionLike(orgId: string) {
  const now = new Date();
  await db.organization.update({ where: { id: orgId }, data: { secretGrants: ["*"] } });
  await db.prometheusSource.create({ data: { orgId, url: "http://prometheus.monitoring:9090" } });
  await db.agentCluster.create({ data: { orgId, name: "prod", enrolledAt: now, connectedAt: now, lastHeartbeatAt: now, allowlist: [...K8S_ACTIONS] } });
}

type Metrics = { n: number; top1: number; top3: number; rr: number };
const empty = (): Metrics => ({ n: 0, top1: 0, top3: 0, rr: 0 });
const add = (m: Metrics, rank: number) => {
  m.n++;
  if (rank === 1) m.top1++;
  if (rank >= 1 && rank <= 3) m.top3++;
  if (rank >= 1) m.rr += 1 / rank;
};
const fmt = (m: Metrics) => `top-1 ${((100 * m.top1) / m.n).toFixed(1).padStart(5)}%  top-3 ${((100 * m.top3) / m.n).toFixed(1).padStart(5)}%  MRR ${(m.rr / m.n).toFixed(3)}  (n=${m.n})`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const variants = {
  default: WEIGHTS,
  "no text_match": { ...WEIGHTS, text_match: 0 },
} as const;

/**
 * The scenario sets under --scenarios: the folder itself when it holds scenario files (e.g. a hidden set),
 * else each of its subfolders (bench/scenarios: dev/, the development set, and test/, the frozen test set).
 */
async function scenarioSets(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith(".json"))) return [dir];
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)).sort();
}

async function accuracy(dir: string) {
  const all = (await loadScenarios(dir)).filter((s) => !values.only || s.family === values.only);
  console.log(`\n== Accuracy: ${all.length} scenarios from ${path.relative(process.cwd(), dir) || dir} ==`);
  const results = Object.fromEntries(Object.keys(variants).map((v) => [v, { overall: empty(), byFamily: new Map<string, Metrics>() }]));
  const misses: string[] = [];
  const explained: string[] = [];
  const explain = new Set(values.explain!.split(",").filter(Boolean));
  const started = performance.now();
  for (const [i, s] of all.entries()) {
    const org = await ensureOrg({ slug: `rec-${i}-${createHash("sha1").update(s.id).digest("hex").slice(0, 8)}`, name: s.id });
    const actor = systemActor("bench", org.id);
    const synced = await seedCatalog(actor);
    const bad = synced.filter((r) => "error" in r);
    if (bad.length) throw new Error(`catalog sync failed: ${JSON.stringify(bad)}`);
    await productionLike(org.id);
    const versions = new Map((await db.playbookVersion.findMany({ where: { orgId: org.id }, select: { id: true, playbook: { select: { name: true, risk: true } } } })).map((v) => [v.playbook.name, v]));
    const now = Date.now();
    const pastIds: string[] = [];
    const runs: Prisma.RunCreateManyInput[] = [];
    for (const h of [...s.history].sort((a, b) => b.daysAgo - a.daysAgo)) {
      const at = now - h.daysAgo * DAY;
      const last = Math.max(30, ...h.runs.map((r) => r.afterMinutes + 5));
      const incidentId = await ingestIncident(actor, h, at, last);
      pastIds.push(incidentId);
      for (const r of h.runs) {
        const v = versions.get(r.playbook)!;
        const finished = new Date(at + r.afterMinutes * MIN);
        runs.push({
          orgId: org.id,
          playbookVersionId: v.id,
          playbookName: r.playbook,
          incidentId,
          status: r.status,
          risk: v.playbook.risk,
          requiredApprovals: 1,
          params: {},
          // The note is how the run went (outcome note), as a person would record it after the run.
          outcomeNote: r.note ?? null,
          requestedById: "user:bench",
          requestedByType: "user",
          requestedByLabel: "sre@bench",
          createdAt: new Date(finished.getTime() - 3 * MIN),
          startedAt: r.status === "rejected" || r.status === "expired" ? null : new Date(finished.getTime() - 2 * MIN),
          finishedAt: finished,
        });
      }
    }
    if (runs.length) await db.run.createMany({ data: runs });
    await embedObjects("incident", pastIds); // what the vectors.embed job does after ingestion
    const current = await ingestIncident(actor, s.incident, now - 10 * MIN);
    for (const [name, weights] of Object.entries(variants)) {
      const res = await rankPlaybooks({ actor, incidentId: current, limit: 20, weights });
      const rank = res.items.findIndex((x) => x.playbook.name === s.expected) + 1;
      const r = results[name]!;
      add(r.overall, rank);
      if (!r.byFamily.has(s.family)) r.byFamily.set(s.family, empty());
      add(r.byFamily.get(s.family)!, rank);
      if (name === "default" && explain.has(s.id)) {
        explained.push(`\n${s.id} (${s.family}): ${s.summary} Expected: ${s.expected}.`);
        for (const x of res.items.slice(0, 3)) {
          explained.push(`  #${x.rank} ${x.playbook.name} ${x.score.toFixed(3)} — ${x.justification}`);
          explained.push(`     suggested params: ${JSON.stringify(x.suggestedParams)}`);
        }
      }
      if (name === "default" && (rank !== 1 || values.verbose)) {
        const top = res.items.slice(0, 3).map((x) => `${x.playbook.name} ${x.score.toFixed(3)}`).join(", ");
        misses.push(`${rank === 1 ? "  ok " : "  MISS"} ${s.family.padEnd(19)} ${s.id.padEnd(40)} expected ${s.expected} at #${rank}; top: ${top}`);
        if (values.verbose && rank !== 1) {
          const exp = res.items.find((x) => x.playbook.name === s.expected)!;
          const win = res.items[0]!;
          for (const x of [win, exp]) misses.push(`         ${x.playbook.name}: ${x.factors.map((f) => `${f.name}=${f.value}`).join(" ")}`);
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n-- weights: ${name} --`);
    console.log(`overall              ${fmt(r.overall)}`);
    for (const [family, m] of [...r.byFamily.entries()].sort()) console.log(`${family.padEnd(20)} ${fmt(m)}`);
  }
  console.log(`\nscenarios not ranked #1 (default weights):${misses.length ? "" : " none"}`);
  for (const m of misses) console.log(m);
  console.log(`(loaded and ranked in ${seconds.toFixed(1)} s)`);
  for (const line of explained) console.log(line);
}

// ---------------------------------------------------------------------------------------------------------
// Latency

const SERVICES = ["checkout", "payments-api", "search-api", "catalog-api", "auth-service", "orders", "ws-gateway", "recommendations", "image-resizer", "ledger-api"];
const NAMESPACES = ["shop", "payments", "search", "catalog", "auth", "orders", "realtime", "web", "media", "ledger"];
const ALERTS = ["HighErrorRate", "LatencyHigh", "ContainerMemoryNearLimit", "KubePodCrashLooping", "KafkaConsumerGroupLagHigh", "CPUThrottlingHigh", "KubePodNotReady", "CacheHitRatioLow"];

async function latency() {
  const P = Number(values.playbooks);
  const RUNS = Number(values.runs);
  const INCIDENTS = Number(values.incidents);
  const CALLS = Number(values.calls);
  console.log(`\n== Latency: ${P} playbooks, ${INCIDENTS} past incidents, ${RUNS} past runs, ${CALLS} calls ==`);
  const reuse = await db.organization.findUnique({ where: { slug: "rec-latency" } });
  const org = reuse ?? (await ensureOrg({ slug: "rec-latency", name: "latency" }));
  const actor = systemActor("bench", org.id);
  if (!reuse) await loadLatencyData(org.id, actor, P, RUNS, INCIDENTS, CALLS);
  else console.log("reusing the data of the kept database");
  const queries = (await db.incident.findMany({ where: { orgId: org.id, status: "open" }, orderBy: { openedAt: "asc" }, select: { id: true } })).map((r) => r.id);
  await measure(org.id, actor, queries, P);
}

async function loadLatencyData(orgId: string, actor: Actor, P: number, RUNS: number, INCIDENTS: number, CALLS: number) {
  const org = { id: orgId };
  let t = performance.now();
  await seedCatalog(actor);
  const catalog = await db.playbookVersion.findMany({ where: { orgId: org.id }, select: { source: true } });

  // Playbook variants: the catalog's playbooks narrowed to one team's namespace, some with another risk.
  const playbookRows: Prisma.PlaybookCreateManyInput[] = [];
  const versionRows: Prisma.PlaybookVersionCreateManyInput[] = [];
  for (let i = 0; i < P - catalog.length; i++) {
    const base = parsePlaybook(catalog[i % catalog.length]!.source);
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    const doc = JSON.parse(JSON.stringify({ ...base, params: base.params }));
    doc.name = `${base.name.slice(0, 40)}-v${i}`;
    doc.description = `${base.description} Variant ${i} for the ${ns} team.`;
    const sel = base.matches?.labels?.replace(/}\s*$/, `, namespace="${ns}"}`).replace(/namespace=~"\.\+", /, "") ?? `{namespace="${ns}"}`;
    doc.matches = { ...base.matches, labels: sel };
    if (i % 7 === 0) doc.risk = base.risk === "high" ? "medium" : "high";
    // Durations back to text (parsePlaybook turned them into ms).
    doc.steps = base.steps.map((s: { timeout: number }) => ({ ...s, timeout: `${s.timeout}ms` }));
    const source = JSON.stringify(doc, null, 2) + "\n";
    const spec = parsePlaybook(source);
    const playbookId = randomUUID();
    playbookRows.push({ id: playbookId, orgId: org.id, name: spec.name, description: spec.description, risk: spec.risk, latestVersion: 1 });
    versionRows.push({ orgId: org.id, playbookId, version: 1, digest: playbookDigest(source), source: Buffer.from(source), spec: spec as unknown as Prisma.InputJsonValue, origin: "upload" });
  }
  await db.playbook.createMany({ data: playbookRows });
  for (let i = 0; i < versionRows.length; i += 200) await db.playbookVersion.createMany({ data: versionRows.slice(i, i + 200) });
  console.log(`playbooks: ${P} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Past incidents with one signal each, spread over 180 days; 1 in 5 from an anomaly monitor.
  t = performance.now();
  await db.$executeRaw`
    WITH g AS (
      SELECT i, gen_random_uuid() AS id,
             (${SERVICES}::text[])[1 + i % ${SERVICES.length}] AS svc,
             (${NAMESPACES}::text[])[1 + i % ${NAMESPACES.length}] AS ns,
             (${ALERTS}::text[])[1 + (i / 7) % ${ALERTS.length}] AS alert,
             now() - make_interval(secs => 86400 * 180 * (i::float8 / ${INCIDENTS})) - interval '2 days' AS at
      FROM generate_series(0, ${INCIDENTS - 1}) AS i
    ), inc AS (
      INSERT INTO "Incident" (id, "orgId", title, status, severity, "groupKey", service, labels, "openedAt", "lastSignalAt", "resolvedAt", "updatedAt")
      SELECT id, ${org.id}::uuid, alert || ' on ' || svc, 'resolved'::"IncidentStatus", (CASE WHEN i % 3 = 0 THEN 'critical' ELSE 'warning' END)::"Severity", 'service=' || svc, svc,
             jsonb_build_object('alertname', alert, 'service', svc, 'namespace', ns, 'deployment', svc), at, at, at + interval '40 minutes', now()
      FROM g RETURNING id
    )
    INSERT INTO "Signal" (id, "orgId", kind, fingerprint, "startsAt", status, "endsAt", "lastSeenAt", title, labels, annotations, severity, source, "incidentId", "updatedAt")
    SELECT gen_random_uuid(), ${org.id}::uuid, (CASE WHEN i % 5 = 0 THEN 'anomaly' ELSE 'alert' END)::"SignalKind", 'bench-' || i, at, 'resolved'::"SignalStatus", at + interval '40 minutes', at,
           alert || ' on ' || svc, jsonb_build_object('alertname', alert, 'service', svc, 'namespace', ns, 'deployment', svc),
           jsonb_build_object('summary', alert || ' on ' || svc, 'description', 'bench incident ' || i || ' of ' || svc || ' in ' || ns),
           (CASE WHEN i % 3 = 0 THEN 'critical' ELSE 'warning' END)::"Severity", 'alertmanager', id, now()
    FROM g`;
  // Runs: random playbook, random past incident, mixed outcomes.
  await db.$executeRaw`
    WITH pv AS (SELECT row_number() OVER (ORDER BY pv.id) AS n, pv.id, p.name, p.risk FROM "PlaybookVersion" pv JOIN "Playbook" p ON p.id = pv."playbookId" WHERE pv."orgId" = ${org.id}::uuid),
         inc AS (SELECT row_number() OVER (ORDER BY id) AS n, id, "openedAt" FROM "Incident" WHERE "orgId" = ${org.id}::uuid),
         np AS (SELECT count(*) AS c FROM pv), ni AS (SELECT count(*) AS c FROM inc),
         g AS (SELECT i, 1 + (hashint4(i) & 2147483647) % (SELECT c FROM np) AS p, 1 + (hashint4(i + 7919) & 2147483647) % (SELECT c FROM ni) AS k, (hashint4(i * 31) & 2147483647) % 100 AS o FROM generate_series(1, ${RUNS}) AS i)
    INSERT INTO "Run" (id, "orgId", "playbookVersionId", "playbookName", "incidentId", status, risk, "requiredApprovals", params, "requestedById", "requestedByType", "requestedByLabel", "createdAt", "updatedAt", "startedAt", "finishedAt")
    SELECT gen_random_uuid(), ${org.id}::uuid, pv.id, pv.name, inc.id,
           (CASE WHEN o < 55 THEN 'succeeded' WHEN o < 80 THEN 'failed' WHEN o < 90 THEN 'rejected' WHEN o < 95 THEN 'expired' ELSE 'cancelled' END)::"RunStatus",
           pv.risk, 1, '{}'::jsonb, 'user:bench', 'user', 'bench', inc."openedAt" + interval '5 minutes', now(), inc."openedAt" + interval '6 minutes', inc."openedAt" + interval '12 minutes'
    FROM g JOIN pv ON pv.n = g.p JOIN inc ON inc.n = g.k`;
  for (const tbl of ["Run", "Incident", "Signal", "Playbook", "PlaybookVersion"]) await db.$executeRawUnsafe(`ANALYZE "${tbl}"`);
  console.log(`incidents + runs inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Embeddings of the past incidents (what the vectors.embed job does), a few at a time.
  t = performance.now();
  const ids = (await db.incident.findMany({ where: { orgId: org.id }, select: { id: true } })).map((r) => r.id);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const chunk = ids.slice(next, (next += 100));
        await embedObjects("incident", chunk);
      }
    }),
  );
  console.log(`embedded ${ids.length} incidents in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // The incidents to rank: fresh ones through the normal ingestion path, embedded like the job would.
  const queries: string[] = [];
  const now = Date.now();
  for (let i = 0; i < CALLS; i++) {
    const svc = SERVICES[i % SERVICES.length]!;
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    const alert = ALERTS[(i * 3) % ALERTS.length]!;
    queries.push(
      await ingestIncident(
        actor,
        { labels: { alertname: alert, service: `${svc}`, namespace: ns, deployment: svc, pod: `${svc}-6d9f-${i}` }, signals: [{ kind: i % 5 ? "alert" : "anomaly", severity: i % 3 ? "warning" : "critical", title: `${alert} on ${svc}`, labels: {}, annotations: { summary: `${alert} on ${svc}`, description: `query incident ${i}` } }] },
        now - (CALLS - i) * 40 * MIN,
      ),
    );
  }
  await embedObjects("incident", queries);
}

async function measure(orgId: string, actor: Actor, queries: string[], P: number) {
  const org = { id: orgId };
  const t = performance.now();
  const first = await rankPlaybooks({ actor, incidentId: queries[0]! });
  console.log(`first call (parses ${first.considered.playbooks} specs, embeds their descriptions, loads the vector index, runs the aggregate): ${(performance.now() - t).toFixed(0)} ms`);
  for (let i = 0; i < 20; i++) await rankPlaybooks({ actor, incidentId: queries[i % queries.length]! }); // warm-up (JIT, pools)

  const wall: number[] = [];
  const phases = new Map<string, number[]>();
  for (const q of queries) {
    const t0 = performance.now();
    const r = await rankPlaybooks({ actor, incidentId: q });
    wall.push(performance.now() - t0);
    for (const [k, v] of Object.entries(r.timingsMs)) phases.set(k, [...(phases.get(k) ?? []), v]);
    if (r.items.length !== 10 || r.considered.playbooks !== P) throw new Error(`unexpected result: ${r.items.length} items, ${r.considered.playbooks} playbooks`);
  }
  console.log(`phases (p50 / p99 ms): ${[...phases.entries()].map(([k, v]) => `${k} ${pct(v, 50).toFixed(1)} / ${pct(v, 99).toFixed(1)}`).join(", ")}`);
  console.log(`steady state   p50 ${pct(wall, 50).toFixed(1)} ms  p90 ${pct(wall, 90).toFixed(1)} ms  p99 ${pct(wall, 99).toFixed(1)} ms  max ${Math.max(...wall).toFixed(1)} ms  (${wall.length} calls, ${first.considered.similarIncidents} neighbours each)`);

  // Learning path: a run finishes right before each call, so the outcome statistics are recomputed.
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: org.id }, select: { id: true, playbook: { select: { name: true } } } });
  const learn: number[] = [];
  for (let i = 0; i < 30; i++) {
    await db.run.create({
      data: { orgId: org.id, playbookVersionId: version.id, playbookName: version.playbook.name, incidentId: queries[i]!, status: i % 2 ? "succeeded" : "failed", risk: "medium", requiredApprovals: 1, params: {}, requestedById: "user:bench", requestedByType: "user", requestedByLabel: "bench", finishedAt: new Date() },
    });
    const t0 = performance.now();
    await rankPlaybooks({ actor, incidentId: queries[(i * 7) % queries.length]! });
    learn.push(performance.now() - t0);
  }
  console.log(`after each new finished run (statistics recomputed)  p50 ${pct(learn, 50).toFixed(1)} ms  p90 ${pct(learn, 90).toFixed(1)} ms  max ${Math.max(...learn).toFixed(1)} ms  (${learn.length} calls)`);
}

try {
  if (!values["skip-scenarios"]) for (const dir of await scenarioSets(values.scenarios!)) await accuracy(dir);
  if (!values["skip-latency"]) await latency();
} finally {
  await closeQueues().catch(() => {});
  await closeRedis().catch(() => {});
  await db.$disconnect();
  if (values.keep) console.log(`kept database ${dbName}`);
  else await dropTestDatabase(dbName);
  await deleteRedisPrefix(prefix);
}
