import { createHash } from "node:crypto";
import { canonicalJson, type Json } from "@/lib/audit/canonical-json";

export const GENESIS_HASH = "0".repeat(64);

/** The fields an audit hash covers: everything in the row except id, prevHash and hash itself. */
export type HashedEvent = {
  orgId: string;
  seq: number;
  actorType: string;
  actorId: string;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  data: Json;
  createdAt: Date;
};

/** hash = SHA-256(prevHash ‖ canonical JSON of the event), hex. */
export function auditHash(prevHash: string, e: HashedEvent): string {
  const body = canonicalJson({
    orgId: e.orgId,
    seq: e.seq,
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  });
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}
