// The candidate playbooks of an org: the latest version of each. A version is immutable (content-addressed),
// so its parsed form — selector matchers, param patterns, whether it changes state — and the vector of its
// description are computed once per version id and kept in process. The list itself is kept per org and
// reloaded when the org's playbooks change (see probeOrg in stats.ts).
import { db } from "@/lib/db";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import type { Embedder } from "@/lib/vectors/types";
import { candidateFromSpec, type Candidate } from "@/lib/recommend/score";

const MAX_CACHED = 20_000;
const MAX_ORGS = 500;
const MAX_AGE_MS = 5 * 60_000;
const parsed = new Map<string, Candidate>();
const vectors = new Map<string, Float32Array>();

function remember<K, V>(map: Map<K, V>, key: K, value: V, max = MAX_CACHED) {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!); // oldest first (insertion order)
  map.set(key, value);
}

export type CandidateSet = {
  key: string;
  loadedAt: number;
  list: Candidate[];
  /** Names of the playbooks that change nothing (notify, verify, diagnostics). */
  readOnly: string[];
  changesState: Map<string, boolean>;
  /** Description vectors aligned with `list`, per embedder id. */
  vectors: Map<string, Float32Array[]>;
};
const sets = new Map<string, CandidateSet>();

/**
 * Latest version of every playbook of the org, parsed. `key` fingerprints the org's playbooks (probeOrg): while
 * it is unchanged the list is reused; otherwise one query lists the latest version ids and only versions not
 * seen before have their specs fetched and parsed.
 */
export async function candidateSet(orgId: string, key: string, now = Date.now()): Promise<CandidateSet> {
  const cached = sets.get(orgId);
  if (cached && cached.key === key && now - cached.loadedAt < MAX_AGE_MS) return cached;
  const latest = await db.$queryRaw<{ id: string }[]>`
    SELECT pv.id::text AS id
    FROM "Playbook" p JOIN "PlaybookVersion" pv ON pv."playbookId" = p.id AND pv.version = p."latestVersion"
    WHERE p."orgId" = ${orgId}::uuid`;
  const missing = latest.filter((r) => !parsed.has(r.id)).map((r) => r.id);
  for (let i = 0; i < missing.length; i += 1000) {
    const rows = await db.playbookVersion.findMany({ where: { id: { in: missing.slice(i, i + 1000) } }, select: { id: true, spec: true } });
    for (const r of rows) remember(parsed, r.id, candidateFromSpec(r.id, r.spec as unknown as PlaybookSpec));
  }
  const list = latest.map((r) => parsed.get(r.id)).filter((c): c is Candidate => c !== undefined);
  const set: CandidateSet = {
    key,
    loadedAt: now,
    list,
    readOnly: list.filter((c) => !c.changesState).map((c) => c.name),
    changesState: new Map(list.map((c) => [c.name, c.changesState])),
    vectors: new Map(),
  };
  remember(sets, orgId, set, MAX_ORGS);
  return set;
}

export const descriptionText = (c: Pick<Candidate, "name" | "description">) => `${c.name.replace(/-/g, " ")}\n${c.description}`;

/** Description vectors under `e`, aligned with `set.list`; only versions not seen before are embedded. */
export async function descriptionVectors(e: Embedder, set: CandidateSet): Promise<Float32Array[]> {
  const have = set.vectors.get(e.id);
  if (have) return have;
  const key = (c: Candidate) => `${e.id}|${c.versionId}`;
  const todo = set.list.filter((c) => !vectors.has(key(c)));
  for (let i = 0; i < todo.length; i += 256) {
    const batch = todo.slice(i, i + 256);
    const vs = await e.embed(batch.map(descriptionText));
    batch.forEach((c, j) => remember(vectors, key(c), vs[j]!));
  }
  const out = set.list.map((c) => vectors.get(key(c))!);
  set.vectors.set(e.id, out);
  return out;
}
