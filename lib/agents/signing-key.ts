// The org's control-plane key that signs agent triggers. Created on first use; the private half is sealed
// at rest and cached per process (signing happens on every step, the key changes never).
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { db } from "@/lib/db";
import { open, seal } from "@/lib/crypto/secret-box";

type OrgKey = { publicKeyPem: string; privateKey: KeyObject };
const cache = new Map<string, OrgKey>();

export async function orgTriggerKey(orgId: string): Promise<OrgKey> {
  const hit = cache.get(orgId);
  if (hit) return hit;
  let row = await db.agentSigningKey.findUnique({ where: { orgId } });
  if (!row) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    // Two processes may race to create it: the first insert wins and both read it back.
    await db.agentSigningKey.createMany({
      data: [{ orgId, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string, privateKeySealed: seal(privateKey.export({ type: "pkcs8", format: "pem" }) as string) }],
      skipDuplicates: true,
    });
    row = await db.agentSigningKey.findUniqueOrThrow({ where: { orgId } });
  }
  const key = { publicKeyPem: row.publicKeyPem, privateKey: createPrivateKey(open(row.privateKeySealed)) };
  cache.set(orgId, key);
  return key;
}
