// First start: trade the bootstrap token for an identity. The private key is generated here and never
// leaves the cluster; the control plane only ever sees the public half.
import { generateKeyPairSync } from "node:crypto";
import { ZEnrollResponse } from "@/lib/agents/protocol";
import type { AgentIdentity, IdentityStore } from "./kube/identity-secret";

export async function ensureIdentity(store: IdentityStore, opts: { controlPlaneUrl: string; bootstrapToken?: string; version: string }): Promise<AgentIdentity> {
  const loaded = await store.load();
  if (loaded.identity) return loaded.identity;
  const bootstrapToken = loaded.bootstrapToken ?? opts.bootstrapToken;
  if (!bootstrapToken) throw new Error("no identity and no bootstrap token: create the cluster on the Agents page and put its token in the identity Secret");

  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }) as string;
  const res = await fetch(`${opts.controlPlaneUrl}/api/v1/agent/enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ bootstrapToken, publicKeyPem, version: opts.version }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
    throw new EnrollmentError(`enrollment refused (${res.status}): ${message}`, res.status >= 400 && res.status < 500);
  }
  const e = ZEnrollResponse.parse(body);
  const identity: AgentIdentity = {
    clusterId: e.clusterId,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    publicKeyPem,
    controlPlanePublicKeyPem: e.controlPlanePublicKeyPem,
    ingestToken: e.ingestToken,
  };
  // If this write fails the token is already burnt: the admin issues a new one (Agents page).
  await store.save(identity);
  return identity;
}

/** `permanent`: the token was refused; retrying with the same token cannot succeed. */
export class EnrollmentError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = "EnrollmentError";
  }
}
