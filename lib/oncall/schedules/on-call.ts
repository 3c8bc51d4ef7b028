// What the on-call engine asks a schedule: who is on call at an instant. No actor: the engine has the
// schedule's id from a policy of the same org and runs as the system.
import { db } from "@/lib/db";
import { whoIsOnCall } from "@/lib/oncall/schedules/compute";
import { loadSpec } from "@/lib/oncall/schedules/load-spec";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The person on call on the schedule at `at`, or null (no such schedule, or nobody covers that instant). */
export async function onCallAt(scheduleId: string, at: Date): Promise<{ userId: string } | null> {
  // The column is a uuid: anything else would be a database error, not "no such schedule".
  if (!UUID.test(scheduleId) || Number.isNaN(at.getTime())) return null;
  const loaded = await loadSpec(db, scheduleId, { from: at, to: new Date(at.getTime() + 1) });
  const userId = loaded ? whoIsOnCall(loaded.spec, at) : null;
  return userId ? { userId } : null;
}
