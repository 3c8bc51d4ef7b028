// Outcome statistics of every playbook of an org, per signal-kind mask of the incidents they ran on: the
// input of outcome_prior and recency.
//
// - Full computation: one aggregate query over every finished run of the org (GROUP BY playbookName, kinds) —
//   never one query per playbook. At 100k runs that is a few hundred ms, so it runs once per org and process
//   and then every STATS_MAX_AGE_MS as a safety net.
// - In between, a probe of index-backed lookups (probeOrg) tells whether runs were added or finished. Finished
//   runs never change again and a run only moves from unfinished to finished, so the effect of a change is
//   exactly: for each incident with a changed run, its contribution now minus its contribution without the
//   changed runs. Those few incidents are read (2 small queries) and the totals adjusted, so the ranking learns
//   from a run as soon as it has finished, at the cost of milliseconds.
//
// What this cannot see — a run inserted with an old createdAt, a signal added to a long-past incident, a run
// moved to another incident — is picked up by the next full computation.
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { EMPTY_STATS, type OutcomeStats } from "@/lib/recommend/score";
import { PARAMS } from "@/lib/recommend/weights";

export const KIND_BIT = { alert: 1, anomaly: 2 } as const;
const STATS_MAX_AGE_MS = 60 * 60_000;
/** Runs committed late can carry a createdAt a little behind the newest one seen: look back this far. */
const OVERLAP_MS = 60_000;
const MAX_ORGS = 200;
const HALF_LIFE_S = PARAMS.recencyHalfLifeDays * 86_400;

type Totals = { s: number; f: number; ds: number; df: number };
type Entry = {
  probeKey: string;
  readOnlyKey: string;
  loadedAt: number;
  /** Decayed sums are stored relative to this time (epoch seconds). */
  refEpochS: number;
  /** Per playbook name, totals indexed by kinds mask (0 none, 1 alert, 2 anomaly, 3 both). */
  byName: Map<string, Totals[]>;
  /** Newest Run.createdAt seen (ms), unfinished run ids, and finished run ids created within OVERLAP_MS of the newest. */
  newestMs: number;
  open: Set<string>;
  recentFinished: Set<string>;
};
export type StatsLookup = { get(name: string, kindMask: number): OutcomeStats; refresh: "none" | "incremental" | "full" };

const cache = new Map<string, Entry>();
const locks = new Map<string, Promise<unknown>>();
const hashes = new WeakMap<readonly string[], string>();
const UNFINISHED = new Set(["suggested", "dry_run", "awaiting_approval", "approved", "executing"]);

/**
 * What the caches depend on, in one round trip of index-backed lookups: `runs` changes with every new run and
 * every run that finishes, `playbooks` with every added, removed or re-versioned playbook.
 */
export async function probeOrg(orgId: string): Promise<{ runs: string; playbooks: string }> {
  const [row] = await db.$queryRaw<{ newest: string | null; open: string; playbooks: string }[]>`
    SELECT (SELECT max("createdAt") FROM "Run" WHERE "orgId" = ${orgId}::uuid)::text AS newest,
           (SELECT md5(coalesce(string_agg(id::text || ':' || status::text, ',' ORDER BY id), ''))
              FROM "Run" WHERE "orgId" = ${orgId}::uuid AND status IN ('suggested', 'dry_run', 'awaiting_approval', 'approved', 'executing')) AS open,
           (SELECT count(*)::text || '|' || coalesce(max("updatedAt")::text, '') || '|' || coalesce(sum("latestVersion"), 0)::text
              FROM "Playbook" WHERE "orgId" = ${orgId}::uuid) AS playbooks`;
  return { runs: `${row?.newest ?? ""}|${row?.open ?? ""}`, playbooks: row?.playbooks ?? "" };
}

const decay = (atS: number, refS: number) => 2 ** Math.max((atS - refS) / HALF_LIFE_S, -600);

