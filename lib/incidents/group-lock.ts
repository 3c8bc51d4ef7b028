import type { RawSql } from "@/lib/db/raw";

const GROUP_LOCK_CLASS = 0x494e; // "IN"

/**
 * Serializes everything that decides an incident group's fate within one transaction: a delivery
 * attaching signals or opening an incident, an auto-resolve, a person acknowledging or resolving.
 * Without it a new alert could join an incident that a person resolved a moment earlier. Locks are
 * taken in sorted order in one round trip, so two transactions never wait on each other crosswise.
 */
export async function lockIncidentGroups(tx: RawSql, orgId: string, groupKeys: readonly string[]): Promise<void> {
  const keys = [...new Set(groupKeys)].sort();
  if (!keys.length) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GROUP_LOCK_CLASS}::int, hashtext(k)) FROM (SELECT ${orgId} || '|' || g AS k FROM unnest(${keys}::text[]) AS g ORDER BY 1) AS locks`;
}
