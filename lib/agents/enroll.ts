// Enrollment: the agent presents the one-time bootstrap token and the public half of a key pair it just
// generated; the control plane stores the key, burns the token, and answers with what the agent needs
// to trust the control plane (its trigger-signing public key) and to forward metrics (an ingest token).
import { createPublicKey } from "node:crypto";
import { db } from "@/lib/db";
import { systemActor, type RequestMeta } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { newToken } from "@/lib/tokens/token-format";
import { sha256Hex, ZEnrollRequest, type EnrollResponse } from "@/lib/agents/protocol";
import { orgTriggerKey } from "@/lib/agents/signing-key";

/** The agent's key must be ECDSA P-256, like every other key in the trigger protocol. */
function agentPublicKey(pem: string): { pem: string; fingerprint: string } {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AppError("validation_failed", "publicKeyPem is not a PEM public key");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new AppError("validation_failed", "the agent key must be ECDSA P-256");
  return { pem: key.export({ type: "spki", format: "pem" }) as string, fingerprint: sha256Hex(key.export({ type: "spki", format: "der" })) };
}

export async function enrollAgent(input: unknown, meta?: RequestMeta): Promise<EnrollResponse> {
  const req = ZEnrollRequest.parse(input);
  const key = agentPublicKey(req.publicKeyPem);
  // Same answer for unknown, used and expired tokens: the caller learns nothing about which it was.
  const invalid = new AppError("unauthenticated", "the bootstrap token is invalid, already used or expired; issue a new one on the Agents page");
  const cluster = await db.agentCluster.findUnique({ where: { bootstrapTokenHash: sha256Hex(req.bootstrapToken) } });
  if (!cluster || !cluster.bootstrapExpiresAt || cluster.bootstrapExpiresAt.getTime() < Date.now()) throw invalid;
  const cpKey = await orgTriggerKey(cluster.orgId);
  const ingest = newToken();
  const actor = systemActor(`agent:${cluster.name}`, cluster.orgId);

  await db.$transaction(async (tx) => {
    // Burning is a compare-and-set on the hash: of two agents racing with one token, exactly one wins.
    const burnt = await tx.agentCluster.updateMany({
      where: { id: cluster.id, bootstrapTokenHash: cluster.bootstrapTokenHash },
      data: { bootstrapTokenHash: null, bootstrapExpiresAt: null, publicKeyPem: key.pem, fingerprint: key.fingerprint, enrolledAt: new Date(), agentVersion: req.version },
    });
    if (burnt.count !== 1) throw invalid;
    const token = await tx.apiToken.create({
      data: { orgId: cluster.orgId, kind: "service", name: `agent:${cluster.name}`, role: "operator", scopes: ["signals.ingest"], prefix: ingest.prefix, tokenHash: ingest.hash },
    });
    await tx.agentCluster.update({ where: { id: cluster.id }, data: { ingestTokenId: token.id } });
    await appendAudit(tx, {
      actor,
      action: "agent.enrolled",
      target: { type: "agent_cluster", id: cluster.id },
      data: { name: cluster.name, fingerprint: key.fingerprint, version: req.version, ingestTokenPrefix: ingest.prefix, ip: meta?.ip },
    });
  });
  return { clusterId: cluster.id, clusterName: cluster.name, controlPlanePublicKeyPem: cpKey.publicKeyPem, ingestToken: ingest.token };
}