function add(e: Entry, name: string, mask: number, t: Totals, sign: 1 | -1) {
  let byMask = e.byName.get(name);
  if (!byMask) e.byName.set(name, (byMask = [0, 1, 2, 3].map(() => ({ s: 0, f: 0, ds: 0, df: 0 }))));
  const cur = byMask[mask & 3]!;
  cur.s += sign * t.s;
  cur.f += sign * t.f;
  cur.ds += sign * t.ds;
  cur.df += sign * t.df;
}

type RunRow = { id: string; name: string; ok: boolean; at: number; created: number };

/**
 * One incident's contribution per run, attributed like score.ts runOutcome: the fix is the state-changing
 * playbook whose success finished last (ties: created last); read-only successes count PARAMS.readOnlyCredit
 * when there is no fix; failures count against.
 */
export function contributions(runs: readonly Omit<RunRow, "id">[], readOnly: ReadonlySet<string>, refEpochS: number): Array<{ name: string } & Totals> {
  let fix: Omit<RunRow, "id"> | null = null;
  for (const r of runs) if (r.ok && !readOnly.has(r.name) && (!fix || r.at > fix.at || (r.at === fix.at && r.created > fix.created))) fix = r;
  return runs.map((r) => {
    const d = decay(r.at, refEpochS);
    const s = !r.ok ? 0 : readOnly.has(r.name) ? (fix ? 0 : PARAMS.readOnlyCredit) : r.name === fix!.name ? 1 : 0;
    return { name: r.name, s, f: r.ok ? 0 : 1, ds: s * d, df: r.ok ? 0 : d };
  });
}

async function full(orgId: string, readOnly: readonly string[], readOnlyKey: string, probeKey: string, now: number): Promise<Entry> {
  const refEpochS = Math.floor(now / 1000);
  // One snapshot for the aggregate and the bookkeeping, so no run is counted twice or missed between them.
  const [, rows, state] = await db.$transaction(
    [
      db.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`),
      db.$queryRaw<{ name: string; mask: number; s: number; f: number; ds: number; df: number }[]>`
        WITH r AS (
          SELECT r."playbookName" AS name, r."incidentId" AS iid, r.status::text AS status, r."createdAt" AS created,
                 extract(epoch FROM coalesce(r."finishedAt", r."updatedAt"))::float8 AS at
          FROM "Run" r
          WHERE r."orgId" = ${orgId}::uuid AND r."incidentId" IS NOT NULL AND r.status IN ('succeeded', 'failed')
        ),
        ro AS (SELECT DISTINCT unnest(${[...readOnly]}::text[]) AS name),
        rr AS (SELECT r.*, (ro.name IS NOT NULL) AS read_only FROM r LEFT JOIN ro ON ro.name = r.name),
        -- The fix of each incident: the state-changing playbook whose success finished last.
        fix AS (SELECT DISTINCT ON (iid) iid, name FROM rr WHERE status = 'succeeded' AND NOT read_only ORDER BY iid, at DESC, created DESC),
        k AS (
          SELECT s."incidentId" AS iid, bit_or(CASE WHEN s.kind = 'alert' THEN 1 ELSE 2 END) AS mask
          FROM "Signal" s WHERE s."orgId" = ${orgId}::uuid AND s."incidentId" IS NOT NULL
          GROUP BY 1
        ),
        x AS (
          SELECT rr.name, coalesce(k.mask, 0) AS mask,
                 CASE WHEN rr.status <> 'succeeded' THEN 0::float8
                      WHEN rr.read_only THEN (CASE WHEN f.iid IS NULL THEN ${PARAMS.readOnlyCredit}::float8 ELSE 0::float8 END)
                      WHEN f.name = rr.name THEN 1::float8 ELSE 0::float8 END AS ok,
                 (rr.status = 'failed') AS bad,
                 power(2::float8, greatest((rr.at - ${refEpochS}::float8) / ${HALF_LIFE_S}::float8, -600)) AS decay
          FROM rr LEFT JOIN fix f ON f.iid = rr.iid LEFT JOIN k ON k.iid = rr.iid
        )
        SELECT name COLLATE "C" AS name, mask::int AS mask,
               sum(ok)::float8 AS s,
               count(*) FILTER (WHERE bad)::int AS f,
               sum(decay * ok)::float8 AS ds,
               coalesce(sum(decay) FILTER (WHERE bad), 0)::float8 AS df
        FROM x GROUP BY 1, 2`,
      db.$queryRaw<{ id: string; status: string; created: Date }[]>`
        SELECT r.id::text AS id, r.status::text AS status, r."createdAt" AS created
        FROM "Run" r
        WHERE r."orgId" = ${orgId}::uuid
          AND r."createdAt" >= (SELECT max("createdAt") FROM "Run" WHERE "orgId" = ${orgId}::uuid) - make_interval(secs => ${OVERLAP_MS / 1000})
        UNION
        SELECT r.id::text, r.status::text, r."createdAt"
        FROM "Run" r
        WHERE r."orgId" = ${orgId}::uuid AND r.status IN ('suggested', 'dry_run', 'awaiting_approval', 'approved', 'executing')`,
    ],
    { isolationLevel: "RepeatableRead" },
  );
  const e: Entry = { probeKey, readOnlyKey, loadedAt: now, refEpochS, byName: new Map(), newestMs: 0, open: new Set(), recentFinished: new Set() };
  for (const r of rows) add(e, r.name, r.mask, r, 1);
  bookkeeping(e, state);
  return e;
}

function bookkeeping(e: Entry, runs: readonly { id: string; status: string; created: Date }[]) {
  for (const r of runs) e.newestMs = Math.max(e.newestMs, r.created.getTime());
  e.open = new Set(runs.filter((r) => UNFINISHED.has(r.status)).map((r) => r.id));
  e.recentFinished = new Set(runs.filter((r) => !UNFINISHED.has(r.status) && r.created.getTime() >= e.newestMs - OVERLAP_MS).map((r) => r.id));
}

async function incremental(orgId: string, e: Entry, readOnly: ReadonlySet<string>, probeKey: string) {
  const since = new Date(e.newestMs - OVERLAP_MS);
  // Three index lookups: runs created since (minus the overlap), runs unfinished now, runs unfinished last time.
  const seen = await db.$queryRaw<{ id: string; iid: string | null; status: string; created: Date }[]>`
    SELECT r.id::text AS id, r."incidentId"::text AS iid, r.status::text AS status, r."createdAt" AS created
    FROM "Run" r
    WHERE r."orgId" = ${orgId}::uuid AND r."createdAt" >= to_timestamp(${since.getTime() / 1000}::float8) AT TIME ZONE 'UTC'
    UNION
    SELECT r.id::text, r."incidentId"::text, r.status::text, r."createdAt"
    FROM "Run" r
    WHERE r."orgId" = ${orgId}::uuid AND r.status IN ('suggested', 'dry_run', 'awaiting_approval', 'approved', 'executing')
    UNION
    SELECT r.id::text, r."incidentId"::text, r.status::text, r."createdAt"
    FROM "Run" r
    WHERE r.id = ANY(${[...e.open]}::uuid[]) AND r."orgId" = ${orgId}::uuid`;
  // Finished now and not accounted for yet: new finished runs, and runs that were unfinished last time.
  const changed = seen.filter((r) => (r.status === "succeeded" || r.status === "failed") && !e.recentFinished.has(r.id) && (e.open.has(r.id) || r.created.getTime() >= since.getTime()));
  const incidents = [...new Set(changed.map((r) => r.iid).filter((x): x is string => x !== null))];
  if (incidents.length) {
    const rows = await db.$queryRaw<{ id: string; iid: string; name: string; ok: boolean; at: number; created: number; mask: number | null }[]>`
      SELECT r.id::text AS id, r."incidentId"::text AS iid, r."playbookName" AS name, (r.status = 'succeeded') AS ok,
             extract(epoch FROM coalesce(r."finishedAt", r."updatedAt"))::float8 AS at, extract(epoch FROM r."createdAt")::float8 AS created,
             (SELECT bit_or(CASE WHEN s.kind = 'alert' THEN 1 ELSE 2 END) FROM "Signal" s WHERE s."incidentId" = r."incidentId")::int AS mask
      FROM "Run" r
      WHERE r."incidentId" = ANY(${incidents}::uuid[]) AND r."orgId" = ${orgId}::uuid AND r.status IN ('succeeded', 'failed')`;
    const changedIds = new Set(changed.map((r) => r.id));
    const byIncident = new Map<string, typeof rows>();
    for (const r of rows) byIncident.set(r.iid, [...(byIncident.get(r.iid) ?? []), r]);
    for (const runs of byIncident.values()) {
      const mask = runs[0]!.mask ?? 0;
      for (const c of contributions(runs.filter((r) => !changedIds.has(r.id)), readOnly, e.refEpochS)) add(e, c.name, mask, c, -1);
      for (const c of contributions(runs, readOnly, e.refEpochS)) add(e, c.name, mask, c, 1);
    }
  }
  bookkeeping(e, seen);
  e.probeKey = probeKey;
}

/**
 * The org's outcome statistics. `readOnly` names the playbooks that change nothing (their successes only
 * count when no state-changing playbook succeeded on the same incident); a different list means a full
 * computation. `runsKey` is probeOrg(orgId).runs when the caller has it already.
 */
export async function outcomeStats(orgId: string, readOnly: readonly string[], runsKey?: string, now = Date.now()): Promise<StatsLookup> {
  let readOnlyKey = hashes.get(readOnly);
  if (!readOnlyKey) hashes.set(readOnly, (readOnlyKey = createHash("sha1").update([...readOnly].sort().join("\n")).digest("hex")));
  const probeKey = runsKey ?? (await probeOrg(orgId)).runs;
  // One refresh per org at a time: two concurrent incremental updates would apply the same change twice.
  while (locks.has(orgId)) await locks.get(orgId)!.catch(() => {});
  let refresh: StatsLookup["refresh"] = "none";
  let e = cache.get(orgId);
  if (!e || e.readOnlyKey !== readOnlyKey || now - e.loadedAt >= STATS_MAX_AGE_MS) refresh = "full";
  else if (e.probeKey !== probeKey) refresh = "incremental";
  if (refresh !== "none") {
    const stale = e;
    const work: Promise<Entry> =
      refresh === "full"
        ? full(orgId, readOnly, readOnlyKey, probeKey, now).then((fresh) => {
            cache.delete(orgId);
            if (cache.size >= MAX_ORGS) cache.delete(cache.keys().next().value!);
            cache.set(orgId, fresh);
            return fresh;
          })
        : incremental(orgId, stale!, new Set(readOnly), probeKey).then(
            () => stale!,
            (err: unknown) => {
              cache.delete(orgId); // unknown state: recompute next time
              throw err;
            },
          );
    locks.set(orgId, work);
    try {
      e = await work;
    } finally {
      locks.delete(orgId);
    }
  }
  const entry = e!;
  // Decayed sums were taken relative to refEpochS; bring them to now.
  const shift = 2 ** (-(now / 1000 - entry.refEpochS) / HALF_LIFE_S);
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    refresh,
    get(name, kindMask) {
      const byMask = entry.byName.get(name);
      if (!byMask) return EMPTY_STATS;
      let s = 0;
      let f = 0;
      let ds = 0;
      let df = 0;
      for (let mask = 0; mask < 4; mask++) {
        // Runs on incidents sharing a signal kind with this one (all of them when this one has no signals).
        if (kindMask !== 0 && (mask & kindMask) === 0) continue;
        const t = byMask[mask]!;
        s += t.s;
        f += t.f;
        ds += t.ds;
        df += t.df;
      }
      return { successes: r6(s), failures: r6(f), decayedSuccesses: Math.max(0, ds * shift), decayedFailures: Math.max(0, df * shift) };
    },
  };
}

/** Forget cached statistics (tests, benchmarks). */
export function clearOutcomeStatsCache() {
  cache.clear();
}
